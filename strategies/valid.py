"""Valid documents: every member absent, null or present, every edge value, many spellings."""

from __future__ import annotations

import math
from typing import Literal, TypeVar

import attrs
from hypothesis import strategies as st

from strategies.cases import Case
from strategies.codec import unstructure
from strategies.jsontext import WHITESPACE, TextStyle, render
from strategies.model import (
    ABSENT,
    AUDIO_FORMATS,
    MODALITIES,
    NULL,
    VOICES,
    ClientSecret,
    InputAudioTranscription,
    MaxResponseOutputTokens,
    Modality,
    RealtimeSessionCreateResponse,
    Tool,
    TurnDetection,
)
from strategies.values import (
    INTEGER_PINS,
    SPECIAL_STRINGS,
    json_values,
    member_names,
    nested_values,
    safe_integers,
    scalars,
    strings,
)

__all__ = [
    "BOUNDARY_DOCUMENTS",
    "TEMPERATURE_PINS",
    "THRESHOLD_PINS",
    "TOKEN_PINS",
    "boundary_cases",
    "documents",
    "text_styles",
    "valid_documents",
]

TEMPERATURE_PINS = (0.6, math.nextafter(0.6, 1), 0.8, math.nextafter(1.2, 0), 1.2)
THRESHOLD_PINS = (0.0, -0.0, 5e-324, 0.5, math.nextafter(1.0, 0), 1.0)
TOKEN_PINS = (1, 2, 200, 4095, 4096)
T = TypeVar("T")
# Depth of a tool's parameters object in a document: document, tools, tool, parameters.
_PARAMETERS_DEPTH = 4


def _member(values: st.SearchStrategy[T], *, nullable: bool = False) -> st.SearchStrategy[T]:
    # Absent first, so that shrinking removes members before it simplifies them; present
    # twice, so that the values (and the pins among them) get two draws in three.
    choices: list[st.SearchStrategy[object]] = [st.just(ABSENT), values, values]
    if nullable:
        choices.insert(1, st.just(NULL))
    return st.one_of(*choices)


def _unknown(cls: type) -> st.SearchStrategy[dict[str, object]]:
    known = frozenset(f.name for f in attrs.fields(cls)) - {"unknown"}
    # Mostly scalars: unknown members are about names and presence, and nested values are
    # already exercised by ``parameters``; this keeps generation fast.
    values = st.one_of(scalars, scalars, json_values)
    return st.one_of(st.just({}), st.dictionaries(member_names(known), values, max_size=2))


def _bounded(low: float, high: float, pins: tuple[float, ...]) -> st.SearchStrategy[float]:
    # The pins twice: bounds are where SDKs are wrong, so they get two draws in three.
    pinned = st.sampled_from(pins)
    return st.one_of(pinned, pinned, st.floats(low, high, allow_nan=False, allow_infinity=False))


client_secrets = st.builds(
    ClientSecret,
    value=_member(strings),
    expires_at=_member(safe_integers),
    unknown=_unknown(ClientSecret),
)
transcriptions = st.builds(
    InputAudioTranscription,
    model=_member(st.one_of(st.just("whisper-1"), strings)),
    unknown=_unknown(InputAudioTranscription),
)
turn_detections = st.builds(
    TurnDetection,
    type=_member(st.one_of(st.just("server_vad"), strings)),
    threshold=_member(_bounded(0.0, 1.0, THRESHOLD_PINS)),
    prefix_padding_ms=_member(safe_integers),
    silence_duration_ms=_member(safe_integers),
    unknown=_unknown(TurnDetection),
)
parameters = st.one_of(
    st.dictionaries(st.text(max_size=8), json_values, max_size=4),
    st.builds(
        lambda name, deep: {name: deep},
        st.text(max_size=4),
        nested_values(64 - _PARAMETERS_DEPTH),
    ),
)
"""A tool's ``parameters``: any JSON object, nested up to the document's depth limit."""
tools = st.builds(
    Tool,
    type=_member(st.just("function")),
    name=_member(strings),
    description=_member(strings),
    parameters=_member(parameters),
    unknown=_unknown(Tool),
)
max_tokens = st.builds(
    MaxResponseOutputTokens,
    st.one_of(
        st.sampled_from(("inf", *TOKEN_PINS)),
        st.sampled_from(("inf", *TOKEN_PINS)),
        st.integers(1, 4096),
    ),
)

documents = st.builds(
    RealtimeSessionCreateResponse,
    client_secret=_member(client_secrets),
    modalities=_member(st.lists(st.sampled_from(MODALITIES), max_size=4).map(tuple)),
    instructions=_member(strings),
    voice=_member(st.sampled_from(VOICES)),
    input_audio_format=_member(st.sampled_from(AUDIO_FORMATS)),
    output_audio_format=_member(st.sampled_from(AUDIO_FORMATS)),
    input_audio_transcription=_member(transcriptions, nullable=True),
    turn_detection=_member(turn_detections, nullable=True),
    tools=_member(st.lists(tools, max_size=3).map(tuple)),
    tool_choice=_member(st.one_of(st.sampled_from(["auto", "none", "required"]), strings)),
    temperature=_member(_bounded(0.6, 1.2, TEMPERATURE_PINS)),
    max_response_output_tokens=_member(max_tokens),
    unknown=_unknown(RealtimeSessionCreateResponse),
)
"""Valid model instances."""

_WHITESPACE_CHOICES = ("", " ", "\t", "\n", "\r", WHITESPACE)
_ESCAPE_RATES = (0.0, 0.05, 0.5, 1.0)
_ORDERS: tuple[Literal["given", "reversed", "shuffled"], ...] = ("given", "reversed", "shuffled")


def style_of(number: int) -> TextStyle:
    """Decode one integer into a text style; 0 is compact canonical text.

    One draw instead of seven: generation speed is what lets a certification afford many
    cases, and an integer still shrinks towards 0, the plainest spelling.
    """
    if number == 0:
        return TextStyle()
    number, whitespace = divmod(number, len(_WHITESPACE_CHOICES))
    number, max_run = divmod(number, 4)
    number, escape = divmod(number, len(_ESCAPE_RATES))
    number, vary = divmod(number, 2)
    number, order = divmod(number, len(_ORDERS))
    return TextStyle(
        _WHITESPACE_CHOICES[whitespace],
        max_run,
        _ESCAPE_RATES[escape],
        bool(vary),
        _ORDERS[order],
        seed=number,
    )


text_styles = st.integers(0, 2**40).map(style_of)
"""Spellings of a value; shrinks towards compact canonical text."""


def _boundary_document(i: int) -> RealtimeSessionCreateResponse:
    """Return the i-th boundary document: each holds one pin of every pinned member."""
    modalities: tuple[tuple[Modality, ...], ...] = (
        (),
        ("text",),
        ("audio",),
        ("text", "audio"),
        ("audio", "audio", "text"),
    )
    pins: tuple[int | Literal["inf"], ...] = ("inf", *TOKEN_PINS)
    name = ("", "Temperature", "VOICE", "id")[i % 4]
    return RealtimeSessionCreateResponse(
        client_secret=ClientSecret(
            SPECIAL_STRINGS[i % len(SPECIAL_STRINGS)], INTEGER_PINS[i], unknown={name: i}
        ),
        modalities=modalities[i % len(modalities)],
        instructions=SPECIAL_STRINGS[(i + 1) % len(SPECIAL_STRINGS)],
        voice=VOICES[i],
        input_audio_format=AUDIO_FORMATS[i % 3],
        output_audio_format=AUDIO_FORMATS[(i + 1) % 3],
        input_audio_transcription=NULL if i % 2 else InputAudioTranscription("whisper-1"),
        turn_detection=NULL
        if i % 4 == 3
        else TurnDetection(
            "server_vad",
            THRESHOLD_PINS[i % len(THRESHOLD_PINS)],
            INTEGER_PINS[-i - 1],
            500,
            unknown={name: None},
        ),
        tools=() if i % 2 else (Tool("function", "f", "", {"type": "object"}, unknown={name: []}),),
        tool_choice=("auto", "none", "required", "f")[i % 4],
        temperature=TEMPERATURE_PINS[i % len(TEMPERATURE_PINS)],
        max_response_output_tokens=MaxResponseOutputTokens(pins[i % len(pins)]),
        unknown={name: {"nested": [i]}},
    )


BOUNDARY_DOCUMENTS = (
    RealtimeSessionCreateResponse(),
    *(_boundary_document(i) for i in range(len(VOICES))),
)
"""The empty document, and documents that together hold every enum value and every pin.

Certification runs send them as explicit examples, so no bound is left to luck.
"""


def _valid_case(document: RealtimeSessionCreateResponse, style: TextStyle) -> Case:
    value = unstructure(document)
    return Case("valid", render(value, style), None, expected=value, model=document, style=style)


def boundary_cases() -> list[Case]:
    """Return the boundary documents as cases, spelled compactly and with every variation."""
    varied = TextStyle(WHITESPACE, 2, 0.5, vary_numbers=True, order="shuffled", seed=1)
    return [_valid_case(d, style) for d in BOUNDARY_DOCUMENTS for style in (TextStyle(), varied)]


def valid_documents() -> st.SearchStrategy[Case]:
    """Return valid cases: documents every conforming implementation accepts and reproduces."""
    return st.builds(
        _valid_case, st.one_of(st.sampled_from(BOUNDARY_DOCUMENTS), documents), text_styles
    )
