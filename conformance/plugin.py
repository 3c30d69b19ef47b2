"""The pytest plugin: every check is a pytest item whose id is the check id.

``pytest --testee COMMAND`` runs the suite inside any pytest session, so pytest's own
machinery applies unchanged: ``-k`` selection, ``--junitxml``, ``-n`` with pytest-xdist
(each worker drives its own testee process), and ``xfail(strict=True)`` for the entries of
an expectations file. The CLI is this plugin plus a handshake and exit statuses.

The run's state is one `_Run` in the config's stash. What crosses from an xdist worker to
the controller travels on the test reports as typed records (`CheckResult`, `Hello`,
`StartFailure`, serialized with cattrs): the hello once per worker, not once per check.
Whatever happens (a failed start, an error, a signal), the controller writes a record
with a verdict, and every process stops its testee.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import tempfile
import time
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from conformance import tables
from conformance.checks import Check
from conformance.driver import Testee
from conformance.errors import ConformanceError, HandshakeFailed
from conformance.expectations import match
from conformance.fuzz import (
    Display,
    Schedule,
    Tally,
    counted,
    fuzz_order,
    shared_folder,
    tally_path,
)
from conformance.fuzz import summary as fuzz_summary
from conformance.process import sweep
from conformance.progress import Bar
from conformance.protocol import Hello
from conformance.results import (
    CheckResult,
    RunResults,
    StartFailure,
    dump_check,
    load_check,
    write_atomically,
    write_results,
)
from conformance.run import RunOptions, make_record, run_options
from conformance.runner import FUZZ, PROFILES, Profile, needed, run_check
from conformance.signals import catching, raise_pending, received
from conformance.summary import summarize
from conformance.untrusted import clip, printable
from reports import render_all

__all__ = ["ConformanceFailed", "write_reports"]

_RUN = pytest.StashKey["_Run"]()
_RESULT = "realtime-conformance-result"
_HELLO = "realtime-conformance-hello"
_START_FAILED = "realtime-conformance-start-failed"
_LEDGER = "realtime_conformance_ledger"
_RUN_MARK = "realtime_conformance_run_marker"
_TABLES = "realtime_conformance_unicode_tables"
_FUZZ_TIMES = "realtime_conformance_fuzz_times"
_CONVERTER = cattrs.Converter(forbid_extra_keys=True)
# What a record and a junit property keep of any one text from a testee.
TEXT_LIMIT = 20_000
STDERR_LIMIT = 4_000


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the suite's options (also read by the CLI)."""
    group = parser.getgroup("realtime-conformance")
    group.addoption("--testee", help="testee command, or the name of a known testee")
    group.addoption("--profile", choices=sorted(PROFILES), default="default")
    group.addoption("--seed", type=int, default=0, help="base seed (default 0)")
    group.addoption("--timeout", default="10", help="seconds per request (default 10)")
    group.addoption("--start-timeout", default="60", help="seconds for start (default 60)")
    group.addoption("--report-dir", help="write results.json (and reports) here")
    group.addoption("--database", help="Hypothesis' files (default: REPORT_DIR/.hypothesis)")
    group.addoption("--expectations", help="file of check ids expected to fail")
    group.addoption("--spec", help="revision of the object to certify against (default 2024-12-18)")
    group.addoption(
        "--fuzz", metavar="SECONDS", help="fuzz for this long instead of a fixed profile"
    )
    # Used by the CLI only, so hidden from --help.
    group.addoption("--conformance-only", action="store_true", help=argparse.SUPPRESS)
    group.addoption("--claimed-spec", help=argparse.SUPPRESS)


@attrs.define
class _Run:
    """Everything one process knows of the run."""

    options: RunOptions
    testee: Testee | None = None
    hello: Hello | None = None
    hello_sent: bool = False
    start_failure: StartFailure | None = None
    results: dict[str, CheckResult] = attrs.Factory(dict)
    selected: set[str] = attrs.Factory(set)
    other_failures: int = 0
    bar: Bar | None = None
    record: RunResults | None = None
    signals: ExitStack = attrs.Factory(ExitStack)
    """SIGINT and SIGTERM handled by `conformance.signals` (unless the CLI does it)."""
    ledger: Path | None = None
    """A folder holding one empty file per live testee process group of the run, named
    by its id: the controller kills what a worker killed by xdist could not stop."""
    noted: set[int] = attrs.Factory(set)
    token: str = attrs.Factory(lambda: secrets.token_hex(8))
    """Every testee process of the run, in every worker, carries this token in its
    environment: the controller's sweep finds by it a testee started by a worker that was
    killed before the ledger heard of it (interrupted mid-start)."""
    schedule: Schedule | None = None
    """Of a fuzz: how the time is shared between the checks."""
    fuzz_started: float = 0.0
    """Of a fuzz: when it started, on the wall clock."""
    tally: Tally = attrs.Factory(Tally)
    display: Display | None = None
    tables: Path | None = None
    """Of an xdist worker: the file that says Hypothesis' Unicode tables are built."""
    tables_ready: bool = False

    def wait_for_tables(self) -> None:
        """Before the first check draws: wait for the Unicode tables (`conformance.tables`)."""
        if not self.tables_ready:
            tables.ready(self.options.database, self.tables)
            self.tables_ready = True

    @property
    def profile(self) -> Profile:
        """The profile the checks run with."""
        return FUZZ if self.options.fuzz is not None else PROFILES[self.options.profile]

    def note(self) -> None:
        """Enter the testee's current process group in the ledger, in place of older ones.

        A new process means the driver killed and reaped the one before: its id leaves
        the ledger, so that the sweep can never hit a group that reused the id.
        """
        process = self.testee.process if self.testee else None
        if self.ledger is None or process is None or process.pid in self.noted:
            return
        self.forget()
        self.noted.add(process.pid)
        with suppress(OSError):
            (self.ledger / str(process.pid)).touch()

    def forget(self) -> None:
        """Take this process' testees out of the ledger (they are stopped)."""
        for pid in self.noted:
            if self.ledger is not None:
                (self.ledger / str(pid)).unlink(missing_ok=True)
        self.noted.clear()

    def sweep(self) -> None:
        """Kill what the run's testees left (the controller, at the end; idempotent).

        First every process group left in the ledger, then every process that carries the
        run's token.
        """
        if self.ledger is not None:
            for entry in self.ledger.glob("[0-9]*"):
                with suppress(OSError):
                    os.killpg(int(entry.name), signal.SIGKILL)
            shutil.rmtree(self.ledger, ignore_errors=True)
        sweep(self.token)

    def driver(self) -> Testee:
        """Return the testee of this process, started on first use; a failed start is kept."""
        if self.start_failure is not None:
            raise HandshakeFailed(self.start_failure.reason, self.start_failure.stderr)
        if self.testee is None:
            options = self.options
            # Kept before start(), so that stop() also ends a testee interrupted mid-start.
            self.testee = Testee(
                options.command,
                start_timeout=options.start_timeout,
                request_timeout=options.timeout,
                run_token=self.token,
            )
            try:
                self.hello = self.testee.start()
                self.note()
            except ConformanceError as failed:  # not startable, or no answer to start
                stderr = failed.stderr if isinstance(failed, HandshakeFailed) else ""
                self.start_failure = StartFailure(
                    clip(str(failed), TEXT_LIMIT), clip(stderr, STDERR_LIMIT, "tail")
                )
                raise HandshakeFailed(self.start_failure.reason, stderr) from None
        return self.testee

    def stop(self) -> None:
        """Stop the testee, if one was started; safe to call more than once."""
        testee, self.testee = self.testee, None
        if testee is not None:
            testee.stop()
        self.forget()


def pytest_configure(config: pytest.Config) -> None:
    """Check every option before anything runs: a mistake is one sentence, exit status 2."""
    if not config.getoption("testee"):
        return
    try:
        options = run_options(
            testee=config.getoption("testee"),
            profile=config.getoption("profile"),
            seed=config.getoption("seed"),
            timeout=config.getoption("timeout"),
            start_timeout=config.getoption("start_timeout"),
            report_dir=config.getoption("report_dir"),
            database=config.getoption("database"),
            expectations=config.getoption("expectations"),
            spec=config.getoption("spec"),
            claimed_spec=config.getoption("claimed_spec"),
            fuzz=config.getoption("fuzz"),
        )
    except ConformanceError as error:
        raise pytest.UsageError(str(error)) from None
    if options.database is not None:
        # Hypothesis' own files go where the user said, never into the current directory.
        set_hypothesis_home_dir(str(options.database))
        if not hasattr(config, "workerinput"):
            tables.start(options.database)
    run = _Run(options)
    times = (time.time(), time.time() + (options.fuzz or 0))
    if hasattr(config, "workerinput"):
        ledger = config.workerinput.get(_LEDGER)
        run.ledger = Path(ledger) if ledger else None
        run.token = config.workerinput.get(_RUN_MARK, run.token)
        marker = config.workerinput.get(_TABLES)
        run.tables = Path(marker) if marker else None
        times = config.workerinput.get(_FUZZ_TIMES, times)
    else:
        run.ledger = Path(tempfile.mkdtemp(prefix="realtime-conformance-"))
        if options.report_dir is not None:
            # No older record may pass for this run's, whatever happens next.
            (options.report_dir / "results.json").unlink(missing_ok=True)
    if options.fuzz is not None:
        run.fuzz_started = times[0]
        worker = getattr(config, "workerinput", {"workercount": 1, "workerid": "main"})
        run.schedule = Schedule(
            end=times[1], workers=worker["workercount"], shared=shared_folder(run.ledger)
        )
        run.tally = Tally(tally_path(run.ledger, worker["workerid"]))
    run.signals.enter_context(catching())
    config.stash[_RUN] = run
    config.pluginmanager.register(_Hooks(run), "realtime-conformance-run")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Give the signals back their handlers, and make sure the testee is gone."""
    run = config.stash.get(_RUN, None)
    if run is not None:
        run.stop()
        if not hasattr(config, "workerinput"):
            run.sweep()
        run.signals.close()


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
        run = self.config.stash[_RUN]
        try:
            testee = run.driver()
        except HandshakeFailed:
            assert run.start_failure is not None  # noqa: S101 - set by driver()
            self.user_properties.append((_START_FAILED, _dump(run.start_failure)))
            raise
        run.wait_for_tables()
        if not run.hello_sent:
            run.hello_sent = True
            self.user_properties.append((_HELLO, _dump(testee.hello)))
        bar = run.bar
        if bar:
            bar.start(self.check.id)
        profile = run.profile
        deadline, budget = run.schedule.plan(self.check.id) if run.schedule else (None, None)

        def observe(case: object) -> None:
            raise_pending()  # a signal whose first raise was lost (conformance.signals)
            run.tally.case(case)
            if run.display:
                run.display.tick()
            if bar:
                bar.case(case)

        try:
            result = run_check(
                self.check, testee, profile, run.options.seed, observe,
                deadline=deadline, database=run.options.examples,
            )  # fmt: skip
            result = _clipped(attrs.evolve(result, budget=budget))
        finally:
            run.note()  # a protocol failure may have started the testee again
            run.tally.flush()
        self.user_properties.append((_RESULT, dump_check(result)))
        if result.failure is not None:
            raise ConformanceFailed(_explain(result))
        if result.outcome == "inconclusive":
            raise ConformanceFailed(
                f"{result.id}: inconclusive: {result.conclusive} of {result.examples} cases"
                f" were conclusive, {needed(profile, self.check.kind)} needed (the testee"
                " rejected the valid documents they were made from)"
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """Show the explanation, not a traceback; the testee's words escaped."""
        error = excinfo.value
        if isinstance(error, ConformanceFailed):
            return str(error)
        if isinstance(error, HandshakeFailed):
            stderr = printable(error.stderr[-STDERR_LIMIT:], keep_newlines=True)
            return printable(str(error)) + (f"\nstderr of the testee:\n{stderr}" if stderr else "")
        if isinstance(error, ConformanceError):
            return printable(str(error))
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Report the check id as the location."""
        return self.path, None, self.check.id


def _dump(value: Hello | StartFailure) -> str:
    return json.dumps(_CONVERTER.unstructure(value), ensure_ascii=True)


def _clipped(result: CheckResult) -> CheckResult:
    """Keep a bounded amount of each text the testee wrote.

    The document, the expected output and the replay command are the suite's own (the
    shrunk case, bounded by the generators) and stay whole, so that the replay works.
    """
    failure = result.failure
    if failure is None:
        return result
    return attrs.evolve(
        result,
        failure=attrs.evolve(
            failure,
            message=clip(failure.message, TEXT_LIMIT),
            answer=clip(failure.answer, TEXT_LIMIT),
            difference=None if failure.difference is None else clip(failure.difference, TEXT_LIMIT),
            stderr=clip(failure.stderr, STDERR_LIMIT, "tail"),
        ),
    )


def _explain(result: CheckResult) -> str:
    failure = result.failure
    assert failure is not None  # noqa: S101 - only called for failures
    lines = [
        f"{result.id}: {_shown(failure.message, 2000)}",
        f"  rule:       {failure.rule}" if failure.rule else "",
        f"  changed:    {_shown(failure.mutation)}" if failure.mutation else "",
        f"  document:   {_shown(failure.document)}",
        f"  expected:   {_shown(failure.expected)}" if failure.expected is not None else "",
        f"  answer:     {_shown(failure.answer)}",
        f"  difference: {_shown(failure.difference)}" if failure.difference else "",
        f"  stderr:     {_shown(failure.stderr)}" if failure.stderr else "",
        f"  note:       {_shown(failure.note)}" if failure.note else "",
        f"  replay:     {_shown(failure.replay, 2000)}",
    ]
    return "\n".join(line for line in lines if line)


def _shown(text: str | None, limit: int = 500) -> str:
    """Testee text for the terminal: escaped, so it is shown and never interpreted."""
    return printable(clip(text or "", limit))


def _outcome(
    report: pytest.TestReport, props: dict[str, object], check: Check
) -> CheckResult | None:
    """Return the result a report shows; an error or a skip is a result too, never a pass."""
    if _RESULT in props and report.when == "call":
        result = load_check(str(props[_RESULT]))
        if hasattr(report, "wasxfail"):
            return attrs.evolve(result, outcome="xpassed" if report.passed else "xfailed")
        if report.failed and result.outcome == "passed":
            return attrs.evolve(result, outcome="xpassed")  # a strict xfail that passed
        return result
    if report.passed:
        return None  # the setup or teardown of a check: its call reports the result
    return CheckResult(
        check.id, check.level, "skipped" if report.skipped else "error", 0,
        round(report.duration, 3), check.description,
        reason=clip(report.longreprtext, TEXT_LIMIT),
    )  # fmt: skip


class _Hooks:
    """The hooks of one run, bound to its state (pytest calls some without a config)."""

    def __init__(self, run: _Run) -> None:
        self.run = run

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session: pytest.Session, items: list[Any]) -> None:
        """Add one item per check (before -k and -m deselect), marking expected failures.

        A fuzz runs the checks with the least weight first (`conformance.fuzz`).
        """
        checks = self.run.options.checks
        order = list(checks)
        if self.run.schedule is not None:
            order = fuzz_order(order)
        for check in (checks[c] for c in order):
            item = CheckItem.from_parent(session, name=check.id, nodeid=check.id, check=check)
            if entry := match(self.run.options.expectations, check.id):
                # Only a real check failure is the expected one: an error never is.
                item.add_marker(
                    pytest.mark.xfail(strict=True, reason=entry.reason, raises=ConformanceFailed)
                )
            items.append(item)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Note the checks selected; start the bar (CLI, a terminal, no -v, the controller)."""
        config = session.config
        self.run.selected.update(i.nodeid for i in session.items if isinstance(i, CheckItem))
        if self.run.schedule is not None:
            self.run.schedule.selected = tuple(self.run.selected)
            return  # a fuzz shows its own progress (`pytest_sessionstart`)
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        capture = config.pluginmanager.get_plugin("capturemanager")
        wanted = (
            config.getoption("conformance_only")
            and config.get_verbosity() <= 0
            and reporter is not None
            and reporter.isatty
            and capture is not None
            and not hasattr(config, "workerinput")
        )
        if wanted:
            self.run.bar = Bar(reporter, capture, total=len(self.run.selected))

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Of a fuzz, on the controller: show its progress (a line redrawn, or one a minute)."""
        run, config = self.run, session.config
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        capture = config.pluginmanager.get_plugin("capturemanager")
        if run.schedule is None or hasattr(config, "workerinput") or reporter is None:
            return
        redraw = bool(
            config.getoption("conformance_only") and config.get_verbosity() <= 0 and reporter.isatty
        )
        shown = reporter.rewrite if redraw else reporter.write_line

        def write(line: str) -> None:
            # Between two cases of a check pytest captures the output: suspend it to draw.
            if capture is None:
                shown(line)
                return
            with capture.global_and_fixture_disabled():
                shown(line)

        run.display = Display(
            write=write,
            start=run.fuzz_started,
            end=run.schedule.end,
            cases=lambda: counted(run.ledger, run.tally),
            failures=lambda: sum(r.outcome == "failed" for r in run.results.values()),
            redraw=redraw,
        )
        if config.pluginmanager.has_plugin("dsession"):  # the xdist controller
            run.display.begin_thread()

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """Give each worker the run's token, its testee ledger and the fuzz' times."""
        node.workerinput[_RUN_MARK] = self.run.token
        database = self.run.options.database
        marker = tables.done_marker(database) if database is not None else None
        if marker is not None:
            node.workerinput[_TABLES] = str(marker)
        if self.run.ledger is not None:
            node.workerinput[_LEDGER] = str(self.run.ledger)
        if self.run.schedule is not None:
            node.workerinput[_FUZZ_TIMES] = (self.run.fuzz_started, self.run.schedule.end)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """On the xdist controller: the checks a worker will run (never run is no pass)."""
        del node
        self.run.selected.update(i for i in ids if i in self.run.options.checks)

    @pytest.hookimpl(tryfirst=True)  # kept before the terminal shows it, signal or not
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Collect each check's result (on the xdist controller too, from the reports)."""
        run = self.run
        checks = run.options.checks
        if report.nodeid not in checks:
            run.other_failures += report.failed
            return
        props = dict(report.user_properties)
        if _HELLO in props and run.hello is None:
            run.hello = _CONVERTER.structure(json.loads(str(props[_HELLO])), Hello)
        if _START_FAILED in props and run.start_failure is None:
            run.start_failure = _CONVERTER.structure(
                json.loads(str(props[_START_FAILED])), StartFailure
            )
        result = _outcome(report, props, checks[report.nodeid])
        if result is None:
            return
        if run.bar and report.when == "call":
            run.bar.finish(report.nodeid, failed=report.failed)
        entry = match(run.options.expectations, result.id)
        run.results[result.id] = attrs.evolve(result, reason=entry.reason if entry else "")

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> tuple[str, str, str] | None:
        """While a bar is drawn, checks print no letter of their own (the bar counts them)."""
        display = self.run.display
        if self.run.bar is None and (display is None or not display.redraw):
            return None
        if report.when != "call":
            return ("", "", "") if report.passed else None
        if hasattr(report, "wasxfail"):
            return ("xfailed" if report.skipped else "xpassed"), "", ""
        return report.outcome, "", ""

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Stop the testee; on the controller, write the record and set the exit status."""
        run = self.run
        config = session.config
        try:
            run.stop()
        finally:
            if run.bar:
                run.bar.close()
            if run.display:
                run.display.close()
                if run.display.redraw:  # end the line drawn in place
                    terminal = config.pluginmanager.get_plugin("terminalreporter")
                    if terminal is not None:
                        terminal.write_line("")
        if hasattr(config, "workerinput"):
            return
        if (
            exitstatus == pytest.ExitCode.INTERRUPTED
            and (config.getoption("maxfail") or 0) > 0
            and received() is None
        ):
            # pytest-xdist reports -x (maxfail) as an interruption: it is a failed run.
            exitstatus = pytest.ExitCode.TESTS_FAILED
        interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
        if interrupted:
            run.sweep()  # before xdist waits for its workers, which wait for their testees
        run.record = record = make_record(
            run.options,
            results=run.results,
            selected=run.selected,
            hello=run.hello,
            start_failure=run.start_failure,
            interrupted=interrupted,
        )
        if run.options.report_dir is not None:
            write_reports(run.options.report_dir, record)
        if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            return  # interrupted, a usage or internal error, or nothing collected: as is
        passed = (
            record.expectations_met if record.expectations_met is not None else (record.conformant)
        )
        others_passed = run.other_failures == 0
        session.exitstatus = (
            pytest.ExitCode.OK if passed and others_passed else pytest.ExitCode.TESTS_FAILED
        )

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the summary table, stale expectations and the ratchet command."""
        record = self.run.record
        if record is not None:
            summarize(terminalreporter.section, terminalreporter.write_line, record)
            if record.fuzz is not None:
                terminalreporter.write_line(
                    fuzz_summary(record.fuzz.cases, record.seconds, record.fuzz.duration)
                )


def write_reports(directory: Path, record: RunResults) -> None:
    """Write the record, then every report rendered from it, each file atomically."""
    write_results(directory, record)
    for name, text in render_all(record).items():
        if name != "results.json":
            write_atomically(directory / name, text)
