"""Peak memory of a run against a testee whose every answer is huge.

The target (issue 7): a default run stays under 300 MB of peak RSS against a testee
whose every answer is 20 MB. The testee is the ``huge`` fake: the reference codec, with
every accepted document padded by MIB MiB of spaces (still equal to the input) and every
error by as many characters, so that every check judges whole 20 MB answers and the run
certifies. This script runs the real CLI as a subprocess and reads the runner's own peak
(``VmHWM`` on Linux), apart from its children's: the testee, and on a run into a new
report folder the short-lived child that builds Hypothesis' Unicode tables.

Run from the repository root: ``python benchmarks/memory.py [--mib 20] [--profile P]
[-k EXPRESSION]``.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

import psutil

ROOT = Path(__file__).resolve().parents[1]
FAKE = ROOT / "tests" / "fakes" / "fake.py"
_POLL = 0.1


def _peak_kib(pid: int) -> int | None:
    """Return the peak resident set of *pid* so far, in KiB (Linux), or None."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def measure(command: list[str], log: IO[bytes]) -> tuple[int, float, int, int]:
    """Run *command*; return its exit status, seconds, and the peak RSS of runner and testee."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=log)
    runner_peak = testee_peak = 0
    while process.poll() is None:
        runner_peak = max(runner_peak, _peak_kib(process.pid) or 0)
        try:
            children = psutil.Process(process.pid).children(recursive=True)
        except psutil.Error:
            children = []
        for child in children:
            testee_peak = max(testee_peak, _peak_kib(child.pid) or 0)
        time.sleep(_POLL)
    return process.returncode, time.monotonic() - started, runner_peak, testee_peak


def main() -> int:
    """Run the CLI against the huge fake and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=float, default=20.0, help="MiB added to every answer")
    parser.add_argument("--profile", default="default")
    parser.add_argument("-k", dest="keyword", help="run only the checks matching this")
    options = parser.parse_args()
    testee = shlex.join([sys.executable, str(FAKE), "huge", f"{options.mib:g}"])
    with tempfile.TemporaryDirectory() as report:
        command = [sys.executable, "-m", "conformance", "run", "--testee", testee,
                   "--profile", options.profile, "--report-dir", report]  # fmt: skip
        if options.keyword:
            command += ["-k", options.keyword]
        with (Path(report) / "output.txt").open("wb") as log:
            status, seconds, runner_kib, testee_kib = measure(command, log)
        output = (Path(report) / "output.txt").read_text(encoding="utf-8", errors="replace")
        results = Path(report) / "results.json"
        try:
            data = json.loads(results.read_text(encoding="utf-8"))
            verdict = str(data.get("verdict", "conformant" if data.get("conformant") else "?"))
        except (OSError, ValueError) as error:
            verdict = f"no readable results.json ({type(error).__name__})"
    if status not in (0, 1):
        print(output[-3000:])
    print(f"answers padded by {options.mib:g} MiB, profile {options.profile}")
    print(f"exit status {status}, verdict {verdict}, {seconds:.0f} s")
    print(f"peak RSS of the runner: {runner_kib / 1024:.0f} MiB (target: under 300 MB)")
    child = testee_kib / 1024
    print(f"peak RSS of a child (the testee, or the Unicode tables' builder): {child:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
