"""Invalid documents: a valid document plus exactly one labelled mutation.

Each rule of the schema and documented levels has a mutation: where to put a bad value
and which bad values to use, boundary values first. The label is the rule id, and the
test suite proves on every generated (and shrunk) case that the final document breaks
that rule and no other.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs
from hypothesis import strategies as st

from strategies.cases import Case
from strategies.jsontext import MAX_SAFE_INTEGER, TextStyle, dumps, render
from strategies.model import (
    ABSENT,
    Absent,
    Documented,
    JSONValue,
    RealtimeSessionCreateResponse,
    Temperature,
    Threshold,
    TokenLimit,
)
from strategies.valid import base_documents, documents, text_styles, valid_case
from strategies.values import json_values, put

__all__ = [
    "MUTATIONS",
    "NOT_ARRAY",
    "NOT_INTEGER",
    "NOT_NUMBER",
    "NOT_OBJECT",
    "NOT_STRING",
    "Mutation",
    "Mutations",
    "Revision",
    "boundary_cases",
    "invalid_documents",
    "removed",
]

NOT_STRING: tuple[JSONValue, ...] = (1, 0, True, False, None, [], {}, ["x"], 1.5, -0.0)
NOT_INTEGER: tuple[JSONValue, ...] = (
    1.5,
    -0.5,
    1e-7,
    4096.5,
    "1",
    "",
    "0",
    True,
    False,
    None,
    [],
    {},
    [1],
)
NOT_NUMBER: tuple[JSONValue, ...] = ("0.8", "1", "", "NaN", True, False, None, [], {}, [0.8])
NOT_OBJECT: tuple[JSONValue, ...] = ([], "x", "", 1, 0, True, False, None, [{}], "{}")
NOT_ARRAY: tuple[JSONValue, ...] = ({}, "text", "", 1, True, None, {"0": "text"}, "[]")


@attrs.frozen
class Mutation:
    """How to break one rule: the member path to set, and the bad values to set it to.

    ``items`` in the path stands for one element of an array, created when needed.
    """

    path: tuple[str, ...]
    pins: Sequence[JSONValue | Absent]
    """Bad values to use, boundaries first; each breaks the rule and only it. `ABSENT`
    removes the member (a ``required`` rule)."""
    nullable: bool = False
    arbitrary: bool = True
    """Whether random arrays and objects join the pins where a pin is one; not where some
    arrays or objects are valid (a union of shapes, a shortest array)."""

    def bad_values(self) -> st.SearchStrategy[JSONValue | Absent]:
        """Bad values: the pins, mixed with arbitrary values of the wrong JSON type."""
        pins = [p for p in self.pins if not (self.nullable and p is None)]
        # Random arrays and objects join the pins only where a pin shows that JSON kind is
        # wrong here (built directly: filtering random values would be slow).
        extra: list[st.SearchStrategy[JSONValue | Absent]] = []
        if not self.arbitrary:
            return st.sampled_from(pins)
        if any(isinstance(p, list) for p in pins):
            extra.append(st.lists(json_values, max_size=3))
        if any(isinstance(p, dict) for p in pins):
            extra.append(st.dictionaries(st.text(max_size=6), json_values, max_size=3))
        return st.one_of(st.sampled_from(pins), *extra)


def _type(*path: str, pins: Sequence[JSONValue], nullable: bool = False) -> Mutation:
    return Mutation(path, pins, nullable)


def _outside(kind: object) -> tuple[JSONValue, JSONValue]:
    """Return the numbers just outside the documented bounds of *kind*: the first that break."""
    low, high = Documented.of(kind).bounds
    if typing.get_args(kind)[0] is int:
        return int(low) - 1, int(high) + 1
    return math.nextafter(low, -math.inf), math.nextafter(high, math.inf)


_VOICE_MISSES: tuple[JSONValue, ...] = (
    "Alloy",
    "ALLOY",
    "",
    "nova",
    " alloy",
    "alloy\x00",
    1,
    True,
    None,
    [],
    {},
)
_FORMAT_MISSES: tuple[JSONValue, ...] = (
    "pcm24",
    "PCM16",
    "g711-ulaw",
    "",
    "wav",
    "pcm16 ",
    "g711_ULAW",
)

Mutations = Mapping[str, Mutation]

MUTATIONS: dict[str, Mutation] = {
    "document.type": Mutation((), ([], "x", 1, True, False, None, [{}])),
    "client_secret.type": _type("client_secret", pins=NOT_OBJECT),
    "client_secret.value.type": _type("client_secret", "value", pins=NOT_STRING),
    "client_secret.expires_at.type": _type("client_secret", "expires_at", pins=NOT_INTEGER),
    "modalities.type": _type("modalities", pins=NOT_ARRAY),
    "modalities.items.enum": _type(
        "modalities", "items", pins=("Text", "AUDIO", "", "video", "text ", 1, None, True, [], {})
    ),
    "instructions.type": _type("instructions", pins=NOT_STRING),
    "voice.enum": _type("voice", pins=_VOICE_MISSES),
    "input_audio_format.type": _type("input_audio_format", pins=NOT_STRING),
    "input_audio_format.enum": _type("input_audio_format", pins=_FORMAT_MISSES),
    "output_audio_format.type": _type("output_audio_format", pins=NOT_STRING),
    "output_audio_format.enum": _type("output_audio_format", pins=_FORMAT_MISSES),
    "input_audio_transcription.type": _type(
        "input_audio_transcription", pins=NOT_OBJECT, nullable=True
    ),
    "input_audio_transcription.model.type": _type(
        "input_audio_transcription", "model", pins=NOT_STRING
    ),
    "turn_detection.type": _type("turn_detection", pins=NOT_OBJECT, nullable=True),
    "turn_detection.type.type": _type("turn_detection", "type", pins=NOT_STRING),
    "turn_detection.threshold.type": _type("turn_detection", "threshold", pins=NOT_NUMBER),
    "turn_detection.threshold.range": _type(
        "turn_detection",
        "threshold",
        pins=(*_outside(Threshold), -0.5, 1.5, 2, -1, 100.0, 1e308),
    ),
    "turn_detection.prefix_padding_ms.type": _type(
        "turn_detection", "prefix_padding_ms", pins=NOT_INTEGER
    ),
    "turn_detection.silence_duration_ms.type": _type(
        "turn_detection", "silence_duration_ms", pins=NOT_INTEGER
    ),
    "tools.type": _type("tools", pins=NOT_ARRAY),
    "tools.items.type": _type("tools", "items", pins=NOT_OBJECT),
    "tools.items.type.enum": _type(
        "tools", "items", "type", pins=("Function", "", "functions", "code_interpreter", 1, None)
    ),
    "tools.items.name.type": _type("tools", "items", "name", pins=NOT_STRING),
    "tools.items.description.type": _type("tools", "items", "description", pins=NOT_STRING),
    "tools.items.parameters.type": _type("tools", "items", "parameters", pins=NOT_OBJECT),
    "tool_choice.type": _type("tool_choice", pins=NOT_STRING),
    "temperature.type": _type("temperature", pins=NOT_NUMBER),
    "temperature.range": _type(
        "temperature",
        pins=(*_outside(Temperature), 0, 0.5, 1.3, 2, -0.8, 1e308),
    ),
    "max_response_output_tokens.oneOf": _type(
        "max_response_output_tokens",
        pins=("INF", "Inf", "infinity", "", "4096", "inf ", True, None, 1.5, 4096.5, [], {}),
    ),
    "max_response_output_tokens.range": _type(
        "max_response_output_tokens",
        pins=(*_outside(TokenLimit), -1, -4096, 2**31, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER),
    ),
}
"""One mutation for every rule of the schema and documented levels of the seed's revision."""


def removed(*path: str) -> Mutation:
    """Return the mutation that breaks ``<path>.required``: the member left out."""
    return Mutation(path, (ABSENT,))


def _mutated(
    base: Case, rule_id: str, bad: JSONValue | Absent, slot: int, mutations: Mutations
) -> Case:
    """Return *base* (a valid case) with the bad value *bad* put where *rule_id* says."""
    mutation = mutations[rule_id]
    value = cast("JSONValue", put(base.expected, mutation.path, bad, slot))
    where = "/".join(mutation.path) or "the document"
    change = "left out" if bad is ABSENT else f"set to {dumps(bad)[:200]}"
    return Case(
        "invalid",
        render(value, base.style or TextStyle()),
        rule_id,
        expected=value,
        model=base.model,
        mutation=f"{where} {change}",
        style=base.style,
        base=base,
    )


@attrs.frozen
class Revision:
    """What the invalid cases of one revision of the object are made from."""

    mutations: Mutations
    documents: st.SearchStrategy[Any]
    """Valid model instances of the revision, to break."""
    minimal: Any
    """The smallest valid model instance: the base when no accepted one is known."""


_SEED = Revision(MUTATIONS, documents, RealtimeSessionCreateResponse())


@st.composite
def _invalid_case(
    draw: st.DrawFn, rule_ids: Sequence[str], accepted: Sequence[object], revision: Revision
) -> Case:
    rule_id = draw(st.sampled_from(rule_ids))
    base = draw(base_documents(accepted, revision.documents))
    bad = draw(revision.mutations[rule_id].bad_values())
    slot = draw(st.integers(0, 3))
    return _mutated(valid_case(base, draw(text_styles)), rule_id, bad, slot, revision.mutations)


def boundary_cases(
    rule_id: str, accepted: Sequence[object] = (), revision: Revision = _SEED
) -> list[Case]:
    """Return one case per pinned bad value of *rule_id*, on one base document.

    These are the boundaries a certification sends first, whatever Hypothesis draws after.
    The base is the shortest of the *accepted* documents (those the testee is known to
    accept), else the revision's smallest valid document.
    """
    bases = [valid_case(d) for d in accepted] or [valid_case(revision.minimal)]
    base = min(bases, key=lambda case: len(case.text))
    mutation = revision.mutations[rule_id]
    return [
        _mutated(base, rule_id, bad, 0, revision.mutations)
        for bad in mutation.pins
        if not (mutation.nullable and bad is None)
    ]


def invalid_documents(
    rules: Sequence[str] | None = None,
    accepted: Sequence[object] = (),
    revision: Revision = _SEED,
) -> st.SearchStrategy[Case]:
    """Invalid cases, each breaking exactly one rule; *rules* narrows which (default: all).

    Each case carries its valid base; half the bases come from *accepted*, documents the
    testee is known to accept (see `valid.base_documents`). *revision* gives the
    mutations and the documents (default: the seed's revision).
    """
    chosen = list(rules) if rules is not None else list(revision.mutations)
    if unknown := sorted(set(chosen) - set(revision.mutations)):
        raise ValueError(f"no mutation breaks {', '.join(unknown)}: not an object rule")
    return _invalid_case(chosen, tuple(accepted), revision)
