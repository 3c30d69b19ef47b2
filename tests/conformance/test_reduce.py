"""A failing boundary document is shrunk by taking parts out of it, twins together."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.reduce import reduce, smaller

ROOT = Path(__file__).resolve().parents[2]


def test_the_largest_part_goes_first_and_every_part_is_tried():
    value = {"a": "x" * 50, "b": [1, 2], "c": {"d": None}}
    candidates = list(smaller(value))
    assert candidates[0] == {"b": [1, 2], "c": {"d": None}}
    assert {"a": "x" * 50, "b": [1], "c": {"d": None}} in candidates  # an item out
    assert {"a": "x" * 50, "b": [1, 2], "c": {}} in candidates  # a nested member out
    assert {"a": "", "b": [1, 2], "c": {"d": None}} in candidates  # a string emptied


def test_equal_items_shrink_together_so_a_bug_that_needs_duplicates_stays():
    tool = {"name": "f", "parameters": {"type": "object", "deep": [[1, 2], [1, 2]]}}
    value = {"instructions": "long " * 20, "tools": [tool, tool], "voice": "alloy"}

    def has_duplicates(candidate):
        tools = candidate.get("tools", []) if isinstance(candidate, dict) else []
        return len(tools) == 2 and tools[0] == tools[1]

    assert reduce(value, has_duplicates) == {"tools": [{}, {}]}


def test_the_reduction_stops_when_told_and_keeps_the_smallest_failure_so_far():
    calls = []

    def fails(candidate):
        calls.append(candidate)
        return True if len(calls) < 3 else None

    result = reduce({"a": [1, 2, 3], "b": "text", "c": [4, 5]}, fails)
    assert len(calls) == 3
    assert result == calls[1]  # the second edit was the last that still failed


@pytest.mark.parametrize("seed", ["0", "1"])
def test_a_bug_only_a_boundary_document_shows_is_reported_on_a_minimal_document(tmp_path, seed):
    """The mutant drops repeated tools; the search's own documents rarely repeat one."""
    run = subprocess.run(
        [sys.executable, "-m", "conformance", "run", "--testee", "mutant-dedupe-tools",
         "--seed", seed, "-k", "valid.roundtrip", "--report-dir", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=600,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout[-3000:]
    (check,) = json.loads((tmp_path / "results.json").read_text())["checks"]
    assert check["outcome"] == "failed"
    assert json.loads(check["failure"]["document"]) == {"tools": [{}, {}]}
