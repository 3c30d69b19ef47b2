"""attrs models of RealtimeSessionCreateResponse: the single source of its shape.

The codec, the exported JSON Schema and the OpenAPI transcription are all derived from
these classes, so the shape is written down once. A member can be absent, null (where the
rulebook allows it) or present; `ABSENT` and `NULL` keep the three apart, because SDKs
that fold them into one ``None`` are a bug this suite exists to find.
"""

from __future__ import annotations

import enum
import typing
from typing import Annotated, Literal, TypeAlias

import attrs

__all__ = [
    "ABSENT",
    "AUDIO_FORMATS",
    "MODALITIES",
    "NULL",
    "TOOL_TYPES",
    "VOICES",
    "Absent",
    "AudioFormat",
    "ClientSecret",
    "Documented",
    "InputAudioTranscription",
    "JSONValue",
    "MaxResponseOutputTokens",
    "MinItems",
    "Named",
    "Null",
    "RealtimeSessionCreateResponse",
    "Temperature",
    "Threshold",
    "TokenLimit",
    "Tool",
    "TurnDetection",
    "Variants",
    "revised",
]

JSONValue: TypeAlias = "dict[str, JSONValue] | list[JSONValue] | str | int | float | bool | None"


class Absent(enum.Enum):
    """The member is not in the document."""

    ABSENT = "absent"

    def __repr__(self) -> str:
        return "ABSENT"


class Null(enum.Enum):
    """The member is in the document with the value ``null``."""

    NULL = "null"

    def __repr__(self) -> str:
        return "NULL"


ABSENT = Absent.ABSENT
NULL = Null.NULL


@attrs.frozen
class Documented:
    """A constraint stated only in a description, attached with `typing.Annotated`.

    ``enum`` restricts a string, ``minimum``/``maximum`` bound a number inclusively.
    """

    minimum: float | None = None
    maximum: float | None = None
    enum: tuple[str, ...] = ()

    @staticmethod
    def of(kind: object) -> Documented:
        """Return the constraint attached to the annotated type *kind*."""
        return next(m for m in typing.get_args(kind)[1:] if isinstance(m, Documented))

    @property
    def bounds(self) -> tuple[float, float]:
        """Return the inclusive (minimum, maximum) of a bounded number."""
        if self.minimum is None or self.maximum is None:
            raise ValueError("not a bounded number")
        return self.minimum, self.maximum


@attrs.frozen
class Named:
    """Values an open string names (``anyOf: [string, enum]``), with `typing.Annotated`.

    Generators pin them; no rule enforces them.
    """

    values: tuple[str, ...]


@attrs.frozen
class Variants:
    """A union of shapes the schema states as ``oneOf`` or ``anyOf``, with `typing.Annotated`.

    ``Annotated[A | B, Variants("anyOf")]``: the value is valid when one of the variants
    (a model class, a ``Literal``, a scalar) accepts it, and for ``oneOf`` when exactly one
    does. A value no variant accepts breaks one rule, ``<member path>.<keyword>``: which
    variant it almost was is a guess, so no rule of a variant's members is reported.
    """

    keyword: Literal["oneOf", "anyOf"]


@attrs.frozen
class MinItems:
    """The least number of elements of an array (``minItems``), with `typing.Annotated`."""

    count: int


def revised(cls: type, **changes: tuple[object, bool]) -> type:
    """Return a frozen copy of the model class *cls* with some members changed.

    *changes* maps a member name to its new (annotation, required): a revision of the
    object states only what it changes, and the copy keeps every other member, in order.
    Every member is keyword-only, so that a required one may follow optional ones.
    """
    hints = typing.get_type_hints(cls, include_extras=True)
    fields: dict[str, object] = {}
    for field in attrs.fields(cls):
        kind, required = changes.pop(field.name, (hints[field.name], False))
        if required:
            fields[field.name] = attrs.field(type=kind, kw_only=True)
        elif field.name == "unknown":
            fields[field.name] = attrs.field(type=kind, factory=dict, kw_only=True)
        else:
            fields[field.name] = attrs.field(type=kind, default=field.default, kw_only=True)
    if changes:
        raise TypeError(f"{cls.__name__} has no member {', '.join(sorted(changes))}")
    copy = attrs.make_class(cls.__name__, fields, frozen=True)
    copy.__doc__ = cls.__doc__
    copy.__module__ = cls.__module__
    return copy


Voice = Literal["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse"]
Modality = Literal["text", "audio"]
ToolType = Literal["function"]

VOICES: tuple[Voice, ...] = typing.get_args(Voice)
MODALITIES: tuple[Modality, ...] = typing.get_args(Modality)
TOOL_TYPES: tuple[ToolType, ...] = typing.get_args(ToolType)
AUDIO_FORMATS = ("pcm16", "g711_ulaw", "g711_alaw")
AudioFormat = Annotated[str, Documented(enum=AUDIO_FORMATS)]
Temperature = Annotated[float, Documented(minimum=0.6, maximum=1.2)]
Threshold = Annotated[float, Documented(minimum=0.0, maximum=1.0)]
TokenLimit = Annotated[int, Documented(minimum=1, maximum=4096)]
Parameters = dict[str, "JSONValue"]


@attrs.frozen
class ClientSecret:
    """The ephemeral key."""

    value: str | Absent = ABSENT
    expires_at: int | Absent = ABSENT
    unknown: dict[str, JSONValue] = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class InputAudioTranscription:
    """Transcription settings; ``null`` turns transcription off."""

    model: str | Absent = ABSENT
    unknown: dict[str, JSONValue] = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class TurnDetection:
    """Voice activity detection settings; ``null`` turns it off."""

    type: str | Absent = ABSENT
    threshold: Threshold | Absent = ABSENT
    prefix_padding_ms: int | Absent = ABSENT
    silence_duration_ms: int | Absent = ABSENT
    unknown: dict[str, JSONValue] = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class Tool:
    """A function the model may call; ``parameters`` is any JSON object."""

    type: ToolType | Absent = ABSENT
    name: str | Absent = ABSENT
    description: str | Absent = ABSENT
    parameters: Parameters | Absent = ABSENT
    unknown: dict[str, JSONValue] = attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class MaxResponseOutputTokens:
    """The oneOf of an integer limit and the string ``"inf"``."""

    value: TokenLimit | Literal["inf"]


@attrs.frozen
class RealtimeSessionCreateResponse:
    """The response of ``POST /v1/realtime/sessions``.

    Attribute names are the wire names; members the model does not know are kept in
    `unknown`, whose name can never clash with a wire name because it is not one of the
    known members of the object (a document member called ``unknown`` lands in it).
    """

    client_secret: ClientSecret | Absent = ABSENT
    modalities: tuple[Modality, ...] | Absent = ABSENT
    instructions: str | Absent = ABSENT
    voice: Voice | Absent = ABSENT
    input_audio_format: AudioFormat | Absent = ABSENT
    output_audio_format: AudioFormat | Absent = ABSENT
    input_audio_transcription: InputAudioTranscription | Null | Absent = ABSENT
    turn_detection: TurnDetection | Null | Absent = ABSENT
    tools: tuple[Tool, ...] | Absent = ABSENT
    tool_choice: str | Absent = ABSENT
    temperature: Temperature | Absent = ABSENT
    max_response_output_tokens: MaxResponseOutputTokens | Absent = ABSENT
    unknown: dict[str, JSONValue] = attrs.field(factory=dict, kw_only=True)
