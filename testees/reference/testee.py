"""The reference implementation as a testee: the strict attrs/cattrs codec behind protocol v1.

It certifies clean by construction of the rulebook, which makes it the baseline every
other implementation's report can be compared with.
"""

import json
import sys

import attrs

from conformance.reference import HELLO, handler


def answer(request: dict) -> dict:
    if request.get("cmd") == "start":
        return attrs.asdict(HELLO, filter=lambda _, value: value is not None)
    ok, text = handler(request["document"])
    return {"seq": request["seq"], "ok": ok, ("document" if ok else "error"): text}


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
