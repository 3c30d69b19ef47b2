"""Every report format, rendered from records of real runs, read as its consumers read it."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import jsonschema
import junitparser
import pytest
import xmlschema
from conftest import ROOT, record

from conformance.results import Failure, dump_results, load_results
from reports import FILES, FORMATS, badge, html, junit, markdown, matrix
from reports.common import failing

SCHEMA = json.loads((ROOT / "conformance/schemas/results.json").read_text())
JUNIT_XSD = xmlschema.XMLSchema(Path(__file__).with_name("junit.xsd"))
NEW_FIELDS = (
    "record_version", "spec_version", "python_version", "hypothesis_version", "spec",
    "spec_chosen_by",
)  # fmt: skip


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        cwd=ROOT, capture_output=True, timeout=120, check=False,
    )  # fmt: skip


def test_run_writes_all_five_files_and_report_renders_each_again_from_results_json(mixed_dir):
    """The renderers are pure: the report command gives byte for byte what the run wrote."""
    assert set(FILES.values()) <= {p.name for p in mixed_dir.iterdir()}
    for name, file in FILES.items():
        again = cli("report", str(mixed_dir / "results.json"), "--format", name)
        assert again.returncode == 0, again.stderr
        assert again.stdout.decode() == (mixed_dir / file).read_text(encoding="utf-8"), name


def test_results_json_records_what_makes_the_certificate_reproducible(mixed_dir):
    data = json.loads((mixed_dir / "results.json").read_text())
    assert data["spec_version"] == "2.3.0"
    assert data["record_version"] == 3
    assert data["python_version"].count(".") == 2
    assert data["hypothesis_version"][0].isdigit()
    assert data["implementation"]["name"] == "fake-reject"
    assert data["claims"] == {"validation": "none", "unknown_members": "preserve"}
    assert (data["profile"], data["seed"]) == ("quick", 0)
    assert data["seconds"] > 0
    assert data["started"][:2] == "20"


PUBLISHED = sorted((ROOT / "reports" / "published").glob("*/results.json"))


def test_the_results_schema_is_valid_and_holds_these_records(mixed_dir, hostile_dir):
    """The records of these tests, and the published ones of third-party testees."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    for path in [mixed_dir / "results.json", hostile_dir / "results.json", *PUBLISHED]:
        jsonschema.validate(json.loads(path.read_text()), SCHEMA)


def test_the_published_records_render_as_a_matrix_with_each_ones_verdict():
    """Each column ends in its record's verdict; every published run met its expectations."""
    records = [load_results(path.read_text()) for path in PUBLISHED]
    assert len(records) >= 2
    assert all(record.expectations_met for record in records), "a published ratchet broke"
    text = matrix.render(records, "markdown")
    header = next(line for line in text.splitlines() if line.startswith("| | Check |"))
    columns = header.strip(" |").split(" | ")[2:]
    shown = [column.rsplit("\\; ", 1)[-1].replace("\\", "") for column in columns]
    assert shown == [record.verdict for record in records]
    assert "| ≠ |" in text  # the implementations do not all fail the same checks


def test_the_results_schema_rejects_a_record_with_a_wrong_outcome(mixed_dir):
    data = json.loads((mixed_dir / "results.json").read_text())
    data["checks"][0]["outcome"] = "sort of"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_a_record_of_the_first_format_loads_validates_and_renders_in_every_format(mixed_dir):
    """Old records render with newer versions: the fields added since have defaults."""
    data = json.loads((mixed_dir / "results.json").read_text())
    for name in NEW_FIELDS:
        del data[name]
    jsonschema.validate(data, SCHEMA)
    old = load_results(json.dumps(data))
    assert (old.record_version, old.python_version) == (1, "")
    assert "Python unknown" in markdown.render(old)
    for render in FORMATS.values():
        assert render(old)


def test_junit_has_one_testcase_per_check_classed_by_level_and_kind(mixed_dir):
    results = record(mixed_dir)
    suite = next(iter(junitparser.JUnitXml.fromfile(str(mixed_dir / "junit.xml"))))
    cases = {case.name: case for case in suite}
    assert list(cases) == [c.id for c in results.checks]
    for check in results.checks:
        assert cases[check.id].classname == f"{check.level.lower()}.{check.kind}"


def test_junit_fails_only_what_fails_the_verdict(mixed_dir):
    """REQUIRED failure: failure; RECOMMENDED failure and expected failure: skipped."""
    suite = next(iter(junitparser.JUnitXml.fromfile(str(mixed_dir / "junit.xml"))))
    kinds = {case.name: [type(r).__name__ for r in case.result] for case in suite}
    messages = {case.name: [r.message for r in case.result] for case in suite}
    assert kinds["required.valid.output"] == ["Failure"]
    assert kinds["required.valid.accepted"] == ["Skipped"]
    assert messages["required.valid.accepted"] == [
        "expected failure: rejects everything | on purpose"
    ]
    assert kinds["recommended.valid.idempotent"] == ["Skipped"]
    assert "does not fail the run" in messages["recommended.valid.idempotent"][0]
    assert kinds["required.malformed.empty"] == ["Error"]  # listed as failing, but passed
    assert kinds["required.malformed.bom-only"] == []
    assert suite.failures == 2
    assert (suite.errors, suite.tests) == (1, len(kinds))


def test_a_junit_failure_holds_the_minimal_document_answer_and_replay(mixed_dir):
    checks = {c.id: c for c in record(mixed_dir).checks}
    failure = checks["required.valid.output"].failure
    suite = next(iter(junitparser.JUnitXml.fromfile(str(mixed_dir / "junit.xml"))))
    text = next(c for c in suite if c.name == "required.valid.output").result[0].text
    assert f"document:   {failure.document}" in text
    assert f"answer:     {failure.answer}" in text
    assert f"replay:     {failure.replay}" in text


@pytest.mark.parametrize("which", ["mixed_dir", "hostile_dir"])
def test_junit_conforms_to_the_common_junit_schema(which, request):
    JUNIT_XSD.validate(str(request.getfixturevalue(which) / "junit.xml"))


def test_the_junit_schema_test_can_fail(mixed_dir):
    """A testcase without its classname breaks the schema, so the test above means something."""
    tree = ET.parse(mixed_dir / "junit.xml")  # noqa: S314 - the XML our renderer wrote
    del next(tree.getroot().iter("testcase")).attrib["classname"]
    assert not JUNIT_XSD.is_valid(tree)


def test_the_markdown_certificate_states_verdict_claims_counts_and_failing_checks(mixed_dir):
    text = (mixed_dir / "report.md").read_text()
    assert "**Verdict: not conformant**" in text
    assert "| Claims | unknown\\_members: preserve, validation: none |" in text
    assert "| Level | passed | failed | xfailed | xpassed |" in text
    assert "| REQUIRED | 1 | 2 | 1 | 1 |" in text
    assert "| RECOMMENDED | 0 | 2 | 0 | 0 |" in text
    row = next(line for line in text.splitlines() if "required\\.valid\\.output" in line)
    assert "<code>\\{\\}</code>" in row  # the minimal document
    assert "rejected\\: fake\\-reject rejects everything" in row  # the answer


def test_long_documents_are_clipped_in_markdown_with_a_pointer_to_the_html(hostile_dir):
    text = (hostile_dir / "report.md").read_text()
    assert "(whole text in report.html)" in text
    assert "characters\\)</code>" in text


def test_the_badge_is_svg_saying_conformant_or_how_many_checks_fail(mixed_dir):
    results = record(mixed_dir)
    root = ET.fromstring(badge.render(results))  # noqa: S314 - our own SVG
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    count = sum(map(failing, results.checks))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["realtime conformance", f"{count} failures"]
    clean = attrs.evolve(
        results,
        checks=tuple(c for c in results.checks if c.outcome == "passed"),
        unmatched_expectations=(),
        verdict="conformant",
    )
    assert "conformant</text>" in badge.render(clean)
    assert "#2e7d32" in badge.render(clean)


def test_the_matrix_marks_disagreement_and_states_a_difference_of_versions(mixed_dir):
    results = record(mixed_dir)
    newer = attrs.evolve(
        results,
        suite_version="9.9.9",
        checks=tuple(attrs.evolve(c, outcome="passed") for c in results.checks),
    )
    text = matrix.render([results, newer], "markdown")
    assert "differ in suite version \\(1\\: 0\\.1\\.0\\, 2\\: 9\\.9\\.9\\)" in text
    rows = [line for line in text.splitlines() if line.startswith("| ≠ |")]
    assert len(rows) == sum(c.outcome != "passed" for c in results.checks)
    assert "| required\\.valid\\.output" not in text  # ids are in <code>


def test_the_report_command_renders_a_matrix_from_two_records(mixed_dir, hostile_dir, tmp_path):
    out = tmp_path / "matrix.html"
    run = cli("report", str(mixed_dir / "results.json"), str(hostile_dir / "results.json"),
              "--format", "html", "-o", str(out))  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout == b""
    assert out.read_text().count('<th class="impl">') == 2


@pytest.mark.parametrize(
    ("setup", "sentence"),
    [
        (lambda _: ["missing.json"], b"cannot read missing.json"),
        (lambda _: ["README.md"], b"is not a results.json record: not JSON"),
        (lambda d: [str(d / "junit.xml")], b"not a results.json record: not JSON"),
        (lambda _: ["pyproject.toml", "--format", "pdf"], b"invalid choice"),
        (
            lambda d: [str(d / "results.json"), str(d / "results.json"), "--format", "junit"],
            b"render as a comparison matrix, in html or markdown, not junit",
        ),
        (
            lambda d: [str(d / "results.json"), "-o", str(d / "no-such-dir" / "x.md")],
            b"cannot write",
        ),
    ],
    ids=["missing", "not-json", "xml", "bad-format", "matrix-as-junit", "unwritable"],
)
def test_report_mistakes_get_one_sentence_and_status_2(mixed_dir, setup, sentence):
    run = cli("report", *setup(mixed_dir))
    assert run.returncode == 2
    assert sentence in run.stderr
    assert b"Traceback" not in run.stderr


def test_a_json_object_that_is_no_record_is_refused_in_one_sentence(tmp_path):
    path = tmp_path / "not-a-record.json"
    path.write_text('{"checks": "many"}')
    run = cli("report", str(path))
    assert run.returncode == 2
    assert b"is not a results.json record this version reads" in run.stderr
    assert run.stderr.count(b"\n") == 1


def test_json_render_is_the_lossless_record(mixed_dir):
    results = record(mixed_dir)
    assert load_results(FORMATS["json"](results)) == results
    assert FORMATS["json"](results) == dump_results(results)
    assert junit.render(results) == (mixed_dir / "junit.xml").read_text()


def test_html_marks_the_part_of_the_answer_that_differs_from_the_expected_output():
    failure = Failure(
        message="the output differs from the input",
        document='{"temperature":0.6}',
        expected='{"temperature":0.6}',
        answer='accepted: {"temperature":0.6000000238418579}',
        difference="/temperature: expected 0.6, got 0.6000000238418579",
        replay="true",
    )
    shown = html.failure_details(failure, "replay-1")
    assert "<pre>accepted: {&quot;temperature&quot;:0.6<mark>000000238418579</mark>}</pre>" in shown
    assert "<pre>{&quot;temperature&quot;:0.6}</pre>" in shown  # nothing of it differs


def test_every_report_names_the_revision_and_the_matrix_says_when_revisions_differ(mixed_dir):
    results = record(mixed_dir)
    assert (results.spec, results.spec_chosen_by) == ("2024-12-18", "default")
    assert "revision 2024-12-18 (default)" in html.render(results)
    assert r"revision 2024\-12\-18 (default)" in markdown.render(results)
    assert '<property name="spec" value="2024-12-18"' in junit.render(results)
    later = attrs.evolve(results, spec="2025-03-22", spec_chosen_by="claims")
    for form in ("markdown", "html"):
        text = matrix.render([results, later], form)
        assert "differ in the revision of the object" in text
        assert "revision 2025" in text  # each column names its revision
    assert not any("revision" in s for s in matrix.differences([results, results]))
