"""Records made by real runs of the CLI, shared by the report tests (one run per session)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.results import RunResults, load_results

ROOT = Path(__file__).parents[2]
HOSTILE = f"{sys.executable} tests/reports/hostile_testee.py"


def certify(directory: Path, testee: str, *args: str) -> Path:
    """Run the CLI against *testee* at the quick profile; return the report directory."""
    run = subprocess.run(
        [sys.executable, "-m", "conformance", "run", "--testee", testee, "--profile", "quick",
         "--report-dir", str(directory), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
        # The handshake line echoes the testee's name, lone surrogates included.
        env={**os.environ, "PYTHONIOENCODING": "utf-8:backslashreplace"},
    )  # fmt: skip
    assert (directory / "results.json").is_file(), run.stdout[-2000:] + run.stderr[-2000:]
    return directory


def record(directory: Path) -> RunResults:
    return load_results((directory / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory) -> Path:
    """Run a testee whose every text is hostile: name, answers, errors, stderr."""
    return certify(
        tmp_path_factory.mktemp("hostile"),
        HOSTILE,
        "-k", "valid or malformed.comment or implementation-defined or voice or transcription"
              " or tools.type",
    )  # fmt: skip


@pytest.fixture(scope="session")
def mixed_dir(tmp_path_factory) -> Path:
    """Run with every outcome: passed, failed, expected failure, unexpected pass, RECOMMENDED."""
    directory = tmp_path_factory.mktemp("mixed")
    expectations = directory / "expected.txt"
    expectations.write_text(
        "required.valid.accepted  # rejects everything | on purpose\n"
        "required.malformed.empty  # listed, but it passes\n"
    )
    return certify(
        directory, "fake-reject", "--expectations", str(expectations),
        # malformed.empty and bom-only have no valid base: rejecting everything passes them.
        "-k", "required.valid or recommended or malformed.empty or malformed.bom-only",
    )  # fmt: skip
