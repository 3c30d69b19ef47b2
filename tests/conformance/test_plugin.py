"""The checks as a pytest plugin: same ids, and pytest's own machinery works on them."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.results import (
    CheckResult,
    RunResults,
    StartFailure,
    load_results,
    verdict,
    write_results,
)

ROOT = Path(__file__).parents[2]


def pytest_run(tmp_path, *args):
    # From an empty folder, as an SDK repository would run it: only the checks are there.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         "--testee", f"cd {ROOT} && {sys.executable} tests/fakes/fake.py reject", *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=600, check=False,
    )  # fmt: skip


def test_junit_xml_names_each_check_by_its_id(tmp_path):
    report = tmp_path / "junit.xml"
    # malformed.empty has no valid base: rejecting everything passes it.
    run = pytest_run(tmp_path, "-k", "valid.accepted or malformed.empty", f"--junitxml={report}")
    assert run.returncode == 1, run.stdout[-2000:]
    tree = ET.parse(report)  # noqa: S314 - the XML pytest itself just wrote
    cases = {c.get("name"): c for c in tree.getroot().iter("testcase")}
    assert set(cases) == {"required.valid.accepted", "required.malformed.empty"}
    assert cases["required.valid.accepted"].find("failure") is not None
    assert cases["required.malformed.empty"].find("failure") is None


def test_xdist_runs_the_checks_on_two_testees(tmp_path):
    # Checks with no valid base to break, which a testee rejecting everything passes.
    selection = "malformed.empty or malformed.bom-only or implementation-defined"
    run = pytest_run(tmp_path, "-n", "2", "-k", selection, "--report-dir", str(tmp_path))
    assert run.returncode == 0, run.stdout[-2000:]
    assert "9 passed" in run.stdout
    results = json.loads((tmp_path / "results.json").read_text())
    assert len(results["checks"]) == 9
    # Only malformed checks were selected, all passed: no REQUIRED check failed or errored.
    assert results["verdict"] == "conformant"


def test_an_expectations_file_becomes_strict_xfail(tmp_path):
    expected = tmp_path / "expected.txt"
    expected.write_text("required.valid.accept*  # rejects everything\n")
    run = pytest_run(tmp_path, "-k", "valid.accepted", "--expectations", str(expected))
    assert run.returncode == 0, run.stdout[-2000:]
    assert "1 xfailed" in run.stdout


def test_the_hello_is_kept_once_per_process_not_once_per_check(tmp_path):
    """A large hello multiplied by every check made a junit.xml of 112 MB."""
    report = tmp_path / "junit.xml"
    selection = "malformed.empty or malformed.bom-only or implementation-defined"
    run = pytest_run(tmp_path, "-k", selection, f"--junitxml={report}")
    assert run.returncode == 0, run.stdout[-2000:]
    tree = ET.parse(report)  # noqa: S314 - the XML pytest itself just wrote
    names = [p.get("name") for p in tree.getroot().iter("property")]
    assert len(list(tree.getroot().iter("testcase"))) == 9
    assert names.count("realtime-conformance-hello") == 1


def test_a_record_from_before_verdicts_still_loads():
    old = {
        "suite_version": "0.1.0", "protocol": 1, "testee": "x", "implementation": {},
        "claims": {}, "profile": "quick", "seed": 0, "started": "2026-01-01T00:00:00+00:00",
        "seconds": 1.0, "checks": [], "conformant": True,
    }  # fmt: skip
    loaded = load_results(json.dumps(old))
    assert loaded.verdict == "conformant"
    assert loaded.start_failure is None


def test_a_record_with_any_text_loads_back_equal_and_is_written_whole(tmp_path):
    text = "\ud800\x00\x1b[31m\u202e" + "x" * 1000
    check = CheckResult("required.valid.accepted", "REQUIRED", "error", 0, 0.0, reason=text)
    results = RunResults(
        "0", 1, text, {"name": text}, {}, "quick", 0, "now", 0.0, (check,),
        verdict="not conformant", start_failure=StartFailure(text, text),
    )  # fmt: skip
    path = write_results(tmp_path, results)
    assert load_results(path.read_text(encoding="ascii")) == results
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]  # no temporary left


def test_an_error_a_skip_or_a_check_never_run_is_no_pass():
    def check(outcome, level="REQUIRED"):
        return CheckResult(f"{level}.{outcome}", level, outcome, 1, 0.0)

    assert verdict([check("passed"), check("failed", "RECOMMENDED")]) == "conformant"
    for outcome in ("error", "skipped", "not run", "failed", "xfailed"):
        assert verdict([check("passed"), check(outcome)]) == "not conformant", outcome
    assert verdict([check("passed"), check("error", "RECOMMENDED")]) == "not conformant"
    assert verdict([]) == "not conformant"  # nothing checked, nothing certified
    assert verdict([check("passed")], interrupted=True) == "interrupted"
    failure = StartFailure("no answer")
    assert verdict([check("error")], start_failure=failure) == "start failed"
    assert verdict([check("passed"), check("error")], start_failure=failure) == "not conformant"
