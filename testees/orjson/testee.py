"""A correct implementation on another parser: orjson reads and writes, the reference
model validates.

Usage: testee.py

orjson (Rust, from PyPI) is a JSON library people ship; putting it in front of the
reference model gives a second correct testee whose text handling shares nothing with
the standard library's, so a false deviation the suite reports for it is the suite's
fault. benchmarks/mutants.py counts the seeds at which it certifies clean.
"""

import json
import sys

from strategies.codec import structure, unstructure
from strategies.errors import DocumentError

try:
    import orjson
except ImportError:
    print("testees/orjson: orjson is not installed (pip install orjson).", file=sys.stderr)
    sys.exit(1)

HELLO = {
    "protocol": 1,
    "implementation": {"name": "realtime-conformance-orjson", "version": orjson.__version__,
                       "language": "python"},
    "claims": {"validation": "documented", "unknown_members": "preserve"},
}  # fmt: skip


def roundtrip(text):
    value = orjson.loads(text)
    return orjson.dumps(unstructure(structure(value))).decode()


def answer(request):
    if request.get("cmd") == "start":
        return HELLO
    seq = request["seq"]
    try:
        return {"seq": seq, "ok": True, "document": roundtrip(request["document"])}
    except (ValueError, TypeError, DocumentError) as error:  # orjson's errors are ValueErrors
        return {"seq": seq, "ok": False, "error": str(error)}


def main():
    # The protocol line itself is read with json: it may carry a lone surrogate escape.
    while line := sys.stdin.buffer.readline():
        request = json.loads(line)
        if request.get("cmd") == "stop":
            return 0
        sys.stdout.write(json.dumps(answer(request)) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
