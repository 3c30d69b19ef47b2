"""``realtime-conformance``: check the options, then run the pytest plugin.

The CLI adds what pytest cannot know: a handshake before anything runs (so a command
that cannot start is a usage error, exit 2, and a testee that cannot complete ``start``
is not conformant, exit 1), and one exit status per verdict.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from conformance import report_command
from conformance.build import build_all, listing
from conformance.driver import Testee
from conformance.errors import ConformanceError, HandshakeFailed, UsageError
from conformance.runner import PROFILES
from conformance.testees import bundled, resolve

__all__ = ["main"]

EXIT_CONFORMANT, EXIT_NOT_CONFORMANT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="realtime-conformance",
        description="Certify an implementation of RealtimeSessionCreateResponse.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="certify a testee")
    run.add_argument("--testee", required=True, help="a shell command, or a bundled name")
    run.add_argument("--profile", choices=sorted(PROFILES), default="default")
    run.add_argument("--report-dir", type=Path, default=Path("report"))
    run.add_argument("--expectations", type=Path, help="checks expected to fail")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--timeout", type=_positive, default=10.0, help="seconds per request")
    run.add_argument("--start-timeout", type=_positive, default=60.0, help="seconds for start")
    run.add_argument("-n", dest="workers", type=int, default=1, help="parallel testees")
    run.add_argument("-k", dest="keyword", help="run only checks matching this expression")
    commands.add_parser("testees", help="list the bundled testees")
    report_command.add_parser(commands)
    build = commands.add_parser("build", help="build bundled testees (install what they wrap)")
    build.add_argument("names", nargs="+", metavar="NAME", help="a bundled testee's name")
    return parser


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def _handshake(command: str, start_timeout: float) -> str:
    with Testee(command, start_timeout=start_timeout) as testee:
        hello = testee.start()
    impl = hello.implementation
    return f"{impl.name} {impl.version} ({impl.language}), claims {hello.claims.validation}"


def _pytest_args(options: argparse.Namespace, command: str) -> list[str]:
    ini = Path(__file__).with_name("pytest.ini")
    args = [
        "-c", str(ini), "--rootdir", str(Path.cwd()), "-p", "no:cacheprovider",
        "--conformance-only", "--testee", command, "--profile", options.profile,
        "--seed", str(options.seed), "--timeout", str(options.timeout),
        "--start-timeout", str(options.start_timeout), "--report-dir", str(options.report_dir),
        "-rN", "--tb=short", "-W", "ignore::pytest.PytestAssertRewriteWarning",
    ]  # fmt: skip
    # On a terminal the plugin draws a bar; in a log, a line per check reads better.
    args += ["-o", "console_output_style=classic"] if sys.stdout.isatty() else ["-v"]
    if options.expectations:
        args += ["--expectations", str(options.expectations)]
    if options.keyword:
        args += ["-k", options.keyword]
    if options.workers > 1:
        if importlib.util.find_spec("xdist") is None:
            raise UsageError("-n needs pytest-xdist: pip install pytest-xdist")
        args += ["-n", str(options.workers)]
    return args


def _run(options: argparse.Namespace) -> int:
    if options.expectations and not options.expectations.is_file():
        raise UsageError(f"the expectations file {options.expectations} does not exist")
    if options.workers < 1:
        raise UsageError("-n needs at least 1 worker")
    try:
        options.report_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"cannot create the report directory {options.report_dir}: {error.strerror}"
        ) from None
    command = resolve(options.testee)
    try:
        print(f"testee: {_handshake(command, options.start_timeout)}", flush=True)  # noqa: T201
    except HandshakeFailed as error:
        print(f"realtime-conformance: {error}", file=sys.stderr)  # noqa: T201
        return EXIT_NOT_CONFORMANT
    status = pytest.main(_pytest_args(options, command))
    if status in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return int(status)
    if status == pytest.ExitCode.NO_TESTS_COLLECTED:
        raise UsageError("no check matched the selection")
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return its exit status (0 conformant, 1 not conformant, 2 usage)."""
    options = _parser().parse_args(argv)
    try:
        if options.command == "testees":
            print(listing(bundled()), end="")  # noqa: T201
            return EXIT_CONFORMANT
        if options.command == "report":
            return report_command.run(options)
        if options.command == "build":
            return build_all(options.names)
        return _run(options)
    except ConformanceError as error:
        # A usage error exits 2, a failed build 1: each error class carries its status.
        print(f"realtime-conformance: {error}", file=sys.stderr)  # noqa: T201
        return error.exit_status
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_NOT_CONFORMANT


if __name__ == "__main__":
    sys.exit(main())
