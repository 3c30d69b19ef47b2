"""The exported schemas say what the models say, and what the publication says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator

from strategies.invalid import invalid_documents
from strategies.jsontext import parse
from strategies.revisions import DEFAULT, SPECS
from strategies.schema import COMPONENT, json_schema, main, openapi_document
from strategies.valid import valid_documents

if TYPE_CHECKING:
    from collections.abc import Iterator

SPEC_FOLDER = Path(__file__).resolve().parents[2].parent / "shared" / "spec"
VALIDATOR = Draft202012Validator(json_schema())


def _published() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml", reason="pyyaml is needed to read the published extract")
    if not SPEC_FOLDER.is_dir():
        pytest.skip(f"the published extract is not beside the repository ({SPEC_FOLDER.name})")
    for path in sorted(SPEC_FOLDER.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if COMPONENT in document.get("components", {}).get("schemas", {}):
            return dict(document)
    pytest.skip(f"no file of the published extract defines {COMPONENT}")


def _without_prose(value: Any, *, in_properties: bool = False) -> Any:
    """Drop `description` keywords and x-oaiMeta, but keep a *property* named description."""
    if isinstance(value, dict):
        return {
            key: _without_prose(item, in_properties=key == "properties" and not in_properties)
            for key, item in value.items()
            if in_properties or key not in {"description", "x-oaiMeta"}
        }
    if isinstance(value, list):
        return [_without_prose(item) for item in value]
    return value


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, ...]]:
    """Yield (path, method, operationId, status, media type, schema) for every response."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                for media, content in response.get("content", {}).items():
                    schema = json.dumps(content["schema"], sort_keys=True)
                    yield path, method, operation["operationId"], str(status), media, schema


def _member_path(rule_id: str) -> tuple[str, ...]:
    """Return the member path a rule id is about: its id without the final keyword."""
    head = tuple(rule_id.split(".")[:-1])
    return () if head == ("document",) else head


def _error_paths(value: Any) -> set[tuple[str, ...]]:
    """Return where the schema finds errors, with array indices written `items` as rule ids do."""
    return {
        tuple("items" if isinstance(p, int) else p for p in error.absolute_path)
        for error in VALIDATOR.iter_errors(value)
    }


def test_openapi_component_matches_the_published_schema_except_for_prose() -> None:
    published = _published()["components"]["schemas"][COMPONENT]
    ours = openapi_document()["components"]["schemas"][COMPONENT]
    assert _without_prose(ours) == _without_prose(published)


def test_openapi_operation_and_response_reference_match_the_published_ones() -> None:
    published = _published()
    ours = openapi_document()
    assert sorted(_operations(ours)) == sorted(_operations(published))
    assert ours["openapi"] == published["openapi"]
    assert ours["info"]["version"] == published["info"]["version"]


def test_the_prose_filter_keeps_a_property_called_description() -> None:
    tool = openapi_document()["components"]["schemas"][COMPONENT]["properties"]["tools"]
    assert "description" in _without_prose(tool)["items"]["properties"]


def test_openapi_document_is_valid_openapi_3_0() -> None:
    validator = pytest.importorskip(
        "openapi_spec_validator", reason="openapi-spec-validator is not installed"
    )
    validator.validate(openapi_document())


def test_json_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json_schema())


@given(valid_documents())
def test_every_valid_case_passes_the_json_schema(case) -> None:
    errors = [e.message[:200] for e in VALIDATOR.iter_errors(parse(case.text))]
    assert not errors, f"the schema rejects a valid case: {errors}"


@given(invalid_documents())
def test_every_invalid_case_fails_the_json_schema_at_its_rule_member(case) -> None:
    """The schema covers documented rules too, and finds the fault where the label says."""
    value = parse(case.text)
    assert not VALIDATOR.is_valid(value), f"the schema accepts a case breaking {case.rule}"
    assert _member_path(case.rule) in _error_paths(value), (case.rule, case.mutation)


def test_main_prints_each_document_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()
    assert main(["--openapi"]) == 0
    assert json.loads(capsys.readouterr().out) == openapi_document()


LATER = [r for r in SPECS if r != DEFAULT]


def _extract(revision: str) -> dict[str, Any]:
    yaml = pytest.importorskip("yaml", reason="pyyaml is needed to read the published extract")
    if not SPEC_FOLDER.is_dir():
        pytest.skip(f"the published extracts are not beside the repository ({SPEC_FOLDER.name})")
    # An extract is named by its revision, or by a later commit whose note says that the
    # schema is unchanged since the revision ("unchanged since 5162af9 (2026-05-13)").
    found = sorted(SPEC_FOLDER.glob(f"*{revision}*.yaml")) or [
        path
        for path in sorted(SPEC_FOLDER.glob("*.yaml"))
        if any(
            line.startswith("# Revision note:") and f"({revision})" in line
            for line in path.read_text(encoding="utf-8").splitlines()[:10]
        )
    ]
    if not found:
        pytest.skip(f"no published extract of the revision {revision}")
    return dict(yaml.safe_load(found[0].read_text(encoding="utf-8")))


_ANNOTATIONS = {"example", "title", "default", "format"}
"""Keywords that annotate an instance and never reject one (`format` only annotates in
draft 2020-12): the transcription leaves them out."""


def _resolved(value: Any, schemas: dict[str, Any], *, in_properties: bool = False) -> Any:
    """Inline every local $ref; drop annotations and vendor extensions (not constraints).

    A property named like an annotation (`format`, an audio member) stays.
    """
    if isinstance(value, dict):
        if "$ref" in value:
            return _resolved(schemas[value["$ref"].rsplit("/", 1)[1]], schemas)
        return {
            k: _resolved(v, schemas, in_properties=k == "properties" and not in_properties)
            for k, v in value.items()
            if in_properties or (k not in _ANNOTATIONS and not k.startswith("x-"))
        }
    if isinstance(value, list):
        return [_resolved(item, schemas) for item in value]
    return value


@pytest.mark.parametrize("revision", LATER)
def test_the_openapi_component_of_each_later_revision_matches_its_extract(revision) -> None:
    schemas = _without_prose(_extract(revision)["components"]["schemas"])
    published = _resolved(schemas[COMPONENT], schemas)
    ours = openapi_document(SPECS[revision].document)["components"]["schemas"][COMPONENT]
    assert _without_prose(ours) == published


@pytest.mark.parametrize("revision", LATER)
def test_each_revision_exports_a_json_schema_that_agrees_with_its_cases(revision) -> None:
    spec = SPECS[revision]
    validator = Draft202012Validator(json_schema(spec.document))
    for document in spec.boundary_documents:
        assert validator.is_valid(spec.codec.unstructure(document))
    for rule_id in spec.mutations:
        for case in spec.invalid_boundaries(rule_id):
            value = parse(case.text)
            paths = {
                tuple("items" if isinstance(p, int) else p for p in e.absolute_path)
                for e in validator.iter_errors(value)
            }
            where = _member_path(rule_id)
            # A missing member is an error of the object that requires it.
            assert (where[:-1] if rule_id.endswith(".required") else where) in paths, case.mutation


def test_main_prints_the_schema_of_the_revision_asked_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--spec", "2025-01-31"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json_schema(SPECS["2025-01-31"].document)
    assert printed["required"] == ["client_secret"]


def test_the_published_example_of_2026_05_13_is_valid_and_round_trips() -> None:
    """The object's own example: audio formats as objects, tracing `auto`, nulls in audio.input."""
    extract = _extract("2026-05-13")["components"]["schemas"][COMPONENT]
    text = extract["x-oaiMeta"]["example"]
    codec = SPECS["2026-05-13"].codec
    document = codec.decode(text)
    assert document.audio.input.format.rate == 24000
    assert document.tracing == "auto"
    # Members the schema does not define (truncation, prompt) are unknown members, kept.
    assert document.unknown == {"truncation": "auto", "prompt": None}
    assert json.loads(codec.encode(document)) == json.loads(text)
    assert Draft202012Validator(json_schema(SPECS["2026-05-13"].document)).is_valid(
        json.loads(text)
    )


@pytest.mark.parametrize("revision", LATER)
def test_each_revision_exports_a_valid_json_schema_and_openapi_document(revision) -> None:
    document = SPECS[revision].document
    Draft202012Validator.check_schema(json_schema(document))
    validator = pytest.importorskip(
        "openapi_spec_validator", reason="openapi-spec-validator is not installed"
    )
    validator.validate(openapi_document(document))


RESTRUCTURED = SPECS["2026-05-13"]
RESTRUCTURED_VALIDATOR = Draft202012Validator(json_schema(RESTRUCTURED.document))


@settings(max_examples=50)
@given(RESTRUCTURED.valid_documents(), RESTRUCTURED.invalid_documents())
def test_the_schema_of_2026_05_13_accepts_its_valid_cases_and_finds_its_invalid_ones(
    valid, invalid
) -> None:
    errors = [e.message[:200] for e in RESTRUCTURED_VALIDATOR.iter_errors(parse(valid.text))]
    assert not errors, f"the schema rejects a valid case: {errors}"
    value = parse(invalid.text)
    paths = {
        tuple("items" if isinstance(p, int) else p for p in e.absolute_path)
        for e in RESTRUCTURED_VALIDATOR.iter_errors(value)
    }
    assert _member_path(invalid.rule) in paths, (invalid.rule, invalid.mutation)
