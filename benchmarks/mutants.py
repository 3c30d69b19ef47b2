"""Power that does not depend on the seed: per bug, the share of seeds that catch it.

A mutant is the reference testee with one realistic SDK bug (tests/mutants/). The tests
prove each is caught by the family of checks aimed at it at one seed; this runs the full
default profile, as a certification would, at several seeds, and prints per mutant the
share of seeds at which the run fails (the bug is caught) and per correct implementation
(reference, orjson, the Node example) the share at which it certifies clean, with the
checks that failed at any seed. A mutant's run stops at its first failing check (``-x``):
caught is caught, and the table shows which check caught it first. The target is 100%
in both columns.

Run from the repository root:
``python benchmarks/mutants.py [--seeds N] [--only NAME] [--jobs N]``. Each certification
runs one testee (``-n 1``); ``--jobs`` runs that many certifications at once, which keeps
each run's verdict independent of the others while using every core.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAILED = ("failed", "error", "inconclusive")
CORRECT = ("reference", "orjson", "node-example")

Run = tuple[int, list[str] | None, float]
"""One certification: its exit status, the checks that failed (None: no results), seconds."""


def mutants() -> list[str]:
    """Return the names of the bundled mutants, as registered in their testee.json."""
    manifest = json.loads((ROOT / "tests/mutants/testee.json").read_text(encoding="utf-8"))
    return [entry["name"] for entry in manifest["testees"]]


def certify(testee: str, seed: int, timeout: float, *, first: bool = False) -> Run:
    """Run the default profile against *testee*; return its status, failed checks, seconds.

    With *first*, the run stops at its first failing check (``-x``). The failed checks
    are None when the run wrote no results (the run itself broke).
    """
    with tempfile.TemporaryDirectory() as report_dir:
        command = [
            sys.executable, "-m", "conformance", "run", "--testee", testee,
            "--profile", "default", "--seed", str(seed), "--timeout", str(timeout),
            "--report-dir", report_dir, *(["-x"] if first else []),
        ]  # fmt: skip
        start = time.perf_counter()
        # The mutants are test fixtures: found by name through the search path.
        env = {**os.environ, "REALTIME_CONFORMANCE_TESTEES": str(ROOT / "tests" / "mutants")}
        run = subprocess.run(
            command, capture_output=True, text=True, cwd=ROOT, env=env, check=False
        )
        seconds = time.perf_counter() - start
        results = Path(report_dir, "results.json")
        if not results.is_file():
            return run.returncode, None, seconds
        checks = json.loads(results.read_text(encoding="utf-8"))["checks"]
    return run.returncode, [c["id"] for c in checks if c["outcome"] in FAILED], seconds


def row(name: str, runs: list[Run], *, correct: bool) -> tuple[str, float]:
    """Return the table line of *name*'s *runs* (one per seed) and its share of good runs.

    A good run is a caught bug (exit status 1 with failing checks) for a mutant, and a
    clean certification (exit status 0, nothing failed) for a correct implementation.
    """
    good = 0
    failing: Counter[str] = Counter()
    seconds = 0.0
    for status, failed, spent in runs:
        seconds += spent
        if failed is None:
            failing[f"no results (exit status {status})"] += 1
            continue
        failing.update(failed)
        caught = status == 1 and bool(failed)
        good += (status == 0 and not failed) if correct else caught
    share = good / len(runs)
    shown = ", ".join(f"{check} ({count}/{len(runs)})" for check, count in failing.most_common())
    mean = seconds / len(runs)
    return f"{name:<32} {share:>6.0%} {mean:>8.1f}  {shown or '-'}", share


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 unless every share is 100%."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0..N-1 (default 10)")
    parser.add_argument("--only", action="append", help="only this testee (repeatable)")
    # A hang costs one timeout per shrink step, in every check that meets its trigger.
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per request")
    parser.add_argument("--jobs", type=int, default=1, help="certifications at once")
    options = parser.parse_args(argv)
    seeds = range(options.seeds)
    groups = [
        (correct, [n for n in names if not options.only or n in options.only])
        for correct, names in ((True, CORRECT), (False, mutants()))
    ]
    print(f"profile default, seeds 0-{seeds[-1]}, timeout {options.timeout:g} s per request")
    short = []
    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        # Every run is queued at once, in table order, so that the lines come out in order
        # while later runs go on in the other jobs.
        queued = {
            name: [
                pool.submit(certify, name, seed, options.timeout, first=not correct)
                for seed in seeds
            ]
            for correct, names in groups
            for name in names
        }
        print(f"{'testee':<32} {'share':>6} {'seconds':>8}  checks that failed (seeds)")
        for correct, names in groups:
            print("correct implementations: share of seeds clean" if correct else
                  "mutants: share of seeds at which the bug is caught")  # fmt: skip
            for name in names:
                runs = [future.result() for future in queued[name]]
                line, share = row(name, runs, correct=correct)
                print(line, flush=True)
                if share < 1:
                    short.append(name)
    if short:
        print(f"below 100%: {', '.join(short)}")
    return 1 if short else 0


if __name__ == "__main__":
    raise SystemExit(main())
