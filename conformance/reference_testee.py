"""The reference implementation as a testee process: ``python -m conformance.reference_testee``.

It ships in the wheel, so an installed suite can certify its own baseline from any
directory. It speaks protocol v1 on stdin/stdout around the strict attrs/cattrs codec
(`conformance.reference`) and certifies clean by construction of the rulebook, which
makes it the baseline every other implementation's report can be compared with. Nothing
in the harness imports it: the harness only runs it as a command.

``--spec REVISION`` (or the environment variable ``REALTIME_CONFORMANCE_SPEC``) makes it
implement that revision of the object and claim it in its answer to ``start``; without
either it implements the default revision and claims none.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from conformance.protocol import Hello
from conformance.reference import handler_for, hello
from strategies.revisions import DEFAULT, SPECS

__all__ = ["main"]


def _answer(
    request: dict[str, Any], start: Hello, handler: Callable[[str], tuple[bool, str]]
) -> dict[str, Any]:
    if request.get("cmd") == "start":
        return attrs.asdict(start, filter=lambda _, value: value is not None)
    seq = request["seq"]
    try:
        ok, text = handler(request["document"])
    except Exception as error:  # noqa: BLE001 - not the codec's own DocumentError: a bug
        # Protocol 1.1: a crash is answered as one, apart from a rejection.
        return {"seq": seq, "ok": False, "crash": True, "error": f"{type(error).__name__}: {error}"}
    return {"seq": seq, "ok": ok, ("document" if ok else "error"): text}


def main(argv: Sequence[str] | None = None) -> int:
    """Answer requests until ``stop`` or end-of-file."""
    parser = argparse.ArgumentParser(prog="python -m conformance.reference_testee")
    parser.add_argument("--spec", default=os.environ.get("REALTIME_CONFORMANCE_SPEC"))
    revision = parser.parse_args(argv).spec
    if revision is not None and revision not in SPECS:
        print(f"no revision of the object is dated {revision!r}", file=sys.stderr)  # noqa: T201
        return 2
    start, handler = hello(revision), handler_for(revision or DEFAULT)
    for line in iter(sys.stdin.readline, ""):
        request = json.loads(line)
        if request.get("cmd") == "stop":
            return 0
        sys.stdout.write(json.dumps(_answer(request, start, handler)) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
