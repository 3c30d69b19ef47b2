"""The pytest plugin: every check is a pytest item whose id is the check id.

``pytest --testee COMMAND`` runs the suite inside any pytest session, so pytest's own
machinery applies unchanged: ``-k`` selection, ``--junitxml``, ``-n`` with pytest-xdist
(each worker drives its own testee process), and ``xfail(strict=True)`` for the entries of
an expectations file. The CLI is this plugin plus option checking and exit statuses.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import attrs
import pytest

from conformance.checks import CHECKS, Check
from conformance.driver import Testee
from conformance.errors import ConformanceError
from conformance.expectations import load_expectations, match, unmatched, write_expectations
from conformance.progress import Bar
from conformance.results import (
    CheckResult,
    RunResults,
    dump_check,
    environment,
    load_check,
    load_results,
)
from conformance.runner import PROFILES, run_check
from conformance.testees import resolve, run_facts
from reports import render_all

_STATE = pytest.StashKey["_State"]()
_RESULT = "realtime-conformance-result"
_HELLO = "realtime-conformance-hello"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the suite's options (also read by the CLI)."""
    group = parser.getgroup("realtime-conformance")
    group.addoption("--testee", help="testee command, or the name of a bundled testee")
    group.addoption("--profile", choices=sorted(PROFILES), default="default")
    group.addoption("--seed", type=int, default=0, help="base seed (default 0)")
    group.addoption("--timeout", type=float, default=10.0, help="seconds per request")
    group.addoption("--start-timeout", type=float, default=60.0, help="seconds for start")
    group.addoption("--report-dir", help="write results.json (and reports) here")
    group.addoption("--expectations", help="file of check ids expected to fail")
    # Used by the CLI only, so hidden from --help.
    group.addoption("--conformance-only", action="store_true", help=argparse.SUPPRESS)


@attrs.define
class _State:
    command: str
    options: dict[str, Any]
    expectations: list[Any]
    testee: Testee | None = None
    results: dict[str, CheckResult] = attrs.Factory(dict)
    hello: dict[str, Any] | None = None
    started: float = attrs.Factory(time.monotonic)
    bar: Bar | None = None

    def driver(self) -> Testee:
        if self.testee is None:
            self.testee = Testee(
                self.command,
                start_timeout=self.options["start_timeout"],
                request_timeout=self.options["timeout"],
            )
            self.testee.start()
        return self.testee


def pytest_configure(config: pytest.Config) -> None:
    """Read the options once; a bad expectations file stops the session with one sentence."""
    testee = config.getoption("testee")
    if not testee:
        return
    try:
        command = resolve(testee)
        path = config.getoption("expectations")
        expectations = load_expectations(Path(path)) if path else []
    except ConformanceError as error:
        raise pytest.UsageError(str(error)) from None
    options = {
        name: config.getoption(name)
        for name in ("profile", "seed", "timeout", "start_timeout", "report_dir", "expectations")
    }
    config.stash[_STATE] = _State(command, options, expectations)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under the CLI, collect nothing but the checks."""
    del collection_path
    return True if config.getoption("conformance_only") else None


class ConformanceFailed(Exception):  # noqa: N818 - reads as the verdict in pytest output
    """A check failed; the message is the full explanation."""


class CheckItem(pytest.Item):
    """One check, run against the testee of this process."""

    def __init__(self, *, check: Check, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check

    def runtest(self) -> None:
        """Run the check; record its result; fail with the shrunk case."""
        state = self.config.stash[_STATE]
        testee = state.driver()
        profile = PROFILES[state.options["profile"]]
        bar = state.bar
        if bar:
            bar.start(self.check.id)
        observe = bar.case if bar else None
        result = run_check(self.check, testee, profile, state.options["seed"], observe)
        self.user_properties.append((_RESULT, dump_check(result)))
        self.user_properties.append((_HELLO, json.dumps(attrs.asdict(testee.hello))))
        if result.failure is not None:
            raise ConformanceFailed(_explain(result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """Show the explanation, not a traceback."""
        if isinstance(excinfo.value, ConformanceFailed | ConformanceError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Report the check id as the location."""
        return self.path, None, self.check.id


def _explain(result: CheckResult) -> str:
    failure = result.failure
    assert failure is not None  # noqa: S101 - only called for failures
    lines = [
        f"{result.id}: {failure.message}",
        f"  rule:       {failure.rule}" if failure.rule else "",
        f"  changed:    {failure.mutation}" if failure.mutation else "",
        f"  document:   {_clip(failure.document)}",
        f"  expected:   {_clip(failure.expected)}" if failure.expected is not None else "",
        f"  answer:     {_clip(failure.answer)}",
        f"  difference: {failure.difference}" if failure.difference else "",
        f"  stderr:     {_clip(failure.stderr)}" if failure.stderr else "",
        f"  note:       {failure.note}" if failure.note else "",
        f"  replay:     {_clip(failure.replay, 2000)}",
    ]
    return "\n".join(line for line in lines if line)


def _clip(text: str | None, limit: int = 500) -> str:
    text = text or ""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Add one item per check (before -k and -m deselect), marking expected failures."""
    if _STATE not in config.stash:
        return
    state = config.stash[_STATE]
    for check in CHECKS.values():
        item = CheckItem.from_parent(session, name=check.id, nodeid=check.id, check=check)
        if entry := match(state.expectations, check.id):
            item.add_marker(pytest.mark.xfail(strict=True, reason=entry.reason))
        items.append(item)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect each check's result (on the xdist controller too, from the reports)."""
    props = dict(report.user_properties)
    if _RESULT not in props or report.when != "call":
        return
    config = _CONFIG[0] if _CONFIG else None
    if config is None or _STATE not in config.stash:
        return
    state = config.stash[_STATE]
    if state.bar:
        state.bar.finish(report.nodeid, failed=report.failed)
    result = load_check(str(props[_RESULT]))
    outcome = result.outcome
    if hasattr(report, "wasxfail"):
        outcome = "xpassed" if report.passed else "xfailed"
    elif report.failed and result.outcome == "passed":
        outcome = "xpassed"  # a strict xfail that passed fails the report
    entry = match(state.expectations, result.id)
    state.results[result.id] = attrs.evolve(
        result, outcome=outcome, reason=entry.reason if entry else ""
    )
    state.hello = state.hello or json.loads(str(props[_HELLO]))


_CONFIG: list[pytest.Config] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Remember the config, for the report hook that pytest calls without one."""
    _CONFIG[:] = [session.config]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the progress bar: CLI, a terminal, no -v, and the process that owns the terminal."""
    config = session.config
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    wanted = (
        _STATE in config.stash
        and config.getoption("conformance_only")
        and config.get_verbosity() <= 0
        and reporter is not None
        and reporter.isatty
        and config.pluginmanager.get_plugin("capturemanager") is not None
        and not hasattr(config, "workerinput")
    )
    if wanted:
        capture = config.pluginmanager.get_plugin("capturemanager")
        config.stash[_STATE].bar = Bar(reporter, capture, total=len(session.items))


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(
    report: pytest.TestReport, config: pytest.Config
) -> tuple[str, str, str] | None:
    """While the bar is drawn, checks print no letter of their own (the bar counts them)."""
    if _STATE not in config.stash or config.stash[_STATE].bar is None:
        return None
    if report.when != "call":
        return ("", "", "") if report.passed else None
    if hasattr(report, "wasxfail"):
        return ("xfailed" if report.skipped else "xpassed"), "", ""
    return report.outcome, "", ""


def _suite_version() -> str:
    try:
        return version("realtime-conformance")
    except PackageNotFoundError:
        return "unknown"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the testee; on the controller, write results and enforce the expectations."""
    config = session.config
    if _STATE not in config.stash:
        return
    state = config.stash[_STATE]
    if state.testee is not None:
        state.testee.stop()
    if state.bar:
        state.bar.close()
    if hasattr(config, "workerinput"):
        return
    stale = unmatched(state.expectations, CHECKS)
    results = attrs.evolve(_results(state, stale), **run_facts(config.getoption("testee")))
    state.options["results"] = results
    if directory := state.options["report_dir"]:
        _write(Path(directory), results)
    unexpected = [c for c in results.checks if c.outcome in ("failed", "xpassed", "error")
                  and (c.level == "REQUIRED" or c.outcome != "failed")]  # fmt: skip
    if state.expectations and (stale or unexpected):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif exitstatus == pytest.ExitCode.TESTS_FAILED and results.conformant:
        # Only RECOMMENDED checks failed: reported, but the testee is conformant.
        session.exitstatus = pytest.ExitCode.OK


def _results(state: _State, stale: list[Any]) -> RunResults:
    hello = state.hello or {}
    return RunResults(
        suite_version=_suite_version(),
        protocol=1,
        testee=state.command,
        implementation=hello.get("implementation", {}),
        claims=hello.get("claims", {}),
        profile=state.options["profile"],
        seed=state.options["seed"],
        started=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=round(time.monotonic() - state.started, 3),
        checks=tuple(state.results[c] for c in CHECKS if c in state.results),
        expectations=state.options["expectations"],
        unmatched_expectations=tuple(f"{e.pattern}  # {e.reason}" for e in stale),
        **environment(),
    )


def _write(directory: Path, results: RunResults) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    files = render_all(results)  # results.json and every report rendered from it
    load_results(files["results.json"])  # a record that cannot be read back is a bug, found here
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the summary table, stale expectations and the ratchet command."""
    if _STATE not in config.stash or hasattr(config, "workerinput"):
        return
    state = config.stash[_STATE]
    results: RunResults | None = state.options.get("results")
    if results is None:
        return
    write = terminalreporter.write_line
    terminalreporter.section("realtime-conformance")
    impl = results.implementation
    name = f"{impl.get('name', '?')} {impl.get('version', '')} ({impl.get('language', '?')})"
    write(
        f"testee: {name}  claims: {results.claims}  profile: {results.profile}"
        f"  seed: {results.seed}"
    )
    counts: dict[tuple[str, str], int] = {}
    for c in results.checks:
        counts[(c.level, c.outcome)] = counts.get((c.level, c.outcome), 0) + 1
    write(f"{'level':<12}{'outcome':<10}{'checks':>7}")
    for (level, outcome), count in sorted(counts.items()):
        write(f"{level:<12}{outcome:<10}{count:>7}")
    for entry in results.unmatched_expectations:
        write(f"expectation matches no check: {entry}")
    failed = [c for c in results.checks if c.outcome in ("failed", "xfailed")]
    if state.expectations or failed:
        _ratchet_hint(write, results, failed, state)
    write("conformant" if results.conformant else "NOT conformant")


def _ratchet_hint(
    write: Any, results: RunResults, failed: list[CheckResult], state: _State
) -> None:
    """Print the command that makes the current failures the expected ones."""
    del results
    target = state.options["expectations"] or "expectations.txt"
    content = write_expectations((c.id, c.reason or (c.failure.message if c.failure else ""))
                                 for c in failed)  # fmt: skip
    write("to make the current failures the expected ones, run:")
    write(f"  printf '%s' {shlex.quote(content)} > {shlex.quote(target)}")


def main() -> None:  # pragma: no cover - convenience for `python -m conformance.plugin`
    """Run pytest with this plugin."""
    sys.exit(pytest.main(sys.argv[1:]))
