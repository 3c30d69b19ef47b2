"""Which checks of the full default profile catch each mutant, and how long a run takes.

A mutant is the reference testee with one realistic SDK bug (tests/mutants/). The tests
prove each is caught by the family of checks aimed at it; this runs every check, as a
certification would, to show what else notices the bug and what a run costs.

Run from the repository root: ``python benchmarks/mutants.py [--seed N] [--timeout S]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAILED = ("failed", "error")


def mutants() -> list[str]:
    """Return the names of the bundled mutants, as registered in their testee.json."""
    manifest = json.loads((ROOT / "tests/mutants/testee.json").read_text(encoding="utf-8"))
    return [entry["name"] for entry in manifest["testees"]]


def certify(testee: str, seed: int, timeout: float) -> tuple[int, list[str] | None, float]:
    """Run the default profile against *testee*; return its status, failed checks, seconds.

    The failed checks are None when the run wrote no results (the run itself broke).
    """
    with tempfile.TemporaryDirectory() as report_dir:
        command = [
            sys.executable, "-m", "conformance", "run", "--testee", testee,
            "--profile", "default", "--seed", str(seed), "--timeout", str(timeout),
            "--report-dir", report_dir,
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


def main(argv: list[str] | None = None) -> int:
    """Certify every mutant and print one table; exit 1 if any mutant was not caught."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=0)
    # A hang costs one timeout per shrink step, in every check that meets its trigger.
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per request")
    options = parser.parse_args(argv)
    print(f"profile default, seed {options.seed}, timeout {options.timeout:g} s per request")
    print(f"{'mutant':<30} {'caught':<6} {'seconds':>7}  failing checks")
    missed = []
    for name in mutants():
        status, failing, seconds = certify(name, options.seed, options.timeout)
        if failing is None:
            verdict, shown = "error", f"the run wrote no results (exit status {status})"
        else:
            verdict, shown = ("yes" if status == 1 and failing else "no"), ", ".join(failing)
        if verdict != "yes":
            missed.append(name)
        print(f"{name:<30} {verdict:<6} {seconds:>7.1f}  {shown or '-'}", flush=True)
    if missed:
        print(f"not caught: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
