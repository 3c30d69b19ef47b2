"""Cases per second of a fuzz beside a run, on the same testee; and a fuzz' peak memory.

A fuzz is worth its cases per second. This script runs the real CLI as a subprocess:
``run`` (a fixed profile) and ``fuzz`` for each duration given, on the same testee and
selection, and prints for each the cases sent, the seconds and the cases per second
(the fuzz' own figure from its record; for the run, its cases over its seconds), with the
peak resident set of the runner and of its largest child (the testee, or the short-lived
child that builds Hypothesis' Unicode tables for a new report folder). Two durations (say
60 and 600) show whether a long fuzz grows its memory.

Run from the repository root: ``python benchmarks/fuzz.py [--testee reference]
[--durations 30] [-k EXPRESSION] [-n WORKERS]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import measure  # a sibling script, found through the line above


def _once(command: list[str]) -> tuple[int, float, int, int, int]:
    """Run *command* with a fresh report directory; return status, cases, seconds, peaks."""
    with tempfile.TemporaryDirectory() as report:
        with (Path(report) / "output.txt").open("wb") as log:
            status, _, runner_kib, testee_kib = measure([*command, "--report-dir", report], log)
        data = json.loads((Path(report) / "results.json").read_text(encoding="utf-8"))
    cases = sum(c["examples"] for c in data["checks"])
    return status, cases, float(data["seconds"]), runner_kib, testee_kib


def main() -> int:
    """Run the CLI both ways and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--testee", default="reference")
    parser.add_argument("--durations", default="30", help="fuzz durations, comma-separated")
    parser.add_argument("--profile", default="default", help="the run's profile")
    parser.add_argument("-k", dest="keyword", help="only the checks matching this")
    parser.add_argument("-n", dest="workers", default="1", help="parallel testees")
    parser.add_argument("--no-run", action="store_true", help="fuzz only")
    options = parser.parse_args()
    common = ["--testee", options.testee, "-n", options.workers]
    if options.keyword:
        common += ["-k", options.keyword]
    cli = [sys.executable, "-m", "conformance"]
    print(f"testee {options.testee}, -n {options.workers}, -k {options.keyword or '(all)'}")
    print(f"{'mode':<22}{'status':>7}{'cases':>9}{'seconds':>9}{'cases/s':>9}"
          f"{'runner MiB':>12}{'child MiB':>12}")  # fmt: skip
    runs = (
        []
        if options.no_run
        else [(f"run {options.profile}", ["run", "--profile", options.profile])]
    )
    runs += [(f"fuzz {d} s", ["fuzz", "--duration", d]) for d in options.durations.split(",")]
    for name, args in runs:
        status, cases, seconds, runner_kib, testee_kib = _once([*cli, *args, *common])
        rate = cases / seconds if seconds else 0.0
        print(f"{name:<22}{status:>7}{cases:>9}{seconds:>9.1f}{rate:>9.1f}"
              f"{runner_kib / 1024:>12.0f}{testee_kib / 1024:>12.0f}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
