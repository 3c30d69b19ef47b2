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
import platform
import tempfile
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

import attrs
import cattrs

__all__ = [
    "CheckResult",
    "Failure",
    "Fuzz",
    "Observation",
    "RunResults",
    "StartFailure",
    "Verdict",
    "dump_check",
    "dump_results",
    "environment",
    "load_check",
    "load_results",
    "verdict",
    "write_atomically",
    "write_results",
]

Outcome = Literal[
    "passed", "failed", "inconclusive", "xfailed", "xpassed", "error", "skipped", "not run"
]
"""How a check ended. ``inconclusive``: no failure, but too few cases were conclusive
(their base document, before it was broken, was rejected too) to say the check passed;
``error``: the harness could not finish it (the testee did not start in that worker, an
exception); ``skipped``: pytest skipped it; ``not run``: it was selected but the run
ended first. None of these four is a pass."""

Verdict = Literal["conformant", "not conformant", "start failed", "interrupted"]

RECORD_VERSION = 3
"""The version of this record's format: 1 had no spec or tool versions; 2 adds them; 3 adds
the revision of the object (`RunResults.spec`)."""

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
    conclusive: int | None = None
    """How many of the examples said something about the check: for a case made by
    breaking a valid document, those whose base the testee accepted. None in records
    written before the count existed."""
    budget: float | None = None
    """In a fuzz run, the seconds of search the check was given (None otherwise)."""
    first_failure_after: int | None = None
    """Of a failed check, the cases sent up to the first failing one (shrinking comes
    after); None when it passed or in older records."""

    @property
    def kind(self) -> str:
        """The kind of case the check sends (``valid``, ``invalid``...): the id's second part."""
        return self.id.split(".")[1] if self.id.count(".") >= 1 else ""

    @property
    def subject(self) -> str:
        """What the check is about within its kind: a rule id, a fault, or a property."""
        return self.id.split(".", 2)[2] if self.id.count(".") >= 2 else self.id


@attrs.frozen
class Fuzz:
    """What a fuzz run (``realtime-conformance fuzz``) adds to its record."""

    duration: float
    """The seconds asked for (``--duration``)."""
    cases: int
    """Cases sent, over every check."""
    cases_per_second: float
    database: str | None = None
    """The example database replayed first and added to, if any."""


@attrs.frozen
class StartFailure:
    """Why the testee did not complete ``start``: the reason and the tail of its stderr."""

    reason: str
    stderr: str = ""


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
    verdict: Verdict = "not conformant"
    """Set by whoever builds the record, from `verdict`; never assumed conformant."""
    start_failure: StartFailure | None = None
    expectations_met: bool | None = None
    """With an expectations file: whether exactly the listed checks failed (the ratchet)."""
    kind: str = ""
    """For a bundled testee, its kind from ``testee.json``: sdk, example, reference..."""
    versions: dict[str, str] = attrs.Factory(dict)
    """For a bundled testee, the pinned versions of what it wraps, from ``testee.json``."""
    spec: str = "2024-12-18"
    """The revision of the object certified against (older records: the only one then)."""
    spec_chosen_by: str = "default"
    """How the revision was chosen: ``default``, ``claims`` (the testee's) or ``option``."""
    fuzz: Fuzz | None = None
    """Of a fuzz run, its duration and throughput; None for a run of a fixed profile."""

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
        c.outcome in ("passed", "failed", "inconclusive", "xfailed", "xpassed") for c in checks
    ):
        return "start failed"
    required = [c for c in checks if c.level == "REQUIRED"]
    finished = not any(c.outcome in ("error", "not run") for c in checks)
    if required and finished and all(c.outcome == "passed" for c in required):
        return "conformant"
    return "not conformant"


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
    """Write ``results.json`` into *directory* atomically; return its path."""
    text = dump_results(results)
    load_results(text)  # a record that cannot be read back is a bug, found here
    return write_atomically(directory / "results.json", text)


def write_atomically(target: Path, text: str) -> Path:
    """Write *text* to *target* through a temporary file and one rename; return *target*.

    A reader sees the old file or the new one, never a mixture, and two runs sharing the
    directory leave one whole file (the last to finish). The text is written as UTF-8
    (the record itself is ASCII, so this changes nothing for it).
    """
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp"
    )
    try:
        # mkstemp makes the file private; a report is as readable as any file written here.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(handle, 0o666 & ~umask)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
