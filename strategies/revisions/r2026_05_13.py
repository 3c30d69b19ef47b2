"""Revision 2026-05-13: the object restructured around ``audio.input`` and ``audio.output``.

openai-openapi 5162af9 (the same schema at f85dbe2, 2026-08-21). Not a change of the
revision before but a new shape: ``client_secret``, ``modalities``, ``voice``, the audio
formats, ``input_audio_transcription``, ``temperature`` and ``max_response_output_tokens``
are gone (unknown members now); ``id``, ``object``, ``expires_at``, ``include``, ``model``,
``output_modalities``, ``audio``, ``tracing`` and ``max_output_tokens`` are new. The
audio formats are objects, an ``anyOf`` of three shapes; ``tracing`` is ``oneOf`` the
string ``auto`` and an object. ``turn_detection``, ``tools``, ``tool_choice`` and
``instructions`` keep the seed's shape and rules. How the prose is read is `DECISIONS`,
which the rulebook page prints.
"""

from __future__ import annotations

from typing import Annotated, Literal

import attrs
from hypothesis import strategies as st

from strategies.codec import CONVERTER
from strategies.invalid import (
    MUTATIONS,
    NOT_ARRAY,
    NOT_INTEGER,
    NOT_NUMBER,
    NOT_OBJECT,
    NOT_STRING,
    Mutation,
)
from strategies.model import (
    ABSENT,
    MODALITIES,
    NULL,
    Absent,
    Documented,
    JSONValue,
    MaxResponseOutputTokens,
    MinItems,
    Modality,
    Named,
    Null,
    Tool,
    TurnDetection,
    Variants,
)
from strategies.rules import OBJECT_RULES, Level, Rule
from strategies.rules import SPEC as SOURCE
from strategies.spec import Spec
from strategies.valid import TOKEN_PINS, as_strategy, built, member, pooled, unknown_members
from strategies.values import INTEGER_PINS, SPECIAL_STRINGS, choice, json_values, safe_integers
from strategies.values import strings as any_strings

__all__ = [
    "DECISIONS",
    "ISO_639_1",
    "SPEC",
    "TRANSCRIPTION_MODELS",
    "VOICES",
    "Audio",
    "AudioInput",
    "AudioOutput",
    "InputTurnDetection",
    "NoiseReduction",
    "PcmFormat",
    "PcmaFormat",
    "PcmuFormat",
    "RealtimeSessionCreateResponse",
    "TracingConfiguration",
    "Transcription",
]

VOICES = (
    "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar",
)  # fmt: skip
"""The named voices of ``VoiceIdsShared`` in this revision."""
TRANSCRIPTION_MODELS = (
    "whisper-1",
    "gpt-transcribe",
    "gpt-live-transcribe",
    "gpt-4o-mini-transcribe",
    "gpt-4o-mini-transcribe-2025-12-15",
    "gpt-4o-transcribe",
    "gpt-4o-transcribe-diarize",
    "gpt-realtime-whisper",
)
"""The named transcription models (``anyOf: [string, enum]``: any string is valid)."""
_CODES = (
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv"
    " cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho"
    " hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku"
    " kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn"
    " no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm"
    " sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi"
    " vo wa wo xh yi yo za zh zu"
)
ISO_639_1 = tuple(_CODES.split())
"""The 184 two-letter codes of ISO 639-1 (those the iso-codes project lists)."""
OBJECT_TYPE = "realtime.session"
Include = Literal["item.input_audio_transcription.logprobs"]
NoiseReductionType = Literal["near_field", "far_field"]
Unknown = dict[str, JSONValue]


@attrs.frozen
class PcmFormat:
    """The PCM audio format. Only a 24kHz sample rate is supported."""

    type: Literal["audio/pcm"] | Absent = ABSENT
    rate: Literal[24000] | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class PcmuFormat:
    """The G.711 μ-law format."""

    type: Literal["audio/pcmu"] | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class PcmaFormat:
    """The G.711 A-law format."""

    type: Literal["audio/pcma"] | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


AudioFormat = Annotated[PcmFormat | PcmuFormat | PcmaFormat, Variants("anyOf")]
Language = Annotated[str, Documented(enum=ISO_639_1)]


@attrs.frozen
class Transcription:
    """Configuration for input audio transcription."""

    model: Annotated[str, Named(TRANSCRIPTION_MODELS)] | Absent = ABSENT
    language: str | Absent = ABSENT
    languages: Annotated[tuple[Language, ...], MinItems(1)] | Absent = ABSENT
    prompt: str | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class NoiseReduction:
    """Configuration for input audio noise reduction."""

    type: NoiseReductionType | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class InputTurnDetection:
    """Configuration for turn detection of the input audio; no range is stated here."""

    type: str | Absent = ABSENT
    threshold: float | Absent = ABSENT
    prefix_padding_ms: int | Absent = ABSENT
    silence_duration_ms: int | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class AudioInput:
    """Configuration for the input audio."""

    format: AudioFormat | Absent = ABSENT
    transcription: Transcription | Absent = ABSENT
    noise_reduction: NoiseReduction | Null | Absent = ABSENT
    turn_detection: InputTurnDetection | Null | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class AudioOutput:
    """Configuration for the output audio."""

    format: AudioFormat | Absent = ABSENT
    voice: Annotated[str, Named(VOICES)] | Absent = ABSENT
    speed: float | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class Audio:
    """Configuration for input and output audio for the session."""

    input: AudioInput | Absent = ABSENT
    output: AudioOutput | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class TracingConfiguration:
    """Granular configuration for tracing."""

    workflow_name: str | Absent = ABSENT
    group_id: str | Absent = ABSENT
    metadata: Unknown | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


Tracing = Annotated[Literal["auto"] | TracingConfiguration, Variants("oneOf")]


@attrs.frozen
class RealtimeSessionCreateResponse:
    """A Realtime session configuration object.

    Attribute names are the wire names; members the model does not know are kept in
    `unknown` (a document member called ``unknown`` lands in it).
    """

    id: str | Absent = ABSENT
    object: Annotated[str, Documented(enum=(OBJECT_TYPE,))] | Absent = ABSENT
    expires_at: int | Absent = ABSENT
    include: tuple[Include, ...] | Absent = ABSENT
    model: str | Absent = ABSENT
    output_modalities: tuple[Modality, ...] | Absent = ABSENT
    instructions: str | Absent = ABSENT
    audio: Audio | Absent = ABSENT
    tracing: Tracing | Null | Absent = ABSENT
    turn_detection: TurnDetection | Null | Absent = ABSENT
    tools: tuple[Tool, ...] | Absent = ABSENT
    tool_choice: str | Absent = ABSENT
    max_output_tokens: MaxResponseOutputTokens | Absent = ABSENT
    unknown: Unknown = attrs.field(factory=dict, kw_only=True)


# Rules ---------------------------------------------------------------------------------


def _rule(rule_id: str, sentence: str, level: Level = Level.SCHEMA) -> Rule:
    return Rule(rule_id, level, SOURCE, sentence)


def _type(member_path: str, json_type: str, sentence: str = "") -> Rule:
    return _rule(f"{member_path}.type", sentence or f"`{member_path}`: type {json_type}")


_KEPT = ("instructions.", "turn_detection.", "tools.", "tool_choice.")
"""The seed's rules that hold here as they are: same members, same sentences."""
_FORMATS = (
    "RealtimeAudioFormats: anyOf [object {type enum [audio/pcm], rate integer enum [24000]},"
    " object {type enum [audio/pcmu]}, object {type enum [audio/pcma]}]."
)
_TOKENS = (
    "Provide an integer between 1 and 4096 to limit output tokens, or `inf` for the maximum"
    " available tokens for a given model."
)

RULES: tuple[Rule, ...] = (
    _rule("document.type", "RealtimeSessionCreateResponse: type object."),
    _type("id", "string"),
    _type("object", "string"),
    _rule("object.enum", "The object type. Always `realtime.session`.", Level.DOCUMENTED),
    _type("expires_at", "integer", "expires_at: type integer, format unixtime."),
    _type("include", "array"),
    _rule(
        "include.items.enum",
        "include items: type string, enum [item.input_audio_transcription.logprobs].",
    ),
    _type("model", "string"),
    _rule(
        "output_modalities.type",
        "output_modalities: items of type string (the schema gives `items` but omits"
        " `type: array`; the rulebook takes it as an array).",
    ),
    _rule(
        "output_modalities.items.enum", "output_modalities items: type string, enum [text, audio]."
    ),
    _type("audio", "object", "audio: type object. Configuration for input and output audio."),
    _type("audio.input", "object"),
    _rule("audio.input.format.anyOf", f"audio.input.format: {_FORMATS}"),
    _type(
        "audio.input.transcription",
        "object",
        "transcription: AudioTranscriptionResponse, type object.",
    ),
    _type(
        "audio.input.transcription.model",
        "string",
        "model: anyOf [type string, type string enum [whisper-1, ...]]: any string.",
    ),
    _type("audio.input.transcription.language", "string"),
    _type("audio.input.transcription.languages", "array"),
    _type("audio.input.transcription.languages.items", "string"),
    _rule(
        "audio.input.transcription.languages.items.enum",
        "The possible input audio languages configured for transcription, in ISO-639-1 format.",
        Level.DOCUMENTED,
    ),
    _rule("audio.input.transcription.languages.minItems", "languages: type array, minItems 1."),
    _type("audio.input.transcription.prompt", "string"),
    _type(
        "audio.input.noise_reduction",
        "object",
        "noise_reduction: type object; the object's published example sets it to `null`.",
    ),
    _rule(
        "audio.input.noise_reduction.type.enum",
        "NoiseReductionType: type string, enum [near_field, far_field].",
    ),
    _type(
        "audio.input.turn_detection",
        "object",
        "turn_detection: type object; the object's published example sets it to `null`.",
    ),
    _type("audio.input.turn_detection.type", "string"),
    _type("audio.input.turn_detection.threshold", "number"),
    _type("audio.input.turn_detection.prefix_padding_ms", "integer"),
    _type("audio.input.turn_detection.silence_duration_ms", "integer"),
    _type("audio.output", "object"),
    _rule("audio.output.format.anyOf", f"audio.output.format: {_FORMATS}"),
    _type(
        "audio.output.voice",
        "string",
        "voice: VoiceIdsShared, anyOf [type string, type string enum"
        f" [{', '.join(VOICES)}]]: any string.",
    ),
    _type("audio.output.speed", "number"),
    _rule(
        "tracing.oneOf",
        "tracing: oneOf [type string enum [auto], type object {workflow_name string, group_id"
        " string, metadata object}]; described: Set to null to disable tracing.",
    ),
    *(r for r in OBJECT_RULES if r.id.startswith(_KEPT)),
    _rule(
        "max_output_tokens.oneOf",
        "max_output_tokens: oneOf [type integer, type string enum [inf]].",
    ),
    _rule("max_output_tokens.range", _TOKENS, Level.DOCUMENTED),
)


# Mutations -----------------------------------------------------------------------------


def _bad(*path: str, pins: tuple[JSONValue, ...], nullable: bool = False) -> Mutation:
    return Mutation(path, pins, nullable)


def _chosen(*path: str, pins: tuple[JSONValue, ...], nullable: bool = False) -> Mutation:
    """Return a mutation whose pins alone break the rule: some arrays or objects are valid."""
    return Mutation(path, pins, nullable, arbitrary=False)


_FORMAT_MISSES: tuple[JSONValue, ...] = (
    "pcm16",  # the seed's format, a string
    "audio/pcm",
    {"type": "audio/pcm", "rate": 16000},
    {"type": "audio/pcm", "rate": "24000"},
    {"type": "audio/pcm", "rate": None},
    {"type": "audio/wav"},
    {"type": "audio/PCM"},
    {"type": "pcm16"},
    {"type": ""},
    {"type": 1},
    {"type": None},
    {"type": ["audio/pcm"]},
    [],
    [{"type": "audio/pcm"}],
    None,
    1,
    True,
)
_TRACING_MISSES: tuple[JSONValue, ...] = (
    "Auto",
    "AUTO",
    "",
    "none",
    "auto ",
    1,
    True,
    [],
    ["auto"],
    {"workflow_name": 1},
    {"group_id": None},
    {"metadata": []},
    {"metadata": "x"},
    {"workflow_name": "w", "group_id": "g", "metadata": None},
)
_LANGUAGE_MISSES: tuple[JSONValue, ...] = ("EN", "eng", "en-US", "en_US", "english", "", "xx", "e")


def _moved(rule_id: str, *path: str) -> Mutation:
    """Return the seed's mutation of *rule_id* applied to *path*: the same rule, a new name."""
    return attrs.evolve(MUTATIONS[rule_id], path=path)


_AT = ("audio", "input", "transcription")
_IT = ("audio", "input", "turn_detection")
_OWN: dict[str, Mutation] = {
    "document.type": MUTATIONS["document.type"],
    "id.type": _bad("id", pins=NOT_STRING),
    "object.type": _bad("object", pins=NOT_STRING),
    "object.enum": _bad(
        "object", pins=("realtime.sessions", "Realtime.Session", "session", "", "realtime.session ")
    ),
    "expires_at.type": _bad("expires_at", pins=NOT_INTEGER),
    "include.type": _bad("include", pins=NOT_ARRAY),
    "include.items.enum": _bad(
        "include",
        "items",
        pins=("item.input_audio_transcription", "logprobs", "", 1, None, True, [], {}),
    ),
    "model.type": _bad("model", pins=NOT_STRING),
    "output_modalities.type": _moved("modalities.type", "output_modalities"),
    "output_modalities.items.enum": _moved("modalities.items.enum", "output_modalities", "items"),
    "audio.type": _bad("audio", pins=NOT_OBJECT),
    "audio.input.type": _bad("audio", "input", pins=NOT_OBJECT),
    "audio.input.format.anyOf": _chosen("audio", "input", "format", pins=_FORMAT_MISSES),
    "audio.input.transcription.type": _bad(*_AT, pins=NOT_OBJECT),
    "audio.input.transcription.model.type": _bad(*_AT, "model", pins=NOT_STRING),
    "audio.input.transcription.language.type": _bad(*_AT, "language", pins=NOT_STRING),
    "audio.input.transcription.languages.type": _bad(
        *_AT, "languages", pins=({}, "en", "", 1, True, None, {"0": "en"}, "[]")
    ),
    "audio.input.transcription.languages.items.type": _bad(
        *_AT, "languages", "items", pins=(1, 0, True, None, [], {}, ["en"], 1.5)
    ),
    "audio.input.transcription.languages.items.enum": _bad(
        *_AT, "languages", "items", pins=_LANGUAGE_MISSES
    ),
    "audio.input.transcription.languages.minItems": _chosen(*_AT, "languages", pins=([],)),
    "audio.input.transcription.prompt.type": _bad(*_AT, "prompt", pins=NOT_STRING),
    "audio.input.noise_reduction.type": _bad(
        "audio", "input", "noise_reduction", pins=NOT_OBJECT, nullable=True
    ),
    "audio.input.noise_reduction.type.enum": _bad(
        "audio",
        "input",
        "noise_reduction",
        "type",
        pins=("near", "Near_Field", "near-field", "", "none", 1, None, True, [], {}),
    ),
    "audio.input.turn_detection.type": _bad(*_IT, pins=NOT_OBJECT, nullable=True),
    "audio.input.turn_detection.type.type": _bad(*_IT, "type", pins=NOT_STRING),
    "audio.input.turn_detection.threshold.type": _bad(*_IT, "threshold", pins=NOT_NUMBER),
    "audio.input.turn_detection.prefix_padding_ms.type": _bad(
        *_IT, "prefix_padding_ms", pins=NOT_INTEGER
    ),
    "audio.input.turn_detection.silence_duration_ms.type": _bad(
        *_IT, "silence_duration_ms", pins=NOT_INTEGER
    ),
    "audio.output.type": _bad("audio", "output", pins=NOT_OBJECT),
    "audio.output.format.anyOf": _chosen("audio", "output", "format", pins=_FORMAT_MISSES),
    "audio.output.voice.type": _bad("audio", "output", "voice", pins=NOT_STRING),
    "audio.output.speed.type": _bad("audio", "output", "speed", pins=NOT_NUMBER),
    "tracing.oneOf": _chosen("tracing", pins=_TRACING_MISSES, nullable=True),
    "max_output_tokens.oneOf": _moved("max_response_output_tokens.oneOf", "max_output_tokens"),
    "max_output_tokens.range": _moved("max_response_output_tokens.range", "max_output_tokens"),
}
MUTATIONS_2026: dict[str, Mutation] = {
    **_OWN,
    **{k: m for k, m in MUTATIONS.items() if k.startswith(_KEPT)},
}
"""One mutation for every object rule of this revision."""


# Valid documents -----------------------------------------------------------------------


def _json(value: object) -> object:
    """Return a drawn member as JSON: `ABSENT` stays (the member is left out), `NULL` is null."""
    if value is ABSENT:
        return ABSENT
    return None if value is NULL else CONVERTER.unstructure(value)


_floats = st.floats(allow_nan=False, allow_infinity=False)
_UNNAMED = ("", "Alloy", "nova", "fable", "cedar\x00")
"""Strings no voice of this revision is named, valid all the same."""
FORMAT_PINS: tuple[JSONValue, ...] = (
    {"type": "audio/pcm", "rate": 24000},
    {"type": "audio/pcmu"},
    {"type": "audio/pcma"},
    {"type": "audio/pcm"},
    {},
    {"rate": 24000},
    # `rate` is no member of the PCMU shape, so any value is an unknown member there.
    {"type": "audio/pcmu", "rate": 8000},
    {"type": "audio/pcma", "Type": "audio/wav", "rate": None},
)
"""Audio formats, each valid under the ``anyOf``: every shape, and the edges of matching."""
TRACING_PINS: tuple[JSONValue, ...] = (
    "auto",
    None,
    {},
    {"workflow_name": "w", "group_id": "g", "metadata": {"k": "v", "n": [1, None]}},
    {"metadata": {}, "Workflow_Name": 1},
)

_formats = choice(
    built(
        PcmFormat,
        type=member(None, "audio/pcm"),
        rate=member(None, 24000),
        unknown=unknown_members(PcmFormat),
    ),
    built(PcmuFormat, type=member(None, "audio/pcmu"), unknown=unknown_members(PcmuFormat)),
    built(PcmaFormat, type=member(None, "audio/pcma"), unknown=unknown_members(PcmaFormat)),
)
_transcriptions = built(
    Transcription,
    model=member(any_strings, *TRANSCRIPTION_MODELS, "gpt-5-transcribe"),
    language=member(any_strings, "en", ""),
    languages=member(
        st.lists(st.sampled_from(ISO_639_1), min_size=1, max_size=3).map(tuple),
        ("en",),
        ("en", "fr", "en"),
        ISO_639_1,
    ),
    prompt=member(any_strings, *SPECIAL_STRINGS[:3]),
    unknown=unknown_members(Transcription),
)
_input_turns = built(
    InputTurnDetection,
    type=member(any_strings, "server_vad", "semantic_vad"),
    threshold=member(_floats, 0.5, -0.0, 1.5),
    prefix_padding_ms=member(safe_integers, 300, *INTEGER_PINS),
    silence_duration_ms=member(safe_integers, 500),
    unknown=unknown_members(InputTurnDetection),
)
_inputs = built(
    AudioInput,
    format=member(_formats),
    transcription=member(_transcriptions),
    noise_reduction=member(
        built(
            NoiseReduction,
            type=member(None, "near_field", "far_field"),
            unknown=unknown_members(NoiseReduction),
        ),
        nullable=True,
    ),
    turn_detection=member(_input_turns, nullable=True),
    unknown=unknown_members(AudioInput),
)
_outputs = built(
    AudioOutput,
    format=member(_formats),
    voice=member(any_strings, *VOICES, *_UNNAMED),
    speed=member(_floats, 1.0, 0.25, 1.5, 0.0),
    unknown=unknown_members(AudioOutput),
)
_audios = built(
    Audio,
    input=member(_inputs),
    output=member(_outputs),
    unknown=unknown_members(Audio),
)
_tracings = pooled(
    [TracingConfiguration(), TracingConfiguration("w", "g", {"k": "v"})],
    built(
        TracingConfiguration,
        workflow_name=member(any_strings, "workflow"),
        group_id=member(any_strings, ""),
        metadata=member(st.dictionaries(st.text(max_size=6), json_values, max_size=3), {}),
        unknown=unknown_members(TracingConfiguration),
    ),
)
_INCLUDES: tuple[tuple[Include, ...], ...] = (
    (),
    ("item.input_audio_transcription.logprobs",),
    ("item.input_audio_transcription.logprobs",) * 2,
)
_MODALITIES: tuple[tuple[Modality, ...], ...] = (
    (),
    ("text",),
    ("audio",),
    ("text", "audio"),
    ("audio", "audio", "text"),
)
_TOKEN_VALUES = tuple(MaxResponseOutputTokens(p) for p in ("inf", *TOKEN_PINS))

DRAWS = {
    ("id",): member(any_strings, "sess_001", ""),
    ("object",): member(None, OBJECT_TYPE),
    ("expires_at",): member(safe_integers, *INTEGER_PINS),
    ("include",): member(None, *_INCLUDES),
    ("model",): member(any_strings, "gpt-realtime"),
    ("output_modalities",): member(
        st.lists(st.sampled_from(MODALITIES), max_size=4).map(tuple), *_MODALITIES
    ),
    ("audio",): member(_audios),
    ("tracing",): member(_tracings, "auto", nullable=True),
    ("max_output_tokens",): member(
        st.builds(MaxResponseOutputTokens, st.integers(1, 4096)), *_TOKEN_VALUES
    ),
}
"""The members the seed's revision does not have; the seed's own are drawn as the seed
draws them, and those this revision dropped stay, as unknown members."""

PINS: dict[tuple[str, ...], tuple[JSONValue, ...]] = {
    # The seed's boundary documents name some unknown members `id`, `model`: set them all.
    ("id",): ("sess_001", *SPECIAL_STRINGS),
    ("object",): (OBJECT_TYPE,),
    ("model",): ("gpt-realtime", "", "\U0001f600"),
    ("expires_at",): INTEGER_PINS,
    ("include",): tuple(list(i) for i in _INCLUDES),
    ("output_modalities",): tuple(list(m) for m in _MODALITIES),
    ("audio", "input", "format"): FORMAT_PINS,
    ("audio", "output", "format"): FORMAT_PINS[::-1],
    ("audio", "input", "noise_reduction"): (
        None, {"type": "near_field"}, {"type": "far_field"}, {},
    ),
    ("audio", "input", "turn_detection"): (
        {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300,
         "silence_duration_ms": 500},
        None,
        {"threshold": 1.5},
    ),
    _AT: ({}, {"language": "en", "languages": ["en"], "prompt": ""},
          {"languages": list(ISO_639_1)}),
    (*_AT, "model"): (*TRANSCRIPTION_MODELS, "gpt-5-transcribe", ""),
    ("audio", "output", "voice"): VOICES + _UNNAMED,
    ("audio", "output", "speed"): (1.0, 0.25, 1.5, 0.0, -1.0, 4.0),
    ("tracing",): TRACING_PINS,
    ("max_output_tokens",): ("inf", *TOKEN_PINS),
}  # fmt: skip
"""Every named value and every edge, each in some boundary document."""

DECISIONS = (
    (
        '`object` is `realtime.session` ("Always"): a documented enum. `turn_detection.threshold`'
        " is within [0, 1] and `max_output_tokens` within [1, 4096], as in the seed;"
        " `audio.input.turn_detection` and `audio.output.speed` state no range."
    ),
    (
        "The elements of `audio.input.transcription.languages` are ISO 639-1 codes (its"
        ' description: "in ISO-639-1 format"), the 184 two-letter codes.'
    ),
    (
        "`null` is valid for `tracing` and `turn_detection` by their descriptions, and for"
        " `audio.input.noise_reduction` and `audio.input.turn_detection` because the object's"
        " published example sets both to `null`."
    ),
    (
        "An audio format is valid when one of its three shapes accepts it (`anyOf`); no shape"
        " requires a member, so `{}` is valid, and `rate` is an unknown member of the PCMU and"
        " PCMA shapes. `tracing` is `auto` or an object, never both (`oneOf`). A value no shape"
        " accepts breaks the one rule `<member>.anyOf` or `<member>.oneOf`."
    ),
    (
        "The members of other revisions (`client_secret`, `modalities`, `voice`,"
        " `input_audio_format`, `temperature`...) are unknown members here, valid and kept."
    ),
)
"""How this revision's prose is read, beyond what every revision's page says."""

SPEC = Spec(
    revision="2026-05-13",
    summary="the object restructured: audio.input / audio.output with formats as objects,"
    " output_modalities, tracing, max_output_tokens; client_secret and the audio strings gone",
    document=RealtimeSessionCreateResponse,
    rules=RULES,
    mutations=MUTATIONS_2026,
    minimal={},
    draws={path: as_strategy(slot).map(_json) for path, slot in DRAWS.items()},
    pins=PINS,
    source="openai-openapi 5162af9",
    decisions=DECISIONS,
)
