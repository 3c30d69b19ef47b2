"""The installed tool is whole: a wheel, in a fresh virtual environment, from any folder.

Builds the wheel, installs it (and its dependencies, from the package index) into a new
virtual environment, and runs the installed command from an empty folder: the built-in
reference is listed and certifies, and no test fixture is listed. Slow (a build and an
install), so it runs in its own tox environment, ``installed``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.installed


def run(*args, cwd, env=None):
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env,
        timeout=900, check=True,
    )  # fmt: skip


def test_the_installed_wheel_lists_and_certifies_the_reference_from_any_folder(tmp_path):
    dist, venv, elsewhere = tmp_path / "dist", tmp_path / "venv", tmp_path / "elsewhere"
    elsewhere.mkdir()
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT, cwd=tmp_path)
    (wheel,) = dist.glob("realtime_conformance-*.whl")
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path)
    # Nothing of the clone may help: no search path, and a folder far from it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REALTIME_", "PYTHON"))}
    command = venv / "bin" / "realtime-conformance"
    listed = run(command, "testees", cwd=elsewhere, env=env)
    names = {line.split()[0] for line in listed.stdout.splitlines()}
    assert names == {"reference"}
    certified = run(
        command, "run", "--testee", "reference", "--profile", "quick", "-k",
        "valid.accepted or malformed.comment or invalid.temperature.range",
        cwd=elsewhere, env=env,
    )  # fmt: skip
    assert "verdict: conformant" in certified.stdout
    results = json.loads((elsewhere / "report" / "results.json").read_text(encoding="ascii"))
    assert results["verdict"] == "conformant"
    assert len(results["checks"]) == 3
    assert not (elsewhere / ".hypothesis").exists()
