"""Protocol v1.1 around a Python library's own parse and serialize calls, for the SDK testees.

Each Python SDK testee runs in its own virtual environment (the SDK's dependencies never
enter the harness'), so this file imports nothing but the standard library; a testee
puts this folder on ``sys.path`` and calls `serve` with its two calls and the exception
types that are the library's own way of refusing a document. Any other exception is a
crash (``"crash": true``): a failure the library's users would not expect.
"""

import json
import re
import sys
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path

ERROR_LIMIT = 2000
# Where a file of a frame is shown from: inside site-packages, the standard library, or
# this folder, so that a published record holds no path of the machine it ran on.
_PREFIX = re.compile(r".*/(?:site-packages|lib/python3\.\d+)/")
_HERE = str(Path(__file__).resolve().parent) + "/"


def serve(
    implementation: dict,
    claims: dict,
    roundtrip: Callable[[str], str],
    rejections: tuple[type[BaseException], ...],
) -> int:
    """Answer requests on stdin until ``stop`` or end of file."""
    warnings.formatwarning = _format_warning
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
        _print_traceback(error)
        return {"seq": seq, "ok": False, "crash": True, "error": _describe(error)}


def _short(filename: str) -> str:
    return _PREFIX.sub("", filename).removeprefix(_HERE)


def _format_warning(message, category, filename, lineno, line=None) -> str:  # noqa: ARG001
    return f"{_short(filename)}:{lineno}: {category.__name__}: {message}\n"


def _print_traceback(error: BaseException) -> None:
    lines = ["Traceback (most recent call last):"]
    for frame in traceback.extract_tb(error.__traceback__):
        where = _short(frame.filename)
        lines.append(f"  {where}:{frame.lineno} in {frame.name}: {frame.line}")
    lines += traceback.format_exception_only(error)[-1:]
    sys.stderr.write("\n".join(line.rstrip("\n") for line in lines) + "\n")
    sys.stderr.flush()


def _describe(error: BaseException) -> str:
    kind = type(error)
    text = f"{kind.__module__}.{kind.__qualname__}: {error}"
    return text if len(text) <= ERROR_LIMIT else text[:ERROR_LIMIT] + "..."
