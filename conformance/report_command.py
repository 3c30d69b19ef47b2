"""``realtime-conformance report``: render reports again from ``results.json`` records.

One record renders in any format; two or more render the comparison matrix (HTML or
Markdown). The renderers are pure; this module reads the records and writes the text,
and turns every mistake (a missing file, a file that is no record, a format the matrix
has not) into one sentence and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import cattrs

from conformance.errors import UsageError
from conformance.results import RunResults, load_results
from reports import FORMATS, matrix

__all__ = ["add_parser", "run"]

_MATRIX_FORMATS = ("html", "markdown")


def add_parser(commands: Any) -> None:
    """Add the ``report`` subcommand to the CLI's subparsers."""
    report = commands.add_parser(
        "report",
        help="render reports from results.json (two or more: the comparison matrix)",
    )
    report.add_argument("files", nargs="+", type=Path, metavar="FILE", help="results.json")
    report.add_argument("--format", choices=sorted(FORMATS), default="markdown")
    report.add_argument("-o", dest="output", type=Path, help="write here (default: stdout)")


def _load(path: Path) -> RunResults:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not a results.json record: it is not UTF-8 text") from None
    try:
        return load_results(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"{path} is not a results.json record: not JSON ({error.msg})") from None
    except (cattrs.BaseValidationError, TypeError, KeyError, ValueError) as error:
        reason = "; ".join(cattrs.transform_error(error)) if isinstance(
            error, cattrs.BaseValidationError
        ) else str(error)  # fmt: skip
        raise UsageError(
            f"{path} is not a results.json record this version reads: {reason}"
        ) from None


def run(options: argparse.Namespace) -> int:
    """Render the records of *options* and write the text; return the exit status."""
    records = [_load(path) for path in options.files]
    if len(records) == 1:
        text = FORMATS[options.format](records[0])
    elif options.format in _MATRIX_FORMATS:
        text = matrix.render(records, options.format)
    else:
        raise UsageError(
            f"two or more records render as a comparison matrix, in html or markdown,"
            f" not {options.format}"
        )
    if options.output is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    try:
        options.output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {options.output}: {error.strerror or error}") from None
    return 0
