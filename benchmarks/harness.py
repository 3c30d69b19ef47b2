"""What the subprocess protocol costs: the reference through pipes beside the same code in-process.

The suite's throughput is bounded by two things, the testee and the harness around it
(generation, checking, shrinking). Running the reference implementation both ways, with
the same checks, profile and seed through `conformance.runner.run_check`, shows how much
of a run is the JSON-lines transport, and the time spent inside ``roundtrip`` shows how
much is the harness itself, whichever testee is plugged in.

Run from the repository root: ``python benchmarks/harness.py [--profile P] [--checks GLOB]``.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import platform
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

# Run as a script from anywhere: the packages live at the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conformance.checks import CHECKS, Check
from conformance.driver import InProcess, Testee
from conformance.errors import ConformanceError, HandshakeFailed
from conformance.runner import PROFILES, Profile, run_check
from strategies.codec import decode, encode
from strategies.errors import DocumentError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from conformance.protocol import Answer, Hello

ROOT = Path(__file__).resolve().parents[1]
SEED = 0
"""One fixed seed, so that both modes draw the same cases and runs can be compared."""
# How many checks of each kind the default selection takes, spread over the registry.
_SAMPLE = {"valid": None, "invalid": 4, "malformed": 3}
_EXIT_USAGE = 2


class BenchmarkError(Exception):
    """Something the benchmark needs is missing; its message is one sentence."""


class Timed:
    """A testee whose ``roundtrip`` calls are timed; everything else is passed through."""

    def __init__(self, testee: Testee | InProcess) -> None:
        self._testee = testee
        self.inside = 0.0
        self.roundtrips = 0

    def roundtrip(self, document: str) -> Answer:
        """Forward to the testee, adding the time it took to `inside`."""
        start = time.perf_counter()
        try:
            return self._testee.roundtrip(document)
        finally:
            self.inside += time.perf_counter() - start
            self.roundtrips += 1

    def __getattr__(self, name: str) -> object:
        return getattr(self._testee, name)


def reference_handler(document: str) -> tuple[bool, str]:
    """Answer as the reference testee does, without the process around it."""
    try:
        return True, encode(decode(document))
    except DocumentError as error:
        return False, str(error)


def _spread(ids: Sequence[str], count: int | None) -> list[str]:
    if count is None or len(ids) <= count:
        return list(ids)
    return [ids[i * len(ids) // count] for i in range(count)]


def select_checks(pattern: str | None) -> list[Check]:
    """Return the checks matching *pattern*, or by default a spread of every kind."""
    if pattern is not None:
        chosen = [c for i, c in CHECKS.items() if fnmatch.fnmatchcase(i, pattern)]
        if not chosen:
            raise BenchmarkError(f"--checks {pattern!r} matches no check id")
        return chosen
    ids: list[str] = []
    for kind, count in _SAMPLE.items():
        ids += _spread([i for i, c in CHECKS.items() if c.kind == kind], count)
    return [CHECKS[i] for i in ids]


def _reference_testee() -> Testee:
    if not sys.executable:
        raise BenchmarkError("this Python cannot name its own executable to start the testee")
    if not os.access(sys.executable, os.X_OK):
        raise BenchmarkError(f"the Python executable {sys.executable} cannot be run")
    # The testee imports the codec: make it this checkout's, as it is in-process.
    path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    return Testee(
        [sys.executable, "-m", "conformance.reference_testee"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
    )


def measure(
    testee: Testee | InProcess, checks: Sequence[Check], profile: Profile
) -> tuple[int, float, float, list[str]]:
    """Run *checks*; return the cases, the seconds, the seconds inside, and failed ids."""
    timed = Timed(testee)
    # run_check needs only what Timed passes through; the cast states that to mypy.
    proxy = cast("Testee", timed)
    cases, failed = 0, []
    start = time.perf_counter()
    for check in checks:
        result = run_check(check, proxy, profile, SEED)
        cases += result.examples
        if result.outcome != "passed":
            failed.append(check.id)
    return cases, time.perf_counter() - start, timed.inside, failed


def _row(mode: str, cases: int, seconds: float, inside: float) -> str:
    outside = 1 - inside / seconds if seconds else 0.0
    rate = cases / seconds if seconds else 0.0
    return f"{mode:<12} {cases:>7} {seconds:>9.2f} {rate:>9.1f} {outside:>16.1%}"


def run(profile: Profile, checks: Sequence[Check]) -> None:
    """Measure both modes, printing the table a row at a time."""
    failures: dict[str, list[str]] = {}
    with _reference_testee() as testee:
        try:
            hello = testee.start()
        except HandshakeFailed as error:
            tail = error.stderr.strip().splitlines()[-1:]
            raise BenchmarkError(" ".join([str(error), *tail])) from None
        _say(
            f"Python {platform.python_version()}, profile {profile.name}, seed {SEED},"
            f" {len(checks)} checks"
        )
        # Strategies are built and cached on first use; neither mode should pay for that.
        measure(_in_process(hello), checks, PROFILES["quick"])
        _say(f"{'mode':<12} {'cases':>7} {'seconds':>9} {'cases/s':>9} {'outside testee':>16}")
        cases, seconds, inside, failures["subprocess"] = measure(testee, checks, profile)
        _say(_row("subprocess", cases, seconds, inside))
    cases, seconds, inside, failures["in-process"] = measure(_in_process(hello), checks, profile)
    _say(_row("in-process", cases, seconds, inside))
    for mode, ids in failures.items():
        if ids:
            # A failure is shrunk, which costs time the other mode may not spend.
            _say(f"warning: {mode} failed {', '.join(ids)}; its figures include shrinking")


def _say(line: str) -> None:
    print(line, flush=True)


def _in_process(hello: Hello) -> InProcess:
    testee = InProcess(reference_handler, hello)
    testee.start()
    return testee


def main(argv: list[str] | None = None) -> int:
    """Parse the options, measure, print the table; exit 2 with one sentence on a mistake."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="default")
    parser.add_argument(
        "--checks", metavar="GLOB", help="check ids to run (default: a spread of every kind)"
    )
    options = parser.parse_args(argv)
    try:
        run(PROFILES[options.profile], select_checks(options.checks))
    except (BenchmarkError, ConformanceError) as error:
        print(f"harness.py: {error}", file=sys.stderr)
        return _EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
