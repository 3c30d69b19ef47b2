"""``realtime-conformance``: check the options, shake hands, then run the pytest plugin.

The CLI adds what pytest cannot know: every option is checked and the selection is
collected before any testee starts (a mistake is one sentence, exit status 2), a
handshake shows who answers, and each verdict has its exit status. Once the options are
valid, the run leaves a ``results.json`` with a verdict, however it ends.

Exit statuses: 0 conformant (or, with ``--expectations``, exactly the expected
failures), 1 not conformant or the testee could not complete ``start``, 2 a usage
error, 130 interrupted by SIGINT, 143 by SIGTERM.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

import attrs
import pytest

from conformance import report_command, tables
from conformance.build import build_all, listing
from conformance.driver import Testee
from conformance.errors import ConformanceError, HandshakeFailed, UsageError
from conformance.plugin import STDERR_LIMIT, TEXT_LIMIT, write_reports
from conformance.results import StartFailure
from conformance.run import RunOptions, make_record, revision, run_options
from conformance.runner import PROFILES
from conformance.signals import EXIT_STATUS, catching, received
from conformance.summary import describe
from conformance.testees import bundled
from conformance.untrusted import clip, printable
from strategies.revisions import DEFAULT, SPECS

__all__ = ["main"]

EXIT_CONFORMANT, EXIT_NOT_CONFORMANT, EXIT_USAGE = 0, 1, 2
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="realtime-conformance",
        description="Certify an implementation of RealtimeSessionCreateResponse.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="certify a testee")
    _add_run_options(run, database="Hypothesis' files (default: REPORT_DIR)", verb="run")
    run.add_argument("--profile", choices=sorted(PROFILES), default="default")
    run.add_argument("--expectations", type=Path, help="checks expected to fail")
    fuzz = commands.add_parser("fuzz", help="fuzz a testee for a time (docs/fuzzing.md)")
    _add_run_options(
        fuzz, database="failures kept and replayed first (default: REPORT_DIR)", verb="fuzz"
    )
    fuzz.add_argument("--duration", required=True, help="seconds to fuzz for")
    fuzz.set_defaults(profile="default", expectations=None)
    commands.add_parser("testees", help="list the testees known by name")
    commands.add_parser("specs", help="list the revisions of the object, and what each changed")
    report_command.add_parser(commands)
    build = commands.add_parser("build", help="build bundled testees (install what they wrap)")
    build.add_argument("names", nargs="+", metavar="NAME", help="a bundled testee's name")
    return parser


def _add_run_options(command: argparse.ArgumentParser, *, database: str, verb: str) -> None:
    """Add the options that ``run`` and ``fuzz`` share."""
    command.add_argument("--testee", required=True, help="a shell command, or a testee's name")
    command.add_argument("--report-dir", type=Path, default=Path("report"))
    command.add_argument("--database", type=Path, help=database)
    command.add_argument("--seed", type=int, default=0)
    command.add_argument("--timeout", default="10", help="seconds per request (default 10)")
    command.add_argument("--start-timeout", default="60", help="seconds for start (default 60)")
    command.add_argument("-n", dest="workers", type=int, default=1, help="parallel testees")
    command.add_argument("-k", dest="keyword", help=f"{verb} only checks matching this expression")
    command.add_argument(
        "--spec", help="revision of the object (default: the testee's claims.spec, else 2024-12-18)"
    )
    command.add_argument(
        "-x", "--exitfirst", action="store_true", help="stop at the first check that fails"
    )


def _pytest_args(args: argparse.Namespace, options: RunOptions) -> list[str]:
    ini = Path(__file__).with_name("pytest.ini")
    pytest_args = [
        "-c", str(ini), "--rootdir", str(Path.cwd()), "-p", "no:cacheprovider",
        "--conformance-only", "--testee", options.command,
        "--seed", str(options.seed), "--timeout", repr(options.timeout),
        "--start-timeout", repr(options.start_timeout),
        "-rN", "--tb=short", "-W", "ignore::pytest.PytestAssertRewriteWarning",
    ]  # fmt: skip
    # On a terminal the plugin draws a bar; in a log, a line per check reads better.
    pytest_args += ["-o", "console_output_style=classic"] if sys.stdout.isatty() else ["-v"]
    if options.fuzz is None:
        pytest_args += ["--profile", options.profile]
    for flag, value in (
        ("--fuzz", None if options.fuzz is None else repr(options.fuzz)),
        ("--report-dir", options.report_dir),
        ("--database", options.database),
        ("--expectations", options.expectations_file),
        ("-k", args.keyword),
    ):
        if value is not None:
            pytest_args += [flag, str(value)]
    if options.spec_chosen_by != "default":
        # The plugin records how the revision was chosen: a claim is not an option.
        flag = "--spec" if options.spec_chosen_by == "option" else "--claimed-spec"
        pytest_args += [flag, options.spec]
    if args.exitfirst:
        pytest_args.append("--exitfirst")
    if args.workers > 1:
        # Checks differ a hundredfold in cost and the costly (valid) ones come first: with
        # xdist's default, one worker got them all in its first batch and the other idled
        # at the end. Work stealing moves what a busy worker has not started yet.
        pytest_args += ["-n", str(args.workers), "--dist", "worksteal"]
    return pytest_args


class _Count:
    """A pytest plugin that counts the items a collection selects."""

    items = 0

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.items = len(session.items)


def _check(args: argparse.Namespace) -> RunOptions:
    """Check every option, and the -k selection, before any testee starts."""
    if args.workers < 1:
        raise UsageError("-n needs at least 1 worker")
    if args.workers > 1 and importlib.util.find_spec("xdist") is None:
        raise UsageError("-n needs pytest-xdist: pip install pytest-xdist")
    options = run_options(
        testee=args.testee, profile=args.profile, seed=args.seed, timeout=args.timeout,
        start_timeout=args.start_timeout, report_dir=args.report_dir,
        database=args.database, expectations=args.expectations, spec=args.spec,
        fuzz=getattr(args, "duration", None),
    )  # fmt: skip
    if args.keyword is not None:
        count = _Count()
        with Path(os.devnull).open("w", encoding="utf-8") as quiet, _redirected(quiet):
            status = pytest.main(
                [*_pytest_args(args, attrs.evolve(options, report_dir=None)), "--collect-only"],
                plugins=[count],
            )
        if status == pytest.ExitCode.USAGE_ERROR or count.items == 0:
            raise UsageError(f"-k {args.keyword!r} matches no check")
    return options


@contextmanager
def _redirected(stream: TextIO) -> Iterator[None]:
    saved = sys.stdout
    sys.stdout = stream
    try:
        yield
    finally:
        sys.stdout = saved


def _say(text: str) -> None:
    print(f"realtime-conformance: {text}", file=sys.stderr, flush=True)  # noqa: T201


def _start_failed(options: RunOptions, error: HandshakeFailed) -> int:
    failure = StartFailure(clip(str(error), TEXT_LIMIT), clip(error.stderr, STDERR_LIMIT, "tail"))
    _record(options, start_failure=failure)
    _say(printable(failure.reason))
    if failure.stderr.strip():
        print("stderr of the testee:", file=sys.stderr)  # noqa: T201
        print(printable(failure.stderr, keep_newlines=True), file=sys.stderr)  # noqa: T201
    return EXIT_NOT_CONFORMANT


def _record(
    options: RunOptions, *, start_failure: StartFailure | None = None, interrupted: bool = False
) -> None:
    if options.report_dir is not None:
        record = make_record(
            options, results={}, start_failure=start_failure, interrupted=interrupted
        )
        write_reports(options.report_dir, record)


def _map_large_blocks() -> None:
    """Have glibc map every block over 128 KiB on its own, so that freeing one returns it.

    glibc raises its mmap threshold each time it frees a mapped block (up to 32 MiB):
    after a testee's first multi-megabyte answer, the next ones come from the heap, and
    the runner keeps what it frees there to the end of the run. A fixed threshold keeps
    the peak to what is alive at once. Elsewhere (no glibc) nothing changes.
    """
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, 128 * 1024)


def _run(args: argparse.Namespace) -> int:
    options = _check(args)
    if options.database is not None:
        # Built beside the handshake and pytest's start, not after them.
        tables.start(options.database)
    _map_large_blocks()
    if options.report_dir is not None:
        # No older record may pass for this run's, whatever happens next.
        (options.report_dir / "results.json").unlink(missing_ok=True)
    with catching():
        try:
            testee = Testee(options.command, start_timeout=options.start_timeout)
            try:
                hello = testee.start()
            finally:
                testee.stop()
            impl, claims = attrs.asdict(hello.implementation), attrs.asdict(hello.claims)
            print(f"testee: {describe(impl, claims)}", flush=True)  # noqa: T201
            options = _revision(options, hello.claims.spec)
            status = pytest.main(_pytest_args(args, options))
        except HandshakeFailed as error:
            return _start_failed(options, error)
        except KeyboardInterrupt:
            # Only the handshake can be interrupted here: pytest turns it into a status.
            _record(options, interrupted=True)
            status = pytest.ExitCode.INTERRUPTED
        number = received()
    if status == pytest.ExitCode.INTERRUPTED:
        _say("interrupted; the checks finished so far are in the record")
        return EXIT_STATUS.get(signal.Signals(number or signal.SIGINT), 130)
    if status in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return int(status)
    if status == pytest.ExitCode.NO_TESTS_COLLECTED:
        raise UsageError("no check matched the selection")
    return EXIT_USAGE


def _revision(options: RunOptions, claimed: str | None) -> RunOptions:
    """Certify against the testee's claimed revision unless --spec chose one; say which."""
    if claimed is not None and options.spec_chosen_by != "option":
        options = attrs.evolve(
            options, spec=revision(claimed, "the testee claims the revision"),
            spec_chosen_by="claims",
        )  # fmt: skip
    why = {"option": "--spec", "claims": "the testee's claim", "default": "the default"}
    overridden = f", not the claimed {claimed}" if claimed not in (None, options.spec) else ""
    print(  # noqa: T201
        f"revision: {options.spec} ({why[options.spec_chosen_by]}{printable(overridden)})",
        flush=True,
    )
    return options


def _specs(args: argparse.Namespace) -> int:
    del args
    for spec in SPECS.values():
        default = " (default)" if spec.revision == DEFAULT else ""
        print(f"{spec.revision}{default}  {spec.summary}")  # noqa: T201
    return EXIT_CONFORMANT


def _testees(args: argparse.Namespace) -> int:
    del args
    print(printable(listing(bundled()), keep_newlines=True), end="")  # noqa: T201
    return EXIT_CONFORMANT


def _build(args: argparse.Namespace) -> int:
    return build_all(args.names)


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build,
    "report": report_command.run,
    "fuzz": _run,
    "run": _run,
    "specs": _specs,
    "testees": _testees,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return its exit status (see the module's docstring)."""
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except ConformanceError as error:
        # A usage error exits 2, a failed build 1: each error class carries its status.
        _say(printable(str(error)))
        return error.exit_status
    except KeyboardInterrupt:  # before the run's own handlers, or after them
        _say("interrupted")
        return EXIT_STATUS[signal.SIGINT]
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_NOT_CONFORMANT


if __name__ == "__main__":
    sys.exit(main())
