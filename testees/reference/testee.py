"""The reference implementation as a testee: the strict attrs/cattrs codec behind protocol v1.

It certifies clean by construction of the rulebook, which makes it the baseline every
other implementation's report can be compared with.
"""

import json
import sys

from strategies.codec import decode, encode
from strategies.errors import DocumentError

HELLO = {
    "protocol": 1,
    "implementation": {
        "name": "realtime-conformance-reference",
        "version": "0.1.0",
        "language": "python",
    },
    "claims": {"validation": "documented", "unknown_members": "preserve"},
}


def answer(request: dict) -> dict | None:
    if request.get("cmd") == "start":
        return HELLO
    seq = request["seq"]
    try:
        return {"seq": seq, "ok": True, "document": encode(decode(request["document"]))}
    except DocumentError as error:
        return {"seq": seq, "ok": False, "error": str(error)}


def main() -> int:
    for line in iter(sys.stdin.readline, ""):
        request = json.loads(line)
        if request.get("cmd") == "stop":
            return 0
        sys.stdout.write(json.dumps(answer(request)) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
