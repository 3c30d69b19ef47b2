r"""What every report says the same way: the verdict, the counts, and visible text.

Text from a testee or from generated data is untrusted. `visible` is the first step of
every format's escaping: it turns what no report format can hold, or what would act
instead of showing (control characters, ANSI escapes, lone surrogates, bidirectional
overrides), into visible ``\x1b`` or ``\ud800`` text, as the terminal output spells
them (``conformance.untrusted``, which this package may not import). Nothing is dropped:
results.json keeps the original text.
"""

from __future__ import annotations

import re
from collections import Counter

from conformance.results import CheckResult, RunResults

__all__ = [
    "KINDS",
    "LEVELS",
    "clip",
    "counts",
    "failing",
    "implementation_line",
    "outcome_label",
    "outcome_order",
    "tally",
    "verdict",
    "visible",
]

LEVELS = ("REQUIRED", "RECOMMENDED")
KINDS = ("valid", "invalid", "malformed", "implementation-defined")

# C0 but tab and newline, DEL, C1, surrogates, the two non-characters XML 1.0 excludes,
# and the bidirectional controls that reorder what a reader sees.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

_LABELS = {
    "passed": "passed",
    "failed": "failed",
    "error": "error",
    "inconclusive": "inconclusive",
    "xfailed": "expected failure",
    "xpassed": "unexpected pass",
}


def visible(text: str) -> str:
    r"""Return *text* with every hidden or acting character spelled ``\xXX`` or ``\uXXXX``."""
    return _HIDDEN.sub(_spelled, text)


def _spelled(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clip(text: str, limit: int) -> str:
    """Return *text*, or its first *limit* characters and how long it was."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def verdict(results: RunResults) -> str:
    """Return the run's verdict in words (``conformant``, ``not conformant``...)."""
    return results.verdict


def failing(check: CheckResult) -> bool:
    """Say whether *check* counts against the verdict (a RECOMMENDED failure does not)."""
    if check.outcome in ("passed", "xfailed"):
        return False
    return check.level == "REQUIRED" or check.outcome not in ("failed", "inconclusive")


def outcome_label(check: CheckResult) -> str:
    """Return the outcome of *check* in words, saying when a failure does not count."""
    label = _LABELS.get(check.outcome, check.outcome)
    if check.outcome in ("failed", "inconclusive") and not failing(check):
        return f"{label} (recommended)"
    return label


def tally(results: RunResults) -> str:
    """Return how many checks ran, and how many of them fail the verdict, in words."""
    count, total = sum(map(failing, results.checks)), len(results.checks)
    return f"{count} of {total} checks failing" if count else f"{total} checks"


def outcome_order(outcome: str) -> tuple[int, str]:
    """Sort key of outcomes: passes first, then failures, then the expectation outcomes."""
    return (list(_LABELS).index(outcome) if outcome in _LABELS else len(_LABELS), outcome)


def counts(results: RunResults) -> dict[str, Counter[str]]:
    """Return, per level, how many checks had each outcome."""
    found: dict[str, Counter[str]] = {level: Counter() for level in LEVELS}
    for check in results.checks:
        found.setdefault(check.level, Counter())[check.outcome] += 1
    return found


def implementation_line(results: RunResults) -> str:
    """Return ``name version (language)`` of the testee, as it named itself (untrusted)."""
    impl = results.implementation
    name = str(impl.get("name") or "unnamed implementation")
    version = str(impl.get("version") or "")
    language = str(impl.get("language") or "unknown language")
    return f"{name} {version} ({language})".replace("  ", " ")
