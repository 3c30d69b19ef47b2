"""The rulebook: every rule a document can break, with a stable id and its source.

Test ids, expectation files and reports key on these ids, so an id never changes
meaning once published. An object rule's id is the member path (``items`` stands for
any element of an array) followed by the JSON Schema keyword it rests on (``type``,
``enum``, ``oneOf``) or ``range`` for a bound stated only in a description.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import attrs

__all__ = ["OBJECT_RULES", "RULES", "SPEC", "TEXT_RULES", "Level", "Rule", "rule", "rules_at"]

SPEC = "OpenAPI 2.3.0, RealtimeSessionCreateResponse"
RFC8259 = "RFC 8259 (JSON)"
RFC7493 = "RFC 7493 (I-JSON)"


class Level(enum.StrEnum):
    """How firmly a rule is stated, which decides who must enforce it."""

    SCHEMA = "schema"
    """Stated by the published schema: types, enums, oneOf, shapes."""
    DOCUMENTED = "documented"
    """Stated only in a description: ranges, the audio formats."""
    MALFORMED = "malformed"
    """Not one JSON text: every implementation must reject it."""
    IMPLEMENTATION_DEFINED = "implementation-defined"
    """Any answer is allowed, but no crash and no hang."""


@attrs.frozen
class Rule:
    """One rule of the rulebook."""

    id: str
    level: Level
    source: str
    """Where the rule comes from."""
    sentence: str
    """The sentence of the source that the rule rests on."""


def _type(member: str, json_type: str, sentence: str) -> Rule:
    return Rule(f"{member}.type", Level.SCHEMA, SPEC, sentence or f"`{member}`: type {json_type}")


_VOICES = "alloy, ash, ballad, coral, echo, sage, shimmer, verse"
_FORMATS = "Options are `pcm16`, `g711_ulaw`, or `g711_alaw`."

OBJECT_RULES: tuple[Rule, ...] = (
    Rule(
        "document.type",
        Level.SCHEMA,
        SPEC,
        "RealtimeSessionCreateResponse: type object.",
    ),
    _type(
        "client_secret", "object", "client_secret: type object. Ephemeral key returned by the API."
    ),
    _type("client_secret.value", "string", ""),
    _type(
        "client_secret.expires_at",
        "integer",
        "expires_at: type integer. Timestamp for when the token expires.",
    ),
    Rule(
        "modalities.type",
        Level.SCHEMA,
        SPEC,
        "modalities: items of type string (the schema gives `items` but omits `type: array`;"
        " the rulebook takes it as an array).",
    ),
    Rule(
        "modalities.items.enum",
        Level.SCHEMA,
        SPEC,
        "modalities items: type string, enum [text, audio].",
    ),
    _type("instructions", "string", ""),
    Rule("voice.enum", Level.SCHEMA, SPEC, f"voice: type string, enum [{_VOICES}]."),
    _type("input_audio_format", "string", ""),
    Rule(
        "input_audio_format.enum",
        Level.DOCUMENTED,
        SPEC,
        f"The format of input audio. {_FORMATS}",
    ),
    _type("output_audio_format", "string", ""),
    Rule(
        "output_audio_format.enum",
        Level.DOCUMENTED,
        SPEC,
        f"The format of output audio. {_FORMATS}",
    ),
    _type(
        "input_audio_transcription",
        "object",
        "input_audio_transcription: type object; described: can be set to `null` to turn off"
        " once on.",
    ),
    _type("input_audio_transcription.model", "string", ""),
    _type(
        "turn_detection",
        "object",
        "turn_detection: type object; described: Can be set to `null` to turn off.",
    ),
    _type("turn_detection.type", "string", ""),
    _type("turn_detection.threshold", "number", ""),
    Rule(
        "turn_detection.threshold.range",
        Level.DOCUMENTED,
        SPEC,
        "Activation threshold for VAD (0.0 to 1.0), this defaults to 0.5.",
    ),
    _type("turn_detection.prefix_padding_ms", "integer", ""),
    _type("turn_detection.silence_duration_ms", "integer", ""),
    _type("tools", "array", "tools: type array. Tools (functions) available to the model."),
    _type("tools.items", "object", "tools items: type object."),
    Rule("tools.items.type.enum", Level.SCHEMA, SPEC, "tool type: type string, enum [function]."),
    _type("tools.items.name", "string", ""),
    _type("tools.items.description", "string", ""),
    _type(
        "tools.items.parameters",
        "object",
        "parameters: type object. Parameters of the function in JSON Schema.",
    ),
    _type(
        "tool_choice",
        "string",
        "tool_choice: type string. Options are `auto`, `none`, `required`, or specify a function.",
    ),
    _type("temperature", "number", ""),
    Rule(
        "temperature.range",
        Level.DOCUMENTED,
        SPEC,
        "Sampling temperature for the model, limited to [0.6, 1.2]. Defaults to 0.8.",
    ),
    Rule(
        "max_response_output_tokens.oneOf",
        Level.SCHEMA,
        SPEC,
        "max_response_output_tokens: oneOf [type integer, type string enum [inf]].",
    ),
    Rule(
        "max_response_output_tokens.range",
        Level.DOCUMENTED,
        SPEC,
        "Provide an integer between 1 and 4096 to limit output tokens, or `inf` for the maximum"
        " available tokens for a given model.",
    ),
)


def _malformed(name: str, sentence: str) -> Rule:
    return Rule(f"malformed.{name}", Level.MALFORMED, RFC8259, sentence)


def _impl(name: str, source: str, sentence: str) -> Rule:
    return Rule(f"implementation-defined.{name}", Level.IMPLEMENTATION_DEFINED, source, sentence)


TEXT_RULES: tuple[Rule, ...] = (
    _malformed("empty", "JSON-text = ws value ws (a text holds exactly one value)."),
    _malformed("truncated", "A JSON text is a serialized value: every structure is closed."),
    _malformed("trailing-comma", "Values and members are separated by commas, not ended by them."),
    _malformed("comment", "The grammar has no comments."),
    _malformed("single-quote", "A string begins and ends with quotation marks (U+0022)."),
    _malformed("unquoted-name", "member = string name-separator value."),
    _malformed(
        "non-finite", "Numeric values that cannot be represented (Infinity, NaN) are not permitted."
    ),
    _malformed("number-syntax", "Leading zeros and a leading plus sign are not allowed."),
    _malformed(
        "control-character",
        "All code points may be placed within the quotation marks except those that must be"
        " escaped: quotation mark, reverse solidus, and the control characters U+0000 through"
        " U+001F.",
    ),
    _malformed("invalid-escape", "Only the escapes of section 7 are defined."),
    _malformed("trailing-garbage", "JSON-text = ws value ws: nothing may follow the value."),
    _malformed("bad-literal", "The literal names MUST be lowercase: true, false, null."),
    _malformed(
        "missing-separator", "Members are separated by commas and names from values by colons."
    ),
    _impl("duplicate-name", RFC8259, "The names within an object SHOULD be unique."),
    _impl(
        "lone-surrogate",
        RFC7493,
        "I-JSON messages MUST NOT include ... code points that identify Surrogates.",
    ),
    _impl(
        "integer-spelling",
        RFC8259,
        "An integer member spelled with a fraction or exponent (1.0, 1e3) is a number whose"
        " type as an integer is left to the parser.",
    ),
    _impl(
        "integer-precision",
        RFC7493,
        "I-JSON senders SHOULD NOT expect a receiver to treat an integer whose absolute value"
        " is greater than 9007199254740991 as an exact value.",
    ),
    _impl(
        "number-range",
        RFC8259,
        "This specification allows implementations to set limits on the range and precision"
        " of numbers accepted.",
    ),
    _impl(
        "byte-order-mark",
        RFC8259,
        "Implementations MUST NOT add a byte order mark ... but MAY ignore the presence of a"
        " byte order mark rather than treating it as an error.",
    ),
    _impl(
        "nesting-depth",
        RFC8259,
        "An implementation may set limits on the maximum depth of nesting (this rulebook:"
        " deeper than 64).",
    ),
)

RULES: dict[str, Rule] = {r.id: r for r in (*OBJECT_RULES, *TEXT_RULES)}
"""Every rule of the seed's revision (2024-12-18), by id, in catalogue order; the rules of
each revision are `strategies.spec.Spec.rulebook`."""


def rule(rule_id: str) -> Rule:
    """Return the rule with this id, or raise `KeyError` naming it."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"no rule has the id {rule_id!r}") from None


def rules_at(*levels: Level) -> Iterator[Rule]:
    """Yield the rules of the given levels, in catalogue order."""
    return (r for r in RULES.values() if r.level in levels)
