"""A run certifies against the revision of the object a testee claims, or the one it is told."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from strategies.revisions import DEFAULT, SPECS

ROOT = Path(__file__).parents[2]
SEED_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse")


def cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
        env={**os.environ, **(env or {})},
    )


def record(folder):
    return json.loads((folder / "results.json").read_text())


def test_a_testee_claiming_2025_03_22_that_accepts_any_voice_is_conformant_under_its_claim(
    tmp_path,
):
    run = cli("run", "--testee", "fake-run-claims-2025-03-22", "--profile", "quick",
              "--report-dir", str(tmp_path))  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert "revision: 2025-03-22 (the testee's claim)" in run.stdout
    results = record(tmp_path)
    assert (results["spec"], results["spec_chosen_by"]) == ("2025-03-22", "claims")
    assert results["claims"]["spec"] == "2025-03-22"
    checks = {c["id"]: c["outcome"] for c in results["checks"]}
    assert checks["required.invalid.voice.type"] == "passed"
    assert "required.invalid.voice.enum" not in checks
    assert r"revision 2025\-03\-22 (claims)" in (tmp_path / "report.md").read_text()


def test_the_same_testee_is_not_conformant_under_2024_12_18_for_its_open_voice(tmp_path):
    run = cli("run", "--testee", "fake-run-claims-2025-03-22", "--profile", "quick",
              "--report-dir", str(tmp_path), "--spec", "2024-12-18", "-k", "voice")  # fmt: skip
    assert run.returncode == 1, run.stdout[-3000:]
    assert "revision: 2024-12-18 (--spec, not the claimed 2025-03-22)" in run.stdout
    results = record(tmp_path)
    assert (results["spec"], results["spec_chosen_by"]) == ("2024-12-18", "option")
    assert results["verdict"] == "not conformant"
    (check,) = [c for c in results["checks"] if c["id"] == "required.invalid.voice.enum"]
    assert check["outcome"] == "failed"
    voice = json.loads(check["failure"]["document"])["voice"]
    assert isinstance(voice, str)
    assert voice not in SEED_VOICES
    assert check["failure"]["answer"].startswith("accepted")


@pytest.mark.parametrize("revision", [r for r in SPECS if r != DEFAULT])
def test_the_reference_of_each_revision_certifies_clean_under_it(revision, tmp_path):
    run = cli("run", "--testee", "reference", "--profile", "quick", "--report-dir", str(tmp_path),
              env={"REALTIME_CONFORMANCE_SPEC": revision})  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    results = record(tmp_path)
    assert (results["spec"], results["verdict"]) == (revision, "conformant")
    assert {c["outcome"] for c in results["checks"]} == {"passed"}


def test_specs_lists_every_revision_with_what_it_changed():
    run = cli("specs")
    assert run.returncode == 0
    lines = run.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(SPECS)
    assert f"{DEFAULT} (default)" in lines[0]
    assert all(SPECS[line.split()[0]].summary in line for line in lines)


def test_an_unknown_revision_is_one_sentence_and_exit_2_before_any_testee_starts(tmp_path):
    run = cli("run", "--testee", "fake-no-start", "--spec", "2023-01-01",
              "--report-dir", str(tmp_path))  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1
    assert "'2023-01-01' is not a revision of the object" in run.stderr
    assert not (tmp_path / "results.json").exists()


def pytest_collect(tmp_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         "--testee", f"cd {ROOT} && {sys.executable} tests/fakes/fake.py reject",
         "--collect-only", "-q", *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=600, check=False,
    )  # fmt: skip


def test_pytest_testee_collects_the_checks_of_the_revision_given_with_spec(tmp_path):
    # Only collected, the checks never run: the record of such a session says "not run".
    run = pytest_collect(tmp_path, "--spec", "2025-01-31", "-k", "required")
    assert "required.invalid.client_secret.value.required" in run.stdout, run.stdout[-2000:]
    assert "revision: 2025-01-31" in run.stdout
    seed = pytest_collect(tmp_path, "-k", "required")
    assert "client_secret.value.required" not in seed.stdout
    unknown = pytest_collect(tmp_path, "--spec", "2023-01-01")
    assert unknown.returncode == 4
    assert "'2023-01-01' is not a revision of the object" in unknown.stderr


def test_a_claimed_revision_the_suite_does_not_know_is_one_sentence_and_exit_2(tmp_path):
    testee = f"{sys.executable} tests/fakes/fake.py run-claims 2023-01-01"
    run = cli("run", "--testee", testee, "--report-dir", str(tmp_path))
    assert run.returncode == 2, run.stdout[-2000:]
    assert run.stderr.count("\n") == 1
    assert "the testee claims the revision '2023-01-01'" in run.stderr
