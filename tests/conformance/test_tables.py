"""Hypothesis' Unicode tables come from a child, and whoever draws text waits for them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conformance import tables

ROOT = Path(__file__).resolve().parents[2]


def built(home: Path) -> bool:
    """Say whether *home* holds both tables: the categories, and UTF-8's (named by version)."""
    names = {p.name for p in (home / "unicode_data").glob("*/*.json.gz")}
    return "charmap.json.gz" in names and any(n.startswith("codec-") for n in names)


def test_the_child_builds_both_tables_and_says_when_it_is_done(tmp_path: Path) -> None:
    tables.start(tmp_path)
    marker = tables.done_marker(tmp_path)
    assert marker is not None
    # A worker cannot wait on the child: it waits for the marker, then finds the tables.
    tables.ready(None, marker)
    assert marker.exists()
    assert built(tmp_path)
    tables.ready(tmp_path)  # the process that started it: returns once it has ended


def test_no_child_when_the_tables_are_there(tmp_path: Path) -> None:
    (tmp_path / "unicode_data").mkdir()
    tables.start(tmp_path)
    assert tables.done_marker(tmp_path) is None
    tables.ready(tmp_path)  # nothing to wait for
    assert not built(tmp_path)


def test_a_run_with_two_workers_finds_the_tables_in_its_report_folder(tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "conformance", "run", "--testee", "reference", "-n", "2",
        "--profile", "quick", "-k", "valid.accepted or invalid.voice", "--report-dir",
        str(tmp_path),
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert {c["outcome"] for c in results["checks"]} == {"passed"}
    assert built(tmp_path / ".hypothesis")
