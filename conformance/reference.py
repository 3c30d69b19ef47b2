"""The reference implementation behind the testee interface, in this process.

The strict codec of each revision lives in `strategies`; this module gives it the hello
and the handler shape the driver's `InProcess` takes, for benchmarks and for the coverage
test that replays a whole certification without a subprocess. The subprocess testee
(``python -m conformance.reference_testee``) answers with the same hello.
"""

from __future__ import annotations

from collections.abc import Callable

from conformance.protocol import Claims, Hello, Implementation
from strategies.revisions import DEFAULT, SPECS

__all__ = ["HELLO", "handler", "handler_for", "hello"]


def hello(revision: str | None = None) -> Hello:
    """Return the reference's answer to ``start``; it claims *revision* when given one."""
    return Hello(
        protocol=1,
        implementation=Implementation("realtime-conformance-reference", "0.1.0", "python"),
        claims=Claims(validation="documented", unknown_members="preserve", spec=revision),
    )


def handler_for(revision: str) -> Callable[[str], tuple[bool, str]]:
    """Return the reference's handler for the revision dated *revision*."""
    return SPECS[revision].handle


HELLO = hello()
"""The hello of the reference of the default revision, which claims none."""


def handler(document: str) -> tuple[bool, str]:
    """Accept and re-serialize *document* under the default revision, or say why not."""
    return SPECS[DEFAULT].handle(document)
