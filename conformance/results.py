"""The record of a run: what every renderer and the expectations ratchet read.

Plain frozen attrs classes, (un)structured with cattrs, so that ``results.json`` is
lossless: it loads back into these classes and renders the same reports again.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import attrs
import cattrs

__all__ = [
    "CheckResult",
    "Failure",
    "Observation",
    "RunResults",
    "dump_check",
    "dump_results",
    "load_check",
    "load_results",
]

Outcome = Literal["passed", "failed", "xfailed", "xpassed", "error"]


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

    @property
    def conformant(self) -> bool:
        """No unexpected outcome: no REQUIRED failure, and the expectations matched exactly."""
        if self.unmatched_expectations:
            return False
        return not any(
            c.outcome in ("error", "xpassed") or (c.outcome == "failed" and c.level == "REQUIRED")
            for c in self.checks
        )


_converter = cattrs.Converter(forbid_extra_keys=True)


def dump_results(results: RunResults) -> str:
    """Serialize *results* as indented JSON (the ``results.json`` format)."""
    data = _converter.unstructure(results)
    data["conformant"] = results.conformant
    # ASCII: a testee's answer may hold a lone surrogate, which UTF-8 cannot encode but
    # a JSON escape can, so the file can always be written and reads back the same.
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def dump_check(result: CheckResult) -> str:
    """Serialize one check result (as xdist workers send it to the controller)."""
    return json.dumps(_converter.unstructure(result), ensure_ascii=False)


def load_check(text: str) -> CheckResult:
    """Load one check result serialized by `dump_check`."""
    return _converter.structure(json.loads(text), CheckResult)


def load_results(text: str) -> RunResults:
    """Load ``results.json`` text back into `RunResults`."""
    data = json.loads(text)
    data.pop("conformant", None)
    return _converter.structure(data, RunResults)
