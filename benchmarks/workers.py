"""How much faster ``-n 2`` certifies than ``-n 1``: the same run, one testee or two.

A certification is worth running in CI only if it is quick, and on a machine with two
cores two testees should take close to half the time of one. This script runs the real
CLI as a subprocess (the default profile, into a new report folder each time, as a user
would), alternating between the worker counts so that a change in the machine's load
falls on both alike, and prints each run's seconds, the median per count and the ratio.
The figure means something only on an otherwise idle machine: say so beside it.

Run from the repository root: ``python benchmarks/workers.py [--testee reference]
[--workers 1,2] [--repeats 3] [--profile default]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def certify(testee: str, workers: int, profile: str, seed: int) -> tuple[int, float]:
    """Run one certification; return its exit status and its wall-clock seconds."""
    with tempfile.TemporaryDirectory() as report:
        command = [
            sys.executable, "-m", "conformance", "run", "--testee", testee,
            "-n", str(workers), "--profile", profile, "--seed", str(seed),
            "--report-dir", report,
        ]  # fmt: skip
        start = time.perf_counter()
        status = subprocess.run(command, capture_output=True, check=False).returncode
        return status, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 if a run did not certify."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--testee", default="reference")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="runs per count (median)")
    parser.add_argument("--profile", default="default")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(argv)
    counts = [int(n) for n in options.workers.split(",")]
    load = os.getloadavg()[0]
    print(
        f"testee {options.testee}, profile {options.profile}, seed {options.seed},"
        f" {os.cpu_count()} cores, load average {load:.2f} at the start"
    )
    seconds: dict[int, list[float]] = {n: [] for n in counts}
    broken = False
    for repeat in range(options.repeats):
        for n in counts:
            status, spent = certify(options.testee, n, options.profile, options.seed)
            seconds[n].append(spent)
            broken |= status != 0
            print(f"run {repeat + 1}  -n {n}  exit {status}  {spent:6.1f} s", flush=True)
    medians = {n: statistics.median(s) for n, s in seconds.items()}
    for n in counts:
        print(f"-n {n}: median {medians[n]:.1f} s")
    base = medians[counts[0]]
    for n in counts[1:]:
        print(f"-n {n} is {base / medians[n]:.2f}x as fast as -n {counts[0]}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
