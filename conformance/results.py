"""The record of a run: what every renderer and the expectations ratchet read.

Plain frozen attrs classes, (un)structured with cattrs, so that ``results.json`` is
lossless: it loads back into these classes and renders the same reports again. Text from
a testee may hold anything, lone surrogates included: the JSON is written with every
non-ASCII character escaped, which any JSON reader loads back to the same string.

Every run whose options were valid leaves a record with a ``verdict``; `write_results`
replaces the file atomically, so a reader (or a second run sharing the directory) never
sees half of one. New fields get defaults, so that older records still load.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import attrs
import cattrs

__all__ = [
    "CheckResult",
    "Failure",
    "Observation",
    "RunResults",
    "StartFailure",
    "Verdict",
    "dump_check",
    "dump_results",
    "load_check",
    "load_results",
    "verdict",
    "write_results",
]

Outcome = Literal["passed", "failed", "xfailed", "xpassed", "error", "skipped", "not run"]
"""How a check ended. ``error``: the harness could not finish it (the testee did not
start in that worker, an exception); ``skipped``: pytest skipped it; ``not run``: it was
selected but the run ended first. None of the three is a pass."""

Verdict = Literal["conformant", "not conformant", "start failed", "interrupted"]


@attrs.frozen
class Failure:
    """Why a check failed, on the minimal document that shows it."""

    message: str
    document: str
    """The JSON text sent (shrunk)."""
    expected: str | None
    """What a conforming implementation returns (JSON text), when that is defined."""
    answer: str
    """What the testee answered: its document, its error, or the protocol failure."""
    difference: str | None
    replay: str
    """One shell command that replays the case against the testee."""
    rule: str | None = None
    mutation: str = ""
    stderr: str = ""
    note: str = ""


@attrs.frozen
class Observation:
    """How the testee answered one implementation-defined case (recorded, never scored)."""

    case: str
    accepted: bool
    answer: str


@attrs.frozen
class CheckResult:
    """The verdict of one check."""

    id: str
    level: Literal["REQUIRED", "RECOMMENDED"]
    outcome: Outcome
    examples: int
    seconds: float
    description: str = ""
    failure: Failure | None = None
    observations: tuple[Observation, ...] = ()
    reason: str = ""
    """For an expected failure, the reason from the expectations file."""


@attrs.frozen
class StartFailure:
    """Why the testee did not complete ``start``: the reason and the tail of its stderr."""

    reason: str
    stderr: str = ""


@attrs.frozen
class RunResults:
    """Everything a run found, with what is needed to reproduce it."""

    suite_version: str
    protocol: int
    testee: str
    implementation: dict[str, Any]
    claims: dict[str, str]
    profile: str
    seed: int
    started: str
    seconds: float
    checks: tuple[CheckResult, ...]
    expectations: str | None = None
    unmatched_expectations: tuple[str, ...] = ()
    verdict: Verdict = "not conformant"
    """Set by whoever builds the record, from `verdict`; never assumed conformant."""
    start_failure: StartFailure | None = None
    expectations_met: bool | None = None
    """With an expectations file: whether exactly the listed checks failed (the ratchet)."""

    @property
    def conformant(self) -> bool:
        """Whether the verdict is ``conformant``."""
        return self.verdict == "conformant"


def verdict(
    checks: Iterable[CheckResult],
    *,
    interrupted: bool = False,
    start_failure: StartFailure | None = None,
) -> Verdict:
    """Judge a run: conformant only when every REQUIRED check ran to its end and passed.

    A REQUIRED check that failed (expected or not), errored, was skipped or never ran
    makes the run not conformant, and so does a run with no REQUIRED check at all, or a
    RECOMMENDED check the harness could not finish; a RECOMMENDED check that ran and
    failed is reported but does not decide. A run stopped by a signal is
    ``interrupted`` whatever it found, and one whose testee never started is ``start
    failed``.
    """
    checks = tuple(checks)
    if interrupted:
        return "interrupted"
    if start_failure is not None and not any(
        c.outcome in ("passed", "failed", "xfailed", "xpassed") for c in checks
    ):
        return "start failed"
    required = [c for c in checks if c.level == "REQUIRED"]
    finished = not any(c.outcome in ("error", "not run") for c in checks)
    if required and finished and all(c.outcome == "passed" for c in required):
        return "conformant"
    return "not conformant"


_converter = cattrs.Converter(forbid_extra_keys=True)


def dump_results(results: RunResults) -> str:
    r"""Serialize *results* as indented JSON (the ``results.json`` format).

    ASCII only: a lone surrogate or any control character becomes a ``\u`` escape, so
    the text is valid UTF-8 whatever the testee wrote, and loads back unchanged.
    """
    data = _converter.unstructure(results)
    data["conformant"] = results.conformant
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def dump_check(result: CheckResult) -> str:
    """Serialize one check result (as xdist workers send it to the controller)."""
    return json.dumps(_converter.unstructure(result), ensure_ascii=True)


def load_check(text: str) -> CheckResult:
    """Load one check result serialized by `dump_check`."""
    return _converter.structure(json.loads(text), CheckResult)


def load_results(text: str) -> RunResults:
    """Load ``results.json`` text back into `RunResults`."""
    data = json.loads(text)
    conformant = data.pop("conformant", None)
    if "verdict" not in data:  # a record from before verdicts: it said only yes or no
        data["verdict"] = "conformant" if conformant else "not conformant"
    return _converter.structure(data, RunResults)


def write_results(directory: Path, results: RunResults) -> Path:
    """Write ``results.json`` into *directory* atomically; return its path.

    The text goes to a temporary file in the same directory, then replaces the record in
    one rename: a reader sees the old record or the new one, never a mixture, and two
    runs sharing the directory leave one whole record (the last to finish).
    """
    text = dump_results(results)
    load_results(text)  # a record that cannot be read back is a bug, found here
    target = directory / "results.json"
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".results-", suffix=".tmp")
    try:
        # mkstemp makes the file private; a record is as readable as any file written here.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(handle, 0o666 & ~umask)
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
