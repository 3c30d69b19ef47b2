"""The testee manifest and the build step, with real subprocesses.

Every bundled testee.json reads, a malformed one is one sentence, a build runs its steps
in the testee's folder, and a missing tool is named.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.build import BuildFailed, build, listing
from conformance.manifest import Entry, ManifestError, read_manifest
from conformance.results import load_results
from conformance.testees import Bundled, MissingTool, bundled

ROOT = Path(__file__).parents[2]
GOOD = {"name": "t", "kind": "sdk", "description": "A testee.", "command": ["t"]}


def write(tmp_path, data):
    path = tmp_path / "testee.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_every_bundled_manifest_reads_and_sdks_pin_versions_and_expectations():
    manifests = sorted((ROOT / "testees").glob("*/testee.json"))
    manifests += sorted((ROOT / "testees").glob("examples/*/testee.json"))
    assert len(manifests) >= 5
    for manifest in manifests:
        for entry in read_manifest(manifest):
            if entry.kind == "sdk":
                assert entry.versions, entry.name
                assert entry.build, entry.name
                assert entry.expectations
                assert (manifest.parent / entry.expectations).is_file(), entry.name


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        ("{", "cannot be read as JSON"),
        ({"testees": []}, 'needs a non-empty array "testees"'),
        ({"testees": [{**GOOD, "kind": "library"}]}, "testees[0].kind must be one of sdk"),
        ({"testees": [{**GOOD, "command": "t --x"}]}, "testees[0].command must be a non-empty"),
        ({"testees": [{**GOOD, "build": [["ok"], []]}]}, "testees[0].build must be an array"),
        ({"testees": [{**GOOD, "versions": {"x": 1}}]}, "testees[0].versions must be an object"),
        (
            {"testees": [GOOD, {**GOOD, "colour": "red"}]},
            "testees[1].colour is not a manifest field",
        ),
    ],
)
def test_a_malformed_manifest_is_refused_in_one_sentence_naming_the_field(tmp_path, data, sentence):
    with pytest.raises(ManifestError) as error:
        read_manifest(write(tmp_path, data))
    assert sentence in str(error.value)
    assert "\n" not in str(error.value)
    assert str(tmp_path / "testee.json") in str(error.value)


def bundle(tmp_path, **fields):
    entry = Entry(**{**GOOD, "command": ("t",), **fields})
    return Bundled(entry.name, entry.description, entry.command, tmp_path, entry=entry)


def test_a_build_runs_its_steps_in_the_folder_then_reads_as_built(tmp_path):
    step = ("{python}", "-c", "open('made', 'w').write('x')")
    testee = bundle(tmp_path, build=(step,))
    assert not testee.built
    build(testee, log=io.StringIO())
    assert (tmp_path / "made").read_text() == "x"
    assert testee.built
    changed = bundle(tmp_path, build=(step, ("{python}", "-c", "pass")))
    assert not changed.built, "a changed build step must ask for a new build"


def test_a_failing_build_step_is_one_sentence_with_its_status(tmp_path):
    testee = bundle(tmp_path, build=(("{python}", "-c", "raise SystemExit(3)"),))
    with pytest.raises(BuildFailed, match=r"exited with status 3$"):
        build(testee, log=io.StringIO())
    assert not testee.built


def test_a_build_needing_a_missing_tool_names_it_before_running_anything(tmp_path):
    testee = bundle(tmp_path, build=(("{python}", "-c", "1/0"),), requires=("no-such-tool-x",))
    with pytest.raises(MissingTool, match="needs no-such-tool-x, which is not on PATH"):
        build(testee)


def test_the_cli_build_of_a_java_testee_without_java_on_path_names_java(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    run_it = ["run", "--testee", "openapi-generator-python", "--report-dir", str(tmp_path)]
    for command in (["build", "openapi-generator-python"], run_it):
        run = subprocess.run(
            [sys.executable, "-m", "conformance", *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PATH": str(empty)},
            timeout=120,
            check=False,
        )
        assert run.returncode == 2, run.stderr
        assert "needs java, which is not on PATH" in run.stderr
        assert run.stderr.count("\n") == 1, run.stderr


def test_the_listing_shows_kind_build_state_and_pinned_versions(tmp_path):
    known = bundled()
    table = listing(known)
    assert "reference" in table
    line = next(line for line in table.splitlines() if line.startswith("openai-python "))
    assert " sdk " in line
    assert "openai==" in line
    assert ("not built" in line) != known["openai-python"].built
    unbuilt = bundle(tmp_path, build=(("true",),), versions={"lib": "1.2.3"})
    expected = ["t", "sdk", "not", "built", "lib==1.2.3", "A", "testee."]
    assert listing({"t": unbuilt}).split() == expected


def test_an_unbuilt_testee_is_refused_then_built_listed_and_its_versions_recorded(tmp_path):
    """End to end through the CLI, with a manifest found through the search path."""
    folder = tmp_path / "lib"
    folder.mkdir()
    testee = {
        **GOOD,
        "name": "tiny-lib",
        "command": ["{python}", "-m", "conformance.reference_testee"],
        "build": [["{python}", "-c", "open('made', 'w').write('x')"]],
        "versions": {"tiny-lib": "0.0.1"},
    }
    write(folder, {"testees": [testee]})
    env = {**os.environ, "REALTIME_CONFORMANCE_TESTEES": str(tmp_path)}

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "conformance", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
            check=False,
        )

    refused = cli("run", "--testee", "tiny-lib", "--report-dir", str(tmp_path / "r"))
    assert refused.returncode == 2
    expected = "testee tiny-lib is not built: run realtime-conformance build tiny-lib"
    assert refused.stderr == f"realtime-conformance: {expected}\n"
    built = cli("build", "tiny-lib")
    assert built.returncode == 0, built.stderr
    assert (folder / "made").read_text() == "x"
    line = next(line for line in cli("testees").stdout.splitlines() if "tiny-lib" in line)
    assert line.split() == ["tiny-lib", "sdk", "built", "tiny-lib==0.0.1", "A", "testee."]
    report = tmp_path / "r"
    ran = cli("run", "--testee", "tiny-lib", "-k", "malformed.empty", "--report-dir", str(report))
    assert ran.returncode == 0, ran.stdout[-2000:]
    record = load_results((report / "results.json").read_text(encoding="utf-8"))
    assert (record.kind, record.versions) == ("sdk", {"tiny-lib": "0.0.1"})


def test_a_record_written_before_kind_and_versions_existed_still_loads():
    old = {
        "suite_version": "0.1.0", "protocol": 1, "testee": "t", "implementation": {},
        "claims": {}, "profile": "quick", "seed": 0, "started": "2026-01-01T00:00:00+00:00",
        "seconds": 1.0, "checks": [], "conformant": True,
    }  # fmt: skip
    record = load_results(json.dumps(old))
    assert (record.kind, record.versions) == ("", {})
