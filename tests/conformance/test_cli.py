"""The CLI end to end against real subprocess testees: verdicts and exit statuses."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        check=False,
    )


def test_the_reference_certifies_clean_and_writes_results(tmp_path):
    run = cli("run", "--testee", "reference", "--profile", "quick", "--report-dir", str(tmp_path))
    assert run.returncode == 0, run.stdout[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["conformant"] is True
    assert results["profile"] == "quick"
    assert results["seed"] == 0
    assert {c["outcome"] for c in results["checks"]} == {"passed"}


def test_the_node_example_certifies_with_its_claims(tmp_path):
    run = cli(
        "run", "--testee", "node-example", "--profile", "quick", "--report-dir", str(tmp_path)
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert json.loads((tmp_path / "results.json").read_text())["claims"]["validation"] == "schema"


def test_an_always_rejecting_testee_fails_valid_checks_and_its_malformed_checks_say_nothing(
    tmp_path,
):
    """Rejecting text that is not JSON proves nothing when the unbroken text is rejected too."""
    run = cli(
        "run",
        "--testee",
        "fake-reject",
        "--profile",
        "quick",
        "--report-dir",
        str(tmp_path),
        "-k",
        "valid.accepted or malformed.comment",
    )
    assert run.returncode == 1
    checks = {c["id"]: c for c in json.loads((tmp_path / "results.json").read_text())["checks"]}
    assert checks["required.valid.accepted"]["outcome"] == "failed"
    assert checks["required.valid.accepted"]["failure"]["document"] == "{}"  # shrunk
    comment = checks["required.malformed.comment"]
    assert comment["outcome"] == "inconclusive"
    assert comment["conclusive"] == 0
    assert comment["examples"] > 0


def test_a_lenient_echo_testee_fails_malformed_checks_with_a_replay_command(tmp_path):
    run = cli(
        "run",
        "--testee",
        "fake-echo",
        "--profile",
        "quick",
        "--report-dir",
        str(tmp_path),
        "-k",
        "malformed.trailing-comma",
    )
    assert run.returncode == 1
    failure = json.loads((tmp_path / "results.json").read_text())["checks"][0]["failure"]
    # The replay command is a shell line by design: running it is what this test shows.
    replay = subprocess.run(  # noqa: S602
        failure["replay"],
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert '"ok": true' in replay.stdout or '"ok":true' in replay.stdout


def test_a_crashing_testee_is_reported_and_the_run_goes_on(tmp_path):
    run = cli(
        "run",
        "--testee",
        f"{sys.executable} tests/fakes/fake.py crash temperature",
        "--profile",
        "quick",
        "--report-dir",
        str(tmp_path),
        "-k",
        "valid.accepted or malformed",
    )
    assert run.returncode == 1
    checks = json.loads((tmp_path / "results.json").read_text())["checks"]
    accepted = next(c for c in checks if c["id"] == "required.valid.accepted")
    assert "protocol failure" in accepted["failure"]["message"]
    assert len(checks) > 1


def test_a_hanging_testee_never_stops_the_run(tmp_path):
    run = cli(
        "run",
        "--testee",
        f"{sys.executable} tests/fakes/fake.py hang voice",
        "--timeout",
        "0.5",
        "--profile",
        "quick",
        "--report-dir",
        str(tmp_path),
        "-k",
        "valid.accepted",
    )
    assert run.returncode == 1
    failure = json.loads((tmp_path / "results.json").read_text())["checks"][0]["failure"]
    assert "no answer" in failure["message"]


@pytest.mark.parametrize(
    ("args", "status", "sentence"),
    [
        (["run", "--testee", "no-such-command-here"], 2, "cannot be started"),
        (["run", "--testee", "fake-no-start"], 1, "did not complete start"),
        (["run", "--testee", "reference", "--expectations", "missing.txt"], 2, "does not exist"),
        (["run", "--testee", "reference", "--profile", "bogus"], 2, "invalid choice"),
    ],
)
def test_mistakes_get_one_sentence_and_a_defined_status(args, status, sentence, tmp_path):
    run = cli(*args, cwd=tmp_path)
    assert run.returncode == status
    assert sentence in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("entries", "status"),
    [
        ("required.valid.accepted  # rejects everything\n", 0),
        ("required.valid.accepted  # rejects everything\nnothing.*  # stale\n", 1),
        ("required.valid.accepted  # x\nrequired.malformed.empty  # passes, so stale\n", 1),
        ("required.malformed.empty  # the real failure is not listed\n", 1),
    ],
    ids=["exactly-the-expected", "entry-matching-nothing", "unexpected-pass", "unexpected-failure"],
)
def test_expectations_are_a_ratchet(tmp_path, entries, status):
    """The run passes only when exactly the listed checks fail.

    ``malformed.empty`` has no valid base, so rejecting everything passes it.
    """
    expectations = tmp_path / "expected.txt"
    expectations.write_text(entries)
    run = cli(
        "run", "--testee", "fake-reject", "--profile", "quick", "--report-dir", str(tmp_path),
        "--expectations", str(expectations), "-k", "valid.accepted or malformed.empty",
    )  # fmt: skip
    assert run.returncode == status, run.stdout[-2000:]
    if status:
        assert "to make the current failures the expected ones, run:" in run.stdout


def test_the_testees_list_shows_reference_and_examples_but_no_test_fixtures():
    env = {k: v for k, v in os.environ.items() if k != "REALTIME_CONFORMANCE_TESTEES"}
    run = subprocess.run(
        [sys.executable, "-m", "conformance", "testees"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert run.returncode == 0
    names = {line.split()[0] for line in run.stdout.splitlines()}
    assert {"reference", "node-example"} <= names
    assert not [n for n in names if n.startswith(("fake-", "mutant-"))]


def test_the_search_path_adds_the_fixtures_by_name():
    """The tests find fakes and mutants through REALTIME_CONFORMANCE_TESTEES (conftest.py)."""
    run = cli("testees")
    names = {line.split()[0] for line in run.stdout.splitlines()}
    assert {"reference", "fake-reject", "mutant-float32"} <= names


@pytest.mark.parametrize("workers", ["1", "2"])
def test_exitfirst_stops_at_the_first_failing_check_with_a_failed_verdict(tmp_path, workers):
    """-x ends the run at its first failure: exit 1 and a record (xdist calls it interrupted)."""
    run = cli(
        "run", "--testee", "mutant-float32", "--profile", "quick", "-x", "-n", workers,
        "--report-dir", str(tmp_path),
    )  # fmt: skip
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    outcomes = [c["outcome"] for c in results["checks"]]
    assert results["verdict"] == "not conformant"
    # Two workers may each fail a check before the stop reaches them.
    assert 1 <= outcomes.count("failed") <= int(workers)
    assert outcomes.count("not run") > 0
    # What failed so far is not every failure: no expectations file is offered for it.
    assert "did not run: run them all" in run.stdout
    assert "expectations.txt" not in run.stdout
