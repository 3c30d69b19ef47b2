"""The record of a run: what every renderer and the expectations ratchet read.

Plain frozen attrs classes, (un)structured with cattrs, so that ``results.json`` is
lossless: it loads back into these classes and renders the same reports again.
"""

from __future__ import annotations

import json
import platform
from importlib.metadata import PackageNotFoundError, version
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
    "environment",
    "load_check",
    "load_results",
]

Outcome = Literal["passed", "failed", "xfailed", "xpassed", "error"]

RECORD_VERSION = 2
"""The version of this record's format: 1 had no spec or tool versions; 2 adds them."""

SPEC_VERSION = "2.3.0"
"""The ``info.version`` of the OpenAPI document that defines the object."""


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

    @property
    def kind(self) -> str:
        """The kind of case the check sends (``valid``, ``invalid``...): the id's second part."""
        return self.id.split(".")[1] if self.id.count(".") >= 1 else ""

    @property
    def subject(self) -> str:
        """What the check is about within its kind: a rule id, a fault, or a property."""
        return self.id.split(".", 2)[2] if self.id.count(".") >= 2 else self.id


@attrs.frozen
class RunResults:
    """Everything a run found, with what is needed to reproduce and compare it.

    Fields added after the first record format have defaults, so older records load.
    """

    suite_version: str
    protocol: int
    """The protocol version spoken with the testee."""
    testee: str
    """The command that started the testee."""
    implementation: dict[str, Any]
    claims: dict[str, str]
    profile: str
    seed: int
    started: str
    """When the run started (ISO 8601, UTC)."""
    seconds: float
    """How long the run took."""
    checks: tuple[CheckResult, ...]
    expectations: str | None = None
    unmatched_expectations: tuple[str, ...] = ()
    record_version: int = 1
    spec_version: str = SPEC_VERSION
    python_version: str = ""
    """The harness' Python (empty in records older than format 2: unknown)."""
    hypothesis_version: str = ""
    kind: str = ""
    """For a bundled testee, its kind from ``testee.json``: sdk, example, reference..."""
    versions: dict[str, str] = attrs.Factory(dict)
    """For a bundled testee, the pinned versions of what it wraps, from ``testee.json``."""

    @property
    def conformant(self) -> bool:
        """No unexpected outcome: no REQUIRED failure, and the expectations matched exactly."""
        if self.unmatched_expectations:
            return False
        return not any(
            c.outcome in ("error", "xpassed") or (c.outcome == "failed" and c.level == "REQUIRED")
            for c in self.checks
        )


def environment() -> dict[str, Any]:
    """Return the fields of a new record that say which tools made it."""
    try:
        hypothesis = version("hypothesis")
    except PackageNotFoundError:  # pragma: no cover - a dependency of the suite
        hypothesis = "unknown"
    return {
        "record_version": RECORD_VERSION,
        "spec_version": SPEC_VERSION,
        "python_version": platform.python_version(),
        "hypothesis_version": hypothesis,
    }


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
    return json.dumps(_converter.unstructure(result), ensure_ascii=True)  # as dump_results


def load_check(text: str) -> CheckResult:
    """Load one check result serialized by `dump_check`."""
    return _converter.structure(json.loads(text), CheckResult)


def load_results(text: str) -> RunResults:
    """Load ``results.json`` text back into `RunResults`."""
    data = json.loads(text)
    data.pop("conformant", None)
    return _converter.structure(data, RunResults)
