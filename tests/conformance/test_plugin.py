"""The checks as a pytest plugin: same ids, and pytest's own machinery works on them."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

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
    assert (tmp_path / "results.json").is_file()


def test_an_expectations_file_becomes_strict_xfail(tmp_path):
    expected = tmp_path / "expected.txt"
    expected.write_text("required.valid.accept*  # rejects everything\n")
    run = pytest_run(tmp_path, "-k", "valid.accepted", "--expectations", str(expected))
    assert run.returncode == 0, run.stdout[-2000:]
    assert "1 xfailed" in run.stdout
