"""The reference codec: strict, complete in what it reports, and faithful on output."""

import math

import pytest

from strategies.codec import decode, drop_unknown, encode, structure, unstructure, violations
from strategies.errors import ImplementationDefinedInput, MalformedDocument, RuleViolations
from strategies.jsontext import difference, parse
from strategies.model import ABSENT, NULL

API_EXAMPLE = (
    '{"id": "sess_001", "object": "realtime.session", "model": "gpt-4o-realtime-preview",'
    ' "modalities": ["audio", "text"], "instructions": "You are a friendly assistant.",'
    ' "voice": "alloy", "input_audio_format": "pcm16", "output_audio_format": "pcm16",'
    ' "input_audio_transcription": {"model": "whisper-1"}, "turn_detection": null,'
    ' "tools": [], "tool_choice": "none", "temperature": 0.7,'
    ' "max_response_output_tokens": 200,'
    ' "client_secret": {"value": "ek_abc123", "expires_at": 1234567890}}'
)


def test_the_published_example_round_trips_with_its_unknown_members_and_null():
    document = decode(API_EXAMPLE)
    assert document.turn_detection is NULL
    assert document.unknown == {
        "id": "sess_001",
        "object": "realtime.session",
        "model": "gpt-4o-realtime-preview",
    }
    assert difference(parse(API_EXAMPLE), unstructure(document)) is None


def test_absent_null_and_present_stay_apart():
    assert decode("{}").turn_detection is ABSENT
    assert encode(decode('{"turn_detection":null}')) == '{"turn_detection":null}'
    assert encode(decode("{}")) == "{}"


@pytest.mark.parametrize(
    ("member", "value", "rule"),
    [
        ("temperature", '"0.8"', "temperature.type"),
        ("temperature", "true", "temperature.type"),
        ("client_secret", '{"expires_at": true}', "client_secret.expires_at.type"),
        ("client_secret", '{"expires_at": 1.5}', "client_secret.expires_at.type"),
        ("max_response_output_tokens", "true", "max_response_output_tokens.oneOf"),
        ("max_response_output_tokens", '"INF"', "max_response_output_tokens.oneOf"),
        ("max_response_output_tokens", "4097", "max_response_output_tokens.range"),
        ("max_response_output_tokens", "0", "max_response_output_tokens.range"),
        ("modalities", '"text"', "modalities.type"),
        ("modalities", '["text", "video"]', "modalities.items.enum"),
        ("voice", "null", "voice.enum"),
        ("instructions", "null", "instructions.type"),
        ("tools", '[{"parameters": []}]', "tools.items.parameters.type"),
        ("tools", "[1]", "tools.items.type"),
        ("turn_detection", '{"type": 1}', "turn_detection.type.type"),
        ("turn_detection", "[]", "turn_detection.type"),
        ("input_audio_format", '"wav"', "input_audio_format.enum"),
    ],
)
def test_strict_structuring_names_the_rule_broken(member, value, rule):
    with pytest.raises(RuleViolations) as caught:
        decode(f'{{"{member}": {value}}}')
    assert caught.value.rules == (rule,)


@pytest.mark.parametrize(
    ("temperature", "valid"),
    [(0.6, True), (1.2, True), (math.nextafter(0.6, 0), False), (math.nextafter(1.2, 2), False)],
)
def test_temperature_bounds_are_inclusive_to_the_last_ulp(temperature, valid):
    assert (violations({"temperature": temperature}) == []) is valid


def test_every_violation_of_a_document_is_reported_with_its_pointer():
    found = violations({"temperature": 2, "tools": [{}, {"name": 1}], "voice": "nova"})
    assert [(v.rule, v.pointer) for v in found] == [
        ("voice.enum", "/voice"),
        ("tools.items.name.type", "/tools/1/name"),
        ("temperature.range", "/temperature"),
    ]


def test_a_top_level_value_that_is_not_an_object_breaks_document_type():
    assert [v.rule for v in violations([])] == ["document.type"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("NaN", MalformedDocument),
        ('{"a": 1,}', MalformedDocument),
        ("", MalformedDocument),
        ('{"a": 1, "a": 2}', ImplementationDefinedInput),
        ('{"a": "\\ud800"}', ImplementationDefinedInput),
        ('{"a": 1e400}', ImplementationDefinedInput),
        ('{"a": 9007199254740992}', ImplementationDefinedInput),
        ("\ufeff{}", ImplementationDefinedInput),
        ("[" * 65 + "]" * 65, ImplementationDefinedInput),
        ("[" * 100_000, MalformedDocument),
    ],
)
def test_parsing_refuses_text_outside_the_portable_subset(text, error):
    with pytest.raises(error):
        parse(text)


def test_drop_unknown_removes_unknown_members_at_every_level_but_inside_parameters():
    value = {
        "x": 1,
        "client_secret": {"y": 2},
        "turn_detection": None,
        "tools": [{"z": 3, "parameters": {"kept": {"deep": 1}}}],
    }
    assert drop_unknown(value) == {
        "client_secret": {},
        "turn_detection": None,
        "tools": [{"parameters": {"kept": {"deep": 1}}}],
    }


def test_structure_keeps_unknown_members_named_like_the_model_attribute():
    assert structure({"unknown": 1}).unknown == {"unknown": 1}
