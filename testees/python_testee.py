"""Protocol v1.1 around a Python library's own parse and serialize calls, for the SDK testees.

Each Python SDK testee runs in its own virtual environment (the SDK's dependencies never
enter the harness'), so this file imports nothing but the standard library; a testee
puts this folder on ``sys.path`` and calls `serve` with its two calls and the exception
types that are the library's own way of refusing a document. Any other exception is a
crash (``"crash": true``): a failure the library's users would not expect.
"""

import json
import sys
import traceback
from collections.abc import Callable

ERROR_LIMIT = 2000


def serve(
    implementation: dict,
    claims: dict,
    roundtrip: Callable[[str], str],
    rejections: tuple[type[BaseException], ...],
) -> int:
    """Answer requests on stdin until ``stop`` or end of file."""
    for line in iter(sys.stdin.readline, ""):
        request = json.loads(line)
        if request.get("cmd") == "stop":
            return 0
        if request.get("cmd") == "start":
            answer = {"protocol": 1, "implementation": implementation, "claims": claims}
        else:
            answer = _answer(request["seq"], request["document"], roundtrip, rejections)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


def _answer(seq, document, roundtrip, rejections) -> dict:
    try:
        return {"seq": seq, "ok": True, "document": roundtrip(document)}
    except rejections as error:
        return {"seq": seq, "ok": False, "error": _describe(error)}
    except Exception as error:  # noqa: BLE001 - every other failure is the crash to report
        traceback.print_exc(file=sys.stderr)
        return {"seq": seq, "ok": False, "crash": True, "error": _describe(error)}


def _describe(error: BaseException) -> str:
    kind = type(error)
    text = f"{kind.__module__}.{kind.__qualname__}: {error}"
    return text if len(text) <= ERROR_LIMIT else text[:ERROR_LIMIT] + "..."
