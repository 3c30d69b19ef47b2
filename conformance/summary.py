"""What a run prints at its end: the testee, a table of outcomes, the verdict, the ratchet.

Everything that came from the testee (its name, its messages) is escaped before it is
printed, so that no control character or escape sequence of a testee reaches the
user's terminal. The ratchet command is one line of valid POSIX shell whatever the
failure messages hold: each line of the new expectations file is quoted on its own.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable

from conformance.expectations import write_expectations
from conformance.results import CheckResult, RunResults
from conformance.untrusted import clip, printable

__all__ = ["describe", "ratchet_command", "summarize"]

_REASON_LIMIT = 200


def describe(implementation: dict[str, object], claims: dict[str, str]) -> str:
    """Describe the testee as its hello does, escaped for a terminal."""
    name, version, language = (
        printable(clip(str(implementation.get(key, "?")), 200))
        for key in ("name", "version", "language")
    )
    claimed = ", ".join(f"{printable(k)}={printable(str(v))}" for k, v in claims.items())
    return f"{name} {version} ({language}), claims {claimed or 'nothing'}"


def _reason(check: CheckResult) -> str:
    text = check.reason or (check.failure.message if check.failure else check.outcome)
    # One line of printable text: the expectations file is one entry a line.
    return printable(clip(text.strip(), _REASON_LIMIT)) or check.outcome


def ratchet_command(failed: Iterable[CheckResult], target: str) -> str:
    """Return the shell command that writes *failed* as the expected failures to *target*."""
    content = write_expectations((c.id, _reason(c)) for c in failed)
    lines = " ".join(shlex.quote(line) for line in content.splitlines())
    return f"printf '%s\\n' {lines} > {shlex.quote(target)}"


def summarize(
    section: Callable[[str], object], write: Callable[[str], object], record: RunResults
) -> None:
    """Print the end of a run through the terminal reporter's *section* and *write*."""
    section("realtime-conformance")
    if record.implementation:
        write(f"testee: {describe(record.implementation, record.claims)}")
    write(f"revision: {record.spec}  profile: {record.profile}  seed: {record.seed}")
    if record.start_failure is not None:
        write(f"the testee did not start: {printable(clip(record.start_failure.reason, 2000))}")
    counts: dict[tuple[str, str], int] = {}
    for c in record.checks:
        counts[(c.level, c.outcome)] = counts.get((c.level, c.outcome), 0) + 1
    write(f"{'level':<12}{'outcome':<10}{'checks':>7}")
    for (level, outcome), count in sorted(counts.items()):
        write(f"{level:<12}{outcome:<10}{count:>7}")
    for entry in record.unmatched_expectations:
        write(f"expectation matches no check: {printable(entry)}")
    failed = [c for c in record.checks if c.outcome in ("failed", "inconclusive", "xfailed")]
    unrun = sum(c.outcome == "not run" for c in record.checks)
    if unrun and failed:
        # Stopped early (-x, a signal): what failed so far is not all that fails.
        write(f"{unrun} checks did not run: run them all to learn every failure")
    elif (record.expectations and not record.expectations_met) or (
        failed and not record.expectations
    ):
        write("to make the current failures the expected ones, run:")
        write(f"  {ratchet_command(failed, record.expectations or 'expectations.txt')}")
    verdict = record.verdict if record.conformant else record.verdict.upper()
    if record.expectations_met is not None:
        met = "met" if record.expectations_met else "NOT met"
        verdict += f" (expectations {met})"
    write(f"verdict: {verdict}")
