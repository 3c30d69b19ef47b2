"""Expectation files: the checks an implementation is known to fail, as a ratchet.

One test id or glob a line, each with ``# reason``. A run with expectations passes only
when exactly the listed checks fail, so an SDK repository notices a fix (an unexpected
pass) as surely as a regression.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path

import attrs

from conformance.errors import UsageError

__all__ = ["Expectation", "load_expectations", "match", "unmatched", "write_expectations"]


@attrs.frozen
class Expectation:
    """One entry: a test id or glob, and why it is expected to fail."""

    pattern: str
    reason: str
    line: int = 0

    def matches(self, test_id: str) -> bool:
        """Tell whether *test_id* is covered by this entry (``*`` and ``?`` glob)."""
        return fnmatch.fnmatchcase(test_id, self.pattern)


def load_expectations(path: Path) -> list[Expectation]:
    """Read an expectations file; a missing file or an entry without a reason is a usage error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read the expectations file {path}: {error.strerror}") from None
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, _, reason = line.partition("#")
        if not reason.strip():
            raise UsageError(f"{path}:{number}: every expected failure needs a reason after '#'")
        entries.append(Expectation(pattern.strip(), reason.strip(), number))
    return entries


def match(entries: Iterable[Expectation], test_id: str) -> Expectation | None:
    """Return the first entry that covers *test_id*, if any."""
    return next((e for e in entries if e.matches(test_id)), None)


def unmatched(entries: Iterable[Expectation], test_ids: Iterable[str]) -> list[Expectation]:
    """Return the entries that match no test id at all (stale lines fail the run)."""
    ids = list(test_ids)
    return [e for e in entries if not any(e.matches(i) for i in ids)]


def write_expectations(failed: Iterable[tuple[str, str]]) -> str:
    """Render an expectations file for the given (test id, reason) pairs."""
    lines = ["# Checks expected to fail; regenerate with the command the run printed."]
    lines += [f"{test_id}  # {reason}" for test_id, reason in sorted(failed)]
    return "\n".join(lines) + "\n"
