"""A run: its options, checked before any testee starts, and the record it leaves.

The CLI and ``pytest --testee`` accept the same options and judge them the same way:
every mistake is one sentence (a `UsageError`, exit status 2) raised here, before the
testee is started, rather than after a full run. Both build the record of a run with
`make_record`, so a run the CLI ends early (the testee did not start, a signal during
the handshake) leaves the same kind of ``results.json`` as one the plugin finished.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

import attrs

from conformance.checks import Check, checks_for
from conformance.errors import UsageError
from conformance.expectations import Expectation, load_expectations, unmatched
from conformance.protocol import Hello
from conformance.results import (
    CheckResult,
    Fuzz,
    RunResults,
    StartFailure,
    environment,
    verdict,
)
from conformance.runner import PROFILES
from conformance.testees import resolve, run_facts
from strategies.revisions import DEFAULT, SPECS

SpecChosenBy = Literal["default", "claims", "option"]

__all__ = ["RunOptions", "SpecChosenBy", "make_record", "revision", "run_options", "seconds"]


@attrs.frozen
class RunOptions:
    """The options of a run, checked: what the plugin and the CLI act on."""

    command: str
    profile: str = "default"
    seed: int = 0
    timeout: float = 10.0
    start_timeout: float = 60.0
    report_dir: Path | None = None
    database: Path | None = None
    """Where Hypothesis keeps its files; under the report directory unless given."""
    examples: Path | None = None
    """The example database: failures found are kept there and replayed first next time.
    Only with ``--database``, or for a fuzz with a report directory; None: none kept."""
    fuzz: float | None = None
    """Of a fuzz, its duration in seconds; None for a run of a fixed profile."""
    expectations_file: Path | None = None
    expectations: tuple[Expectation, ...] = ()
    started: str = attrs.Factory(lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    clock: float = attrs.Factory(time.monotonic)
    spec: str = DEFAULT
    """The revision of the object the run certifies against."""
    spec_chosen_by: SpecChosenBy = "default"
    """Whether the revision is the default, the testee's claim or the ``--spec`` option."""

    @property
    def checks(self) -> dict[str, Check]:
        """The checks of the run's revision, by id."""
        return checks_for(self.spec)


def revision(text: str, where: str) -> str:
    """Return *text* if it is a known revision, else raise a `UsageError` naming *where*."""
    if text not in SPECS:
        raise UsageError(
            f"{where} {text!r} is not a revision of the object this suite knows"
            f" ({', '.join(SPECS)}; realtime-conformance specs lists them)"
        )
    return text


def seconds(text: Any, option: str) -> float:
    """Read a number of seconds: finite and more than 0, or a `UsageError` naming *option*."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise UsageError(f"{option} needs a number of seconds, not {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise UsageError(f"{option} needs a finite number of seconds above 0, not {text!r}")
    return value


def _writable_directory(path: Path, option: str) -> Path:
    """Create *path* if needed and make sure a file can be written in it."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {path} is a file, not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(f"{option} {path} cannot be created or written in: {reason}") from None
    return path


def run_options(  # noqa: PLR0913 - one parameter per option of the command line
    *,
    testee: str,
    profile: str = "default",
    seed: int = 0,
    timeout: Any = 10.0,
    start_timeout: Any = 60.0,
    report_dir: str | Path | None = None,
    database: str | Path | None = None,
    expectations: str | Path | None = None,
    spec: str | None = None,
    claimed_spec: str | None = None,
    fuzz: Any = None,
) -> RunOptions:
    """Check every option; raise a `UsageError` (one sentence) for the first mistake.

    The revision is *spec* (``--spec``) if given, else *claimed_spec* (the testee's
    ``claims.spec``, read by the CLI's handshake), else the default. With *fuzz* (a
    duration) the run is a fuzz: its profile is ``fuzz``.
    """
    chosen: tuple[str, SpecChosenBy] = (DEFAULT, "default")
    if spec is not None:
        chosen = (revision(spec, "--spec"), "option")
    elif claimed_spec is not None:
        chosen = (revision(claimed_spec, "the testee claims the revision"), "claims")
    duration = None if fuzz is None else seconds(fuzz, "--duration")
    command = resolve(testee)
    if profile not in PROFILES:
        raise UsageError(f"--profile must be one of {', '.join(sorted(PROFILES))}")
    timeout = seconds(timeout, "--timeout")
    start_timeout = seconds(start_timeout, "--start-timeout")
    entries: tuple[Expectation, ...] = ()
    if expectations is not None:
        expectations = Path(expectations)
        if not expectations.is_file():
            raise UsageError(f"the expectations file {expectations} does not exist")
        entries = tuple(load_expectations(expectations))
    reports = _writable_directory(Path(report_dir), "--report-dir") if report_dir else None
    store = Path(database) if database else (reports / ".hypothesis" if reports else None)
    if store is not None:
        _writable_directory(store, "--database")
    # A fixed profile replays nothing unasked: its cases follow from the seed alone.
    examples = store / "examples" if store and (database or duration) else None
    return RunOptions(
        command, "fuzz" if duration else profile, seed, timeout, start_timeout, reports,
        store, examples, duration, expectations, entries, spec=chosen[0],
        spec_chosen_by=chosen[1],
    )  # fmt: skip


def _suite_version() -> str:
    try:
        return version("realtime-conformance")
    except PackageNotFoundError:
        return "unknown"


def _not_run(check: Check) -> CheckResult:
    return CheckResult(check.id, check.level, "not run", 0, 0.0, check.description)


def expectations_met(options: RunOptions, checks: Iterable[CheckResult]) -> bool:
    """Tell whether exactly the listed checks failed, every other check having passed."""
    if unmatched(options.expectations, options.checks):
        return False
    return all(
        c.outcome in ("passed", "xfailed")
        or (c.outcome in ("failed", "inconclusive") and c.level != "REQUIRED")
        for c in checks
    )


def make_record(  # noqa: PLR0913 - the record holds each of these
    options: RunOptions,
    *,
    results: dict[str, CheckResult],
    selected: Iterable[str] = (),
    hello: Hello | None = None,
    start_failure: StartFailure | None = None,
    interrupted: bool = False,
) -> RunResults:
    """Build the record of a run: a check selected but without a result was never run."""
    wanted = set(selected) | set(results)
    every = options.checks
    checks = tuple(results.get(c) or _not_run(every[c]) for c in every if c in wanted)
    stale = unmatched(options.expectations, every)
    implementation = attrs.asdict(hello.implementation) if hello else {}
    elapsed = round(time.monotonic() - options.clock, 3)
    fuzz = None
    if options.fuzz is not None:
        cases = sum(c.examples for c in checks)
        database = str(options.examples) if options.examples else None
        rate = round(cases / elapsed, 1) if elapsed > 0 else 0.0
        fuzz = Fuzz(options.fuzz, cases, rate, database)
    # A claim left out stays out of the record, as it was left out of the answer.
    claims = attrs.asdict(hello.claims, filter=lambda _, v: v is not None) if hello else {}
    return RunResults(
        suite_version=_suite_version(),
        protocol=hello.protocol if hello else 1,
        testee=options.command,
        implementation=implementation,
        claims=claims,
        profile=options.profile,
        seed=options.seed,
        started=options.started,
        seconds=elapsed,
        checks=checks,
        expectations=str(options.expectations_file) if options.expectations_file else None,
        unmatched_expectations=tuple(f"{e.pattern}  # {e.reason}" for e in stale),
        verdict=verdict(checks, interrupted=interrupted, start_failure=start_failure),
        start_failure=start_failure,
        expectations_met=expectations_met(options, checks) if options.expectations else None,
        spec=options.spec,
        spec_chosen_by=options.spec_chosen_by,
        fuzz=fuzz,
        **environment(),
        **run_facts(options.command),
    )
