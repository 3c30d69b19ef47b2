"""Valid documents: every member absent, null or present, every edge value, many spellings."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Literal, TypeVar, cast

import attrs
from hypothesis import strategies as st

from strategies.cases import Case
from strategies.codec import unstructure
from strategies.jsontext import MAX_SAFE_INTEGER, WHITESPACE, TextStyle, render
from strategies.model import (
    ABSENT,
    AUDIO_FORMATS,
    MODALITIES,
    NULL,
    VOICES,
    Absent,
    ClientSecret,
    Documented,
    InputAudioTranscription,
    JSONValue,
    MaxResponseOutputTokens,
    Modality,
    RealtimeSessionCreateResponse,
    Temperature,
    Threshold,
    TokenLimit,
    Tool,
    TurnDetection,
)
from strategies.values import (
    ARRAY_PINS,
    FLOAT_PINS,
    INTEGER_PINS,
    SPECIAL_STRINGS,
    UNICODE_PINS,
    choice,
    every_type,
    json_values,
    member_names,
    near_misses,
    nested_values,
    put,
    safe_integers,
    scalars,
    strings,
)

__all__ = [
    "BOUNDARY_DOCUMENTS",
    "OTHER_REVISIONS",
    "TEMPERATURE_PINS",
    "THRESHOLD_PINS",
    "TOKEN_PINS",
    "Draws",
    "as_strategy",
    "base_documents",
    "boundary_cases",
    "built",
    "documents",
    "member",
    "pooled",
    "revised_boundaries",
    "revised_documents",
    "text_styles",
    "unknown_members",
    "valid_case",
    "valid_documents",
]

_TEMPERATURE = Documented.of(Temperature).bounds
_THRESHOLD = Documented.of(Threshold).bounds
_TOKENS = tuple(int(bound) for bound in Documented.of(TokenLimit).bounds)
TEMPERATURE_PINS = (
    _TEMPERATURE[0],
    math.nextafter(_TEMPERATURE[0], math.inf),
    0.8,  # the documented default
    math.nextafter(_TEMPERATURE[1], -math.inf),
    _TEMPERATURE[1],
)
THRESHOLD_PINS = (
    _THRESHOLD[0],
    -0.0,
    5e-324,
    0.5,
    math.nextafter(_THRESHOLD[1], -math.inf),
    _THRESHOLD[1],
)
TOKEN_PINS = (_TOKENS[0], _TOKENS[0] + 1, 200, _TOKENS[1] - 1, _TOKENS[1])
T = TypeVar("T")
# Depth of a tool's parameters object in a document: document, tools, tool, parameters.
_PARAMETERS_DEPTH = 4


@attrs.frozen
class _OneOf:
    """Draw from one of *options*, as `choice` does, but inline in the draw of an object."""

    options: tuple[st.SearchStrategy[Any], ...]
    index: st.SearchStrategy[int]

    @classmethod
    def of(cls, *options: st.SearchStrategy[Any]) -> _OneOf:
        return cls(options, st.integers(0, len(options) - 1))

    def draw(self, draw: st.DrawFn) -> Any:
        return draw(self.options[draw(self.index)])


@attrs.frozen
class _Slot:
    """How one member of an object is drawn: absent, null where allowed, a pin, or a value.

    One integer decides: low values are absent, null and the pins (two draws in three),
    the rest draw from *values*; absent is 0, so shrinking removes members before it
    simplifies them.
    """

    index: st.SearchStrategy[int]
    fixed: tuple[object, ...]
    pinned: int
    values: st.SearchStrategy[Any] | _OneOf | None

    def draw(self, draw: st.DrawFn) -> object:
        i = draw(self.index)
        if i < self.pinned or self.values is None:
            return self.fixed[i % len(self.fixed)]
        return _drawn(draw, self.values)


_Inline = _Slot | _OneOf
"""What an object's draw draws inline, in its own `st.composite`. Hypothesis records a span
for every strategy drawn, nested ones included; drawn inline, a member costs one span
where it cost two, and a pooled object one where it cost three. That made valid
documents about a quarter faster to draw (benchmarks/generation.py), and generation
speed is what lets a certification afford many cases."""


def _drawn(draw: st.DrawFn, how: _Inline | st.SearchStrategy[T]) -> Any:
    """Draw *how*: inline if it is a slot or a choice, else as the strategy it is."""
    return how.draw(draw) if isinstance(how, _Slot | _OneOf) else draw(how)


def member(
    values: st.SearchStrategy[Any] | _OneOf | None, *pins: object, nullable: bool = False
) -> _Slot:
    """Return the slot of a member: absent, null where allowed, one of *pins*, or *values*."""
    fixed = (ABSENT, NULL, *pins) if nullable else (ABSENT, *pins)
    pinned = 2 * len(fixed) if values is not None else len(fixed)
    last = pinned + len(fixed) - 1 if values is not None else pinned - 1
    return _Slot(st.integers(0, last), fixed, pinned, values)


def built(cls: type[T], **members: _Inline | st.SearchStrategy[Any]) -> st.SearchStrategy[T]:
    """Like ``st.builds(cls, **members)``, drawing slots and choices inline."""

    @st.composite
    def built(draw: st.DrawFn) -> T:
        return cls(**{name: _drawn(draw, how) for name, how in members.items()})

    return built()


def as_strategy(how: _Inline) -> st.SearchStrategy[Any]:
    """Return *how* as a strategy of its own, to draw outside an object."""

    @st.composite
    def drawn(draw: st.DrawFn) -> Any:
        return how.draw(draw)

    return drawn()


def unknown_members(cls: type, values: st.SearchStrategy[JSONValue] = scalars) -> _OneOf:
    """Draw the unknown members of one object: none, a pinned near-miss, or random ones.

    The pinned single members (the empty name, names differing from known ones by case)
    are one draw; random dictionaries are several times dearer, so they get one draw in
    four. Nested objects hold scalars by default: nested values are exercised by
    ``parameters`` and the top level.
    """
    known = frozenset(f.name for f in attrs.fields(cls)) - {"unknown"}
    names = sorted({"", "id", *(near for name in known for near in near_misses(name))} - known)
    samples: tuple[JSONValue, ...] = (None, 0, "x", [], {}, every_type(3))
    pinned = st.sampled_from([{name: value} for name in names for value in samples])
    random = st.dictionaries(member_names(known), values, max_size=2)
    return _OneOf.of(st.just({}), pinned, pinned, random)


def _floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def pooled(pool: list[T], random: st.SearchStrategy[T]) -> _OneOf:
    """Draw a pinned object from *pool* (one draw) or a random one, equally often.

    Whole nested objects made of pins cost one draw instead of a dozen, and put the pins
    in front of the implementation twice as often as per-member choices would.
    """
    return _OneOf.of(st.sampled_from(pool), random)


_SECRETS: tuple[str | Absent, ...] = (ABSENT, "ek_abc123", *SPECIAL_STRINGS[:4])
_INTEGERS: tuple[int | Absent, ...] = (ABSENT, *INTEGER_PINS)
_MODELS: tuple[str | Absent, ...] = (ABSENT, "whisper-1", "", "\u2028")
_TURN_TYPES: tuple[str | Absent, ...] = (ABSENT, "server_vad")
_TOOL_NAMES: tuple[str | Absent, ...] = (ABSENT, "get_weather", "\x00")
_THRESHOLDS: tuple[float | Absent, ...] = (ABSENT, *THRESHOLD_PINS)
_PADDINGS: tuple[tuple[int | Absent, int | Absent], ...] = (
    (ABSENT, ABSENT), (300, 500), (2**31, 0), (MAX_SAFE_INTEGER, -1),
)  # fmt: skip
_TRANSCRIPTION_UNKNOWN: tuple[dict[str, JSONValue], ...] = ({}, {"Model": None})

_client_secrets = pooled(
    [
        ClientSecret(value, expires_at, unknown={"Value": "x"} if i % 3 == 0 else {})
        for i, (value, expires_at) in enumerate(itertools.product(_SECRETS, _INTEGERS))
    ],
    built(
        ClientSecret,
        value=member(strings, *SPECIAL_STRINGS),
        expires_at=member(safe_integers, *INTEGER_PINS),
        unknown=unknown_members(ClientSecret),
    ),
)
_transcriptions = pooled(
    [
        InputAudioTranscription(model, unknown=unknown)
        for model, unknown in itertools.product(_MODELS, _TRANSCRIPTION_UNKNOWN)
    ],
    built(
        InputAudioTranscription,
        model=member(strings, "whisper-1", *SPECIAL_STRINGS),
        unknown=unknown_members(InputAudioTranscription),
    ),
)
_turn_detections = pooled(
    [
        TurnDetection(kind, threshold, padding, silence, unknown={"TYPE": 1} if silence else {})
        for kind, threshold, (padding, silence) in itertools.product(
            _TURN_TYPES, _THRESHOLDS, _PADDINGS
        )
    ],
    built(
        TurnDetection,
        type=member(strings, "server_vad", *SPECIAL_STRINGS),
        threshold=member(_floats(*_THRESHOLD), *THRESHOLD_PINS),
        prefix_padding_ms=member(safe_integers, *INTEGER_PINS),
        silence_duration_ms=member(safe_integers, *INTEGER_PINS),
        unknown=unknown_members(TurnDetection),
    ),
)
_PARAMETER_PINS: tuple[dict[str, JSONValue] | Absent, ...] = (
    ABSENT,
    {},
    {"type": "object", "properties": {"x": {"type": "number"}}},
    every_type(60),
)
parameters = choice(
    st.dictionaries(st.text(max_size=8), json_values, max_size=4),
    st.builds(
        lambda name, deep: {name: deep},
        st.text(max_size=4),
        nested_values(64 - _PARAMETERS_DEPTH),
    ),
)
"""A tool's ``parameters``: any JSON object, nested up to the document's depth limit."""
_tools = pooled(
    [
        Tool(
            ABSENT if i % 2 else "function", name, "", params, unknown={"Name": []} if i % 3 else {}
        )
        for i, (name, params) in enumerate(itertools.product(_TOOL_NAMES, _PARAMETER_PINS))
    ],
    built(
        Tool,
        type=member(None, "function"),
        name=member(strings, *SPECIAL_STRINGS),
        description=member(strings, *SPECIAL_STRINGS),
        parameters=member(parameters, {}, {"type": "object", "properties": {}}),
        unknown=unknown_members(Tool),
    ),
)
_TOKEN_PINS = tuple(MaxResponseOutputTokens(p) for p in ("inf", *TOKEN_PINS))
_MODALITY_PINS = ((), ("text",), ("audio",), ("text", "audio"), ("audio", "text", "audio"))

documents = built(
    RealtimeSessionCreateResponse,
    client_secret=member(_client_secrets),
    modalities=member(
        st.lists(st.sampled_from(MODALITIES), max_size=4).map(tuple), *_MODALITY_PINS
    ),
    instructions=member(strings, *SPECIAL_STRINGS),
    voice=member(None, *VOICES),
    input_audio_format=member(None, *AUDIO_FORMATS),
    output_audio_format=member(None, *AUDIO_FORMATS),
    input_audio_transcription=member(_transcriptions, nullable=True),
    turn_detection=member(_turn_detections, nullable=True),
    tools=member(st.lists(as_strategy(_tools), min_size=1, max_size=2).map(tuple), ()),
    tool_choice=member(strings, "auto", "none", "required"),
    temperature=member(_floats(*_TEMPERATURE), *TEMPERATURE_PINS),
    max_response_output_tokens=member(
        st.builds(MaxResponseOutputTokens, st.integers(*_TOKENS)), *_TOKEN_PINS
    ),
    unknown=unknown_members(RealtimeSessionCreateResponse, choice(scalars, json_values)),
)
"""Valid model instances."""
client_secrets = as_strategy(_client_secrets)
"""Valid ``client_secret`` objects."""


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


OTHER_REVISIONS: dict[str, JSONValue] = {
    "id": "sess_001",
    "object": "realtime.session",
    "expires_at": 1234567890,
    "model": "gpt-realtime",
    "output_modalities": ["audio"],
    "include": ["item.input_audio_transcription.logprobs"],
    "audio": {
        "input": {
            "format": {"type": "audio/pcm", "rate": 24000},
            "noise_reduction": {"type": "near_field"},
            "transcription": {"model": "whisper-1"},
            "turn_detection": None,
        },
        "output": {"format": {"type": "audio/pcmu"}, "voice": "marin", "speed": 1.0},
    },
    "speed": 1.1,
    "tracing": {"workflow_name": "w", "group_id": "g", "metadata": {}},
    "max_output_tokens": "inf",
    "client_secret": {"value": "ek_abc123", "expires_at": 1234567890},
    "modalities": ["text", "audio"],
    "voice": "alloy",
    "input_audio_format": "pcm16",
    "output_audio_format": "g711_ulaw",
    "input_audio_transcription": {"model": "whisper-1"},
    "temperature": 0.8,
    "max_response_output_tokens": 4096,
}
"""Members that other revisions define at the top level (2026-05-13's restructured object;
``speed`` and ``tracing`` of the model openai-python generates; the seed's members, which
2026-05-13 dropped): in a revision that does not define one, it is an unknown member, and
an SDK following another revision that rejects it has a real bug. Every revision's
boundary documents carry those it does not define."""
_LATER = 1
"""The boundary document that carries the members of other revisions."""
_FREE_FORM = 2
"""The boundary document whose free-form places hold every JSON type at every depth."""
_DUPLICATE_TOOLS = 4
"""The boundary document whose tools are one tool three times."""


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

    def free(levels: int) -> dict[str, JSONValue]:
        # Unknown members of every JSON type, and under them every type at every depth
        # down to the depth limit (*levels* below the enclosing object).
        return every_type(levels) if i == _FREE_FORM else {}

    extra: dict[str, JSONValue] = {
        "x-floats": list(FLOAT_PINS),
        "x-arrays": list(ARRAY_PINS),
        "x-strings": list(UNICODE_PINS),
    }
    extras = extra if i == _FREE_FORM else {}
    if i == _LATER:
        known = {f.name for f in attrs.fields(RealtimeSessionCreateResponse)}
        extras = {k: v for k, v in OTHER_REVISIONS.items() if k not in known}
    return RealtimeSessionCreateResponse(
        client_secret=ClientSecret(
            SPECIAL_STRINGS[i % len(SPECIAL_STRINGS)],
            INTEGER_PINS[i % len(INTEGER_PINS)],
            unknown={name: i, **free(62)},
        ),
        modalities=modalities[i % len(modalities)],
        # Past 2^16 in code points and in UTF-16 units, where length fields overflow.
        instructions="\U0001f600" * 65_537 if i == 0 else SPECIAL_STRINGS[i % len(SPECIAL_STRINGS)],
        voice=VOICES[i % len(VOICES)],
        input_audio_format=AUDIO_FORMATS[i % 3],
        output_audio_format=AUDIO_FORMATS[(i + 1) % 3],
        input_audio_transcription=NULL
        if i % 2
        else InputAudioTranscription("whisper-1", unknown=free(62)),
        turn_detection=NULL
        if i % 4 == 3
        else TurnDetection(
            "server_vad",
            THRESHOLD_PINS[i % len(THRESHOLD_PINS)],
            INTEGER_PINS[-(i % len(INTEGER_PINS)) - 1],
            500,
            unknown={name: None, **free(62)},
        ),
        tools=()
        if i % 2
        else (
            Tool(
                "function",
                "f",
                UNICODE_PINS[i % len(UNICODE_PINS)],
                every_type(60) if i == _FREE_FORM else {"type": "object"},
                unknown={name: [], **free(61)},
            ),
        )
        * (3 if i == _DUPLICATE_TOOLS else 1),
        tool_choice=("auto", "none", "required", "f")[i % 4],
        temperature=TEMPERATURE_PINS[i % len(TEMPERATURE_PINS)],
        max_response_output_tokens=MaxResponseOutputTokens(pins[i % len(pins)]),
        unknown={name: {"nested": [i]}, **free(63), **extras},
    )


BOUNDARY_DOCUMENTS = (
    RealtimeSessionCreateResponse(),
    *(_boundary_document(i) for i in range(len(VOICES))),
)
"""The empty document, and documents that together hold every enum value and every pin.

Certification runs send them as explicit examples, so no bound is left to luck.
"""


_COMPACT = TextStyle()


def valid_case(document: Any, style: TextStyle = _COMPACT) -> Case:
    """Return *document* as a valid case, spelled in *style*."""
    value = unstructure(document)
    return Case("valid", render(value, style), None, expected=value, model=document, style=style)


def base_documents(
    accepted: Sequence[Any] = (), fresh: st.SearchStrategy[Any] = documents
) -> st.SearchStrategy[Any]:
    """Documents to break: half of them from *accepted*, the rest drawn afresh.

    A broken document says something about its rule only when the testee accepts the
    document it was made from; *accepted* are documents this testee has accepted, so
    that a testee that rejects most documents for one reason still gets judged on the
    others.
    """
    return choice(st.sampled_from(accepted), fresh) if accepted else fresh


def boundary_cases(boundaries: Sequence[Any] = BOUNDARY_DOCUMENTS) -> list[Case]:
    """Return the boundary documents as cases, spelled compactly and with every variation."""
    varied = TextStyle(WHITESPACE, 2, 0.5, vary_numbers=True, order="shuffled", seed=1)
    return [valid_case(d, style) for d in boundaries for style in (TextStyle(), varied)]


def valid_documents(
    boundaries: Sequence[Any] = BOUNDARY_DOCUMENTS, fresh: st.SearchStrategy[Any] = documents
) -> st.SearchStrategy[Case]:
    """Return valid cases: documents every conforming implementation accepts and reproduces.

    By default those of the seed's revision; a `strategies.spec.Spec` passes its own.
    """
    return st.builds(valid_case, choice(st.sampled_from(list(boundaries)), fresh), text_styles)


Draws = Mapping[tuple[str, ...], st.SearchStrategy[Any]]
"""Members a revision draws differently from the seed's: path to a strategy of JSON values
(or `ABSENT`)."""


def revised_documents(
    structure: Callable[[JSONValue], Any], draws: Draws
) -> st.SearchStrategy[Any]:
    """Documents of a revision: the seed's, with the members in *draws* drawn again.

    *structure* is the revision's codec, which turns the value into its model: a value it
    rejects is a bug of the revision's *draws*, and fails loudly.
    """

    @st.composite
    def revised(draw: st.DrawFn) -> Any:
        value: JSONValue = unstructure(draw(documents))
        for path, strategy in draws.items():
            value = cast("JSONValue", put(value, path, draw(strategy)))
        return structure(value)

    return revised()


def revised_boundaries(
    structure: Callable[[JSONValue], Any],
    minimal: JSONValue,
    pins: Mapping[tuple[str, ...], Sequence[JSONValue]],
    known: Collection[str] = (),
) -> tuple[Any, ...]:
    """Return the boundary documents of a revision.

    Its smallest document, then the seed's boundary documents with each member of *pins*
    set to one of its pins, every pin at least once. One of them carries every member of
    `OTHER_REVISIONS` that is not among *known*, the revision's top-level members.
    """
    count = max((len(VOICES), *(len(values) for values in pins.values())))
    boundaries = [structure(minimal)]
    for i in range(count):
        value: JSONValue = unstructure(_boundary_document(i))
        for path, values in pins.items():
            value = cast("JSONValue", put(value, path, values[i % len(values)]))
        if i == _LATER and isinstance(value, dict):
            value = {**value, **{k: v for k, v in OTHER_REVISIONS.items() if k not in known}}
        boundaries.append(structure(value))
    return tuple(boundaries)
