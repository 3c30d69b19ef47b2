"""``realtime-conformance fuzz`` end to end: the real CLI as a subprocess, a few seconds each.

A fuzz of the reference finds nothing; a fuzz of a mutant finds its bug, shrinks it and
keeps it in the example database, and the next fuzz with that database replays it first;
SIGINT leaves a record; a bad option is one sentence and exit status 2, before any
testee starts. The time shares are checked in-process (`Schedule`).
"""

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conformance.checks import CHECKS, checks_for
from conformance.fuzz import KIND_WEIGHTS, Schedule, fuzz_order, weight
from conformance.results import load_results

ROOT = Path(__file__).parents[2]
FAKE = ROOT / "tests" / "fakes" / "fake.py"
ENV = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
# A few checks of each kind: enough to show the sharing, cheap enough for CI.
FEW = "valid.accepted or valid.roundtrip or malformed.nul or invalid.temperature.range"


def fuzz(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "conformance", "fuzz", *args],
        capture_output=True, text=True, cwd=cwd, env=ENV, timeout=300, check=False,
    )  # fmt: skip


def record(directory):
    text = (directory / "results.json").read_text(encoding="ascii")
    return json.loads(text), load_results(text)


def test_a_short_fuzz_of_the_reference_finds_nothing_and_writes_the_run_record(tmp_path):
    report = tmp_path / "report"
    started = time.monotonic()
    run = fuzz("--testee", "reference", "--duration", "3", "--report-dir", str(report),
               "-k", FEW, cwd=tmp_path)  # fmt: skip
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    data, results = record(report)
    assert data["verdict"] == "conformant"
    assert data["profile"] == "fuzz"
    assert {c.outcome for c in results.checks} == {"passed"}
    assert len(results.checks) == 4
    # Every check was given its share (how much depends on the machine's load: the shares
    # themselves are checked below, in-process); the run ended on time.
    assert all(c.budget is not None for c in results.checks)
    assert results.fuzz is not None
    assert results.fuzz.duration == 3
    assert results.fuzz.cases == sum(c.examples for c in results.checks) > 0
    assert results.fuzz.database == str(report / ".hypothesis" / "examples")
    assert seconds < 60
    assert "cases/s" in run.stdout.splitlines()[-2]
    # The same reports as a run, and nothing written outside the report directory.
    assert {"junit.xml", "report.md", "report.html", "badge.svg"} <= {
        p.name for p in report.iterdir()
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_a_fuzz_of_a_mutant_shrinks_its_bug_and_goes_on_with_the_other_checks(tmp_path):
    """The mutant drops repeated tools items: one failing check, shrunk; the other passes."""
    run = fuzz("--testee", "mutant-dedupe-tools", "--duration", "4", "--report-dir",
               str(tmp_path), "-k", "valid.roundtrip or valid.accepted")  # fmt: skip
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-2000:]
    data, results = record(tmp_path)
    assert data["verdict"] == "not conformant"
    checks = {c.id: c for c in results.checks}
    failed = checks["required.valid.roundtrip"]
    assert failed.outcome == "failed"
    assert failed.failure is not None
    tools = json.loads(failed.failure.document)["tools"]
    assert len(tools) == 2
    assert tools[0] == tools[1]
    assert len(failed.failure.document) < 100  # shrunk
    assert failed.first_failure_after is not None
    assert checks["required.valid.accepted"].outcome == "passed"
    assert checks["required.valid.accepted"].budget > 0
    assert "required.valid.roundtrip" in run.stdout


# Crashes on a member only the search draws (no pinned document of the check has it).
RARE = '"instructions":""'


def test_the_next_fuzz_with_the_same_database_replays_the_failure_first(tmp_path):
    """A fuzz finds the failure, and the next one replays it: found after fewer cases.

    The second fuzz has a short time: the failures of the database are replayed whatever
    the share of time a check gets, so this holds on a loaded machine too.
    """
    database = tmp_path / "db"
    testee = f"{sys.executable} {FAKE} crash-answer {shlex.quote(RARE)}"
    found = []
    for attempt, seconds in (("first", "15"), ("second", "1")):
        report = tmp_path / attempt
        run = fuzz("--testee", testee, "--duration", seconds, "--database", str(database),
                   "--report-dir", str(report), "-k", "valid.roundtrip")  # fmt: skip
        assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-2000:]
        _, results = record(report)
        assert results.fuzz is not None
        assert results.fuzz.database == str(database / "examples")
        (check,) = results.checks
        assert check.failure is not None
        assert RARE in check.failure.document
        found.append(check)
    first, second = found
    assert any(database.glob("examples/*"))
    assert second.failure.document == first.failure.document
    # The first fuzz drew cases until one had the member; the second replays the shrunk
    # failure as its first case after the pinned ones.
    assert second.first_failure_after < first.first_failure_after


@pytest.mark.parametrize(
    ("value", "words"),
    [("0", "above 0"), ("-5", "above 0"), ("nan", "finite"), ("inf", "finite"),
     ("soon", "number of seconds")],
)  # fmt: skip
def test_a_bad_duration_is_one_sentence_and_status_2_before_the_testee_starts(
    tmp_path, value, words
):
    trace = tmp_path / "started"
    testee = f"touch {trace}; {sys.executable} -m conformance.reference_testee"
    run = fuzz("--testee", testee, "--duration", value, "--report-dir", str(tmp_path / "r"))
    assert run.returncode == 2
    assert words in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert not trace.exists()
    assert not (tmp_path / "r" / "results.json").exists()


def test_sigint_ends_a_fuzz_early_with_an_interrupted_record(tmp_path):
    log = tmp_path / "stdout.txt"
    with log.open("wb") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "conformance", "fuzz", "--testee", "reference",
             "--duration", "120", "--report-dir", str(tmp_path), "-k", FEW],
            cwd=ROOT, env={**ENV, "PYTHONUNBUFFERED": "1"}, stdout=stdout,
            stderr=subprocess.PIPE,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while b"PASSED" not in log.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.2)  # the first checks (the lightest) end within seconds
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode == 130
    assert time.monotonic() - sent < 30
    data, results = record(tmp_path)
    assert data["verdict"] == "interrupted"
    outcomes = {c.outcome for c in results.checks}
    assert "passed" in outcomes
    assert outcomes - {"passed"} <= {"not run", "error"}


def test_time_is_shared_by_weight_and_the_lightest_checks_go_first():
    ids = ["required.valid.accepted", "required.malformed.nul", "required.invalid.voice.enum"]
    assert fuzz_order(ids)[-1] == "required.valid.accepted"
    schedule = Schedule(end=time.time() + 120, workers=1, selected=tuple(ids))
    _, light = schedule.plan("required.malformed.nul")
    _, middle = schedule.plan("required.invalid.voice.enum")
    _, heavy = schedule.plan("required.valid.accepted")
    total = sum(KIND_WEIGHTS[CHECKS[i].kind] for i in ids)
    assert light == pytest.approx(120 / total, rel=0.05)
    # What the light checks did not use (here: all of it) goes to those left.
    assert middle == pytest.approx(120 / (total - 1), rel=0.05)
    assert heavy == pytest.approx(120, rel=0.05)


@pytest.mark.parametrize("runner", ["run", "pytest"])
def test_run_and_the_plugin_replay_the_failures_of_their_database_first(tmp_path, runner):
    """``--database`` is the same ratchet for a run of a fixed profile and for pytest."""
    testee = f"{sys.executable} {FAKE} crash-answer {shlex.quote(RARE)}"
    found = []
    for attempt in ("first", "second"):
        report = tmp_path / attempt
        options = ["--testee", testee, "--database", str(tmp_path / "db"), "--report-dir",
                   str(report), "-k", "valid.roundtrip"]  # fmt: skip
        command = (
            ["-m", "conformance", "run", *options]
            if runner == "run"
            else ["-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), *options]
        )
        run = subprocess.run(
            [sys.executable, *command], capture_output=True, text=True, cwd=tmp_path, env=ENV,
            timeout=300, check=False,
        )  # fmt: skip
        assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-2000:]
        (check,) = record(report)[1].checks
        assert check.failure is not None
        found.append(check.first_failure_after)
    assert found[1] < found[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db", "first", "second"]


def test_a_check_only_a_later_revision_has_is_weighed_by_its_kind():
    """A fuzz of 2026-05-13 weighs checks the default revision's registry does not know."""
    later = checks_for("2026-05-13")
    assert "required.invalid.tracing.oneOf" not in CHECKS
    assert all(weight(i) == KIND_WEIGHTS[c.kind] for i, c in later.items())
    assert all(weight(i) == KIND_WEIGHTS[c.kind] for i, c in CHECKS.items())
