"""A member that is a union of shapes (oneOf, anyOf) decodes to the shape that accepts it.

Revision 2026-05-13 states its audio formats as an ``anyOf`` of three objects and
``tracing`` as ``oneOf`` a string and an object: the codec keeps the value as it came
(unknown members included) and names one rule when no shape accepts it.
"""

import json
from typing import Annotated

import attrs
import pytest
from jsonschema import Draft202012Validator

from strategies.codec import Codec
from strategies.errors import RuleViolations
from strategies.model import ABSENT, Absent, Variants
from strategies.revisions import SPECS
from strategies.revisions.r2026_05_13 import (
    FORMAT_PINS,
    PcmaFormat,
    PcmFormat,
    PcmuFormat,
    TracingConfiguration,
)
from strategies.schema import json_schema

SPEC = SPECS["2026-05-13"]
CODEC = SPEC.codec


@attrs.frozen
class Left:
    """One shape: `a` a string."""

    a: str | Absent = ABSENT
    unknown: dict = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class Right:
    """The other shape: `b` a string."""

    b: str | Absent = ABSENT
    unknown: dict = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class Both:
    """A model made for these tests: a oneOf of two open objects."""

    x: Annotated[Left | Right, Variants("oneOf")] | Absent = ABSENT
    unknown: dict = attrs.field(factory=dict, kw_only=True)


def _output_format(value):
    return {"audio": {"output": {"format": value}}}


@pytest.mark.parametrize(
    ("value", "shape"),
    [
        ({"type": "audio/pcm", "rate": 24000}, PcmFormat),
        ({"type": "audio/pcmu"}, PcmuFormat),
        ({"type": "audio/pcma", "x": [1]}, PcmaFormat),
        ({"type": "audio/pcmu", "rate": 8000}, PcmuFormat),
        ({}, PcmFormat),
    ],
)
def test_an_audio_format_round_trips_as_the_shape_that_accepts_it(value, shape):
    text = json.dumps(_output_format(value))
    document = CODEC.decode(text)
    assert type(document.audio.output.format) is shape
    assert json.loads(CODEC.encode(document)) == json.loads(text)


@pytest.mark.parametrize(
    "value",
    [
        {"type": "audio/pcm", "rate": 16000},
        {"type": "audio/pcm", "rate": 24000.5},
        {"type": "audio/wav"},
        {"type": None},
        "pcm16",
        [],
        None,
    ],
)
def test_an_audio_format_no_shape_accepts_breaks_the_anyof_rule_of_its_member(value):
    with pytest.raises(RuleViolations) as caught:
        CODEC.decode(json.dumps(_output_format(value)))
    (violation,) = caught.value.violations
    assert violation.rule == "audio.output.format.anyOf"
    assert violation.pointer == "/audio/output/format"


def test_every_pinned_format_is_valid_under_the_codec_and_the_exported_schema():
    validator = Draft202012Validator(json_schema(SPEC.document))
    for value in FORMAT_PINS:
        document = {"audio": {"input": {"format": value}, "output": {"format": value}}}
        assert CODEC.violations(document) == []
        assert validator.is_valid(document), value


def test_tracing_is_auto_or_an_object_or_null_and_nothing_else():
    assert CODEC.structure({"tracing": "auto"}).tracing == "auto"
    configured = CODEC.structure({"tracing": {"workflow_name": "w", "metadata": {"k": 1}}})
    assert configured.tracing == TracingConfiguration("w", metadata={"k": 1})
    assert CODEC.encode(CODEC.structure({"tracing": None})) == '{"tracing":null}'
    for bad in ("Auto", "", {"workflow_name": 1}, {"metadata": []}, 1, ["auto"]):
        assert [v.rule for v in CODEC.violations({"tracing": bad})] == ["tracing.oneOf"], bad


def test_a_value_two_shapes_of_a_one_of_accept_breaks_it():
    """Exactly one shape must accept: open objects overlap where no member tells them apart."""
    codec = Codec(Both)
    assert codec.rule_ids == ("document.type", "x.oneOf")
    assert [v.rule for v in codec.violations({"x": {"a": "1"}})] == ["x.oneOf"]
    assert codec.violations({"x": {"a": 1}}) == []  # only Right accepts it
    assert json_schema(Both)["properties"]["x"]["oneOf"][0]["properties"] == {
        "a": {"type": "string"}
    }


def test_languages_need_one_iso_639_1_code_at_least():
    transcription = {"audio": {"input": {"transcription": {"languages": ["en", "fr"]}}}}
    assert CODEC.violations(transcription) == []
    empty = {"audio": {"input": {"transcription": {"languages": []}}}}
    assert [v.rule for v in CODEC.violations(empty)] == [
        "audio.input.transcription.languages.minItems"
    ]
    regional = {"audio": {"input": {"transcription": {"languages": ["en-US"]}}}}
    assert [v.rule for v in CODEC.violations(regional)] == [
        "audio.input.transcription.languages.items.enum"
    ]
