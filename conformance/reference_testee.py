"""The reference implementation as a testee process: ``python -m conformance.reference_testee``.

It ships in the wheel, so an installed suite can certify its own baseline from any
directory. It speaks protocol v1 on stdin/stdout around the strict attrs/cattrs codec
(`conformance.reference`) and certifies clean by construction of the rulebook, which
makes it the baseline every other implementation's report can be compared with. Nothing
in the harness imports it: the harness only runs it as a command.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import attrs

from conformance.reference import HELLO, handler

__all__ = ["main"]


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    if request.get("cmd") == "start":
        return attrs.asdict(HELLO, filter=lambda _, value: value is not None)
    seq = request["seq"]
    try:
        ok, text = handler(request["document"])
    except Exception as error:  # noqa: BLE001 - not the codec's own DocumentError: a bug
        # Protocol 1.1: a crash is answered as one, apart from a rejection.
        return {"seq": seq, "ok": False, "crash": True, "error": f"{type(error).__name__}: {error}"}
    return {"seq": seq, "ok": ok, ("document" if ok else "error"): text}


def main() -> int:
    """Answer requests until ``stop`` or end-of-file."""
    for line in iter(sys.stdin.readline, ""):
        request = json.loads(line)
        if request.get("cmd") == "stop":
            return 0
        sys.stdout.write(json.dumps(_answer(request)) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
