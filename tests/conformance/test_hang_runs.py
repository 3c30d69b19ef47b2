"""The real CLI against a testee that hangs on a shape of input, and one that is slow.

Reduced runs (a few checks, the quick profile) with generous bounds: the full default
runs and their wall times are figures for the report, not for a timed test.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAKE = ROOT / "tests" / "fakes" / "fake.py"


def has_empty_name(value):
    if isinstance(value, dict):
        return "" in value or any(map(has_empty_name, value.values()))
    return isinstance(value, list) and any(map(has_empty_name, value))


def run_cli(tmp_path, fake_args, *options):
    """Run the CLI on the fake with *fake_args*; return the run and its wall time."""
    testee = shlex.join([sys.executable, str(FAKE), *fake_args])
    command = [sys.executable, "-m", "conformance", "run", "--testee", testee,
               "--report-dir", str(tmp_path), "--profile", "quick", *options]  # fmt: skip
    started = time.monotonic()
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False
    )
    return run, time.monotonic() - started


def test_a_testee_hanging_on_an_empty_member_name_fails_with_hanging_documents(tmp_path):
    """Each failing check shows a document with an empty name; the one that never hangs passes.

    Once the testee is known to hang it gets short deadlines: the trailing-comma check's
    widest boundary document (megabytes) must still get the time its size needs.
    """
    selection = "valid.accepted or voice.enum or trailing-comma"
    run, seconds = run_cli(tmp_path, ["hang-shape"], "-k", selection, "--timeout", "3")
    assert run.returncode == 1, run.stderr
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    checks = {c["id"]: c for c in results["checks"]}
    assert checks["required.malformed.trailing-comma"]["outcome"] == "passed"  # never hangs
    for check_id in ("required.valid.accepted", "required.invalid.voice.enum"):
        failure = checks[check_id]["failure"]
        assert checks[check_id]["outcome"] == "failed"
        assert failure["message"].startswith("protocol failure: no answer within")
        assert has_empty_name(json.loads(failure["document"]))  # a hanging document
    assert seconds < 300


def test_a_testee_slow_on_every_answer_certifies(tmp_path):
    run, _ = run_cli(tmp_path, ["slow", "0.2"], "-k", "voice.enum or trailing-comma")
    assert run.returncode == 0, run.stdout[-2000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert {c["outcome"] for c in results["checks"]} == {"passed"}
