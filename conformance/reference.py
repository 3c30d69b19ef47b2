"""The reference implementation behind the testee interface, in this process.

The strict codec lives in `strategies.codec`; this module gives it the hello and the
handler shape the driver's `InProcess` takes, for benchmarks and for the coverage test
that replays a whole certification without a subprocess. The subprocess testee
(``python -m conformance.reference_testee``) answers with the same hello.
"""

from __future__ import annotations

from conformance.protocol import Claims, Hello, Implementation
from strategies.codec import decode, encode
from strategies.errors import DocumentError

__all__ = ["HELLO", "handler"]

HELLO = Hello(
    protocol=1,
    implementation=Implementation("realtime-conformance-reference", "0.1.0", "python"),
    claims=Claims(validation="documented", unknown_members="preserve"),
)


def handler(document: str) -> tuple[bool, str]:
    """Accept and re-serialize *document*, or reject it with the reason."""
    try:
        return True, encode(decode(document))
    except DocumentError as error:
        return False, str(error)
