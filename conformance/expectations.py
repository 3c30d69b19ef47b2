"""Expectation files: the checks an implementation is known to fail, as a ratchet.

One test id or glob a line, each with ``# reason``. A run with expectations passes only
when exactly the listed checks fail, so an SDK repository notices a fix (an unexpected
pass) as surely as a regression.
"""

from __future__ import annotations

import fnmatch
import re
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


# A check id is words (camelCase in rule ids such as oneOf), digits, dots, dashes and
# underscores; a glob adds * and ? and bracketed sets. Anything else (a space, a stray
# bracket) cannot match a check id.
_PATTERN = re.compile(r"(?:[A-Za-z0-9._*?-]|\[!?[A-Za-z0-9._-]+\])+")


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read the expectations file {path}: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = "\0"
    if "\0" in text:
        raise UsageError(f"the expectations file {path} is not UTF-8 text")
    return text


def load_expectations(path: Path) -> list[Expectation]:
    """Read an expectations file; any entry that cannot mean a check is a usage error.

    A missing or binary file, an entry without a reason, a pattern that is not a check id
    or a glob of one, and an entry given twice are each one sentence naming the line.
    """
    entries: dict[str, Expectation] = {}
    for number, raw in enumerate(_read(path).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, _, reason = (part.strip() for part in line.partition("#"))
        if not reason:
            raise UsageError(f"{path}:{number}: every expected failure needs a reason after '#'")
        if not _PATTERN.fullmatch(pattern):
            raise UsageError(
                f"{path}:{number}: {pattern!r} is not a check id or a glob of check ids"
            )
        if pattern in entries:
            raise UsageError(
                f"{path}:{number}: {pattern} is listed twice (first on line "
                f"{entries[pattern].line})"
            )
        entries[pattern] = Expectation(pattern, reason, number)
    return list(entries.values())


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
