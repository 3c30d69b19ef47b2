"""Revision 2025-03-22: ``voice`` becomes ``VoiceIdsShared``, any string, eleven named.

openai-openapi 1ff8b64. Rule ``voice.enum`` gives way to ``voice.type``; the named voices
are pinned in valid documents, and any other string is valid too.
"""

from __future__ import annotations

from typing import Annotated

from hypothesis import strategies as st

from strategies.invalid import NOT_STRING, Mutation
from strategies.model import ABSENT, Named, revised
from strategies.revisions.r2025_01_31 import SPEC as PREVIOUS
from strategies.rules import SPEC as SOURCE
from strategies.rules import Level, Rule
from strategies.values import choice, strings

__all__ = ["SPEC", "VOICES", "RealtimeSessionCreateResponse"]

VOICES = (
    "alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse",
)  # fmt: skip
"""The named voices of ``VoiceIdsShared``."""
_UNNAMED = ("", "Alloy", "marin", "cedar", "alloy\x00")
"""Strings no voice is named, valid all the same."""

RealtimeSessionCreateResponse = revised(
    PREVIOUS.document, voice=(Annotated[str, Named(VOICES)], False)
)

SPEC = PREVIOUS.amend(
    "2025-03-22",
    "voice any string (VoiceIdsShared), eleven named voices",
    document=RealtimeSessionCreateResponse,
    rules=(
        *(r for r in PREVIOUS.rules if r.id != "voice.enum"),
        Rule(
            "voice.type",
            Level.SCHEMA,
            SOURCE,
            "voice: VoiceIdsShared, anyOf [type string, type string enum"
            f" [{', '.join(VOICES)}]]: any string.",
        ),
    ),
    mutations={
        **{k: m for k, m in PREVIOUS.mutations.items() if k != "voice.enum"},
        "voice.type": Mutation(("voice",), NOT_STRING),
    },
    draws={
        **PREVIOUS.draws,
        ("voice",): choice(st.just(ABSENT), st.sampled_from(VOICES + _UNNAMED), strings),
    },
    pins={("voice",): VOICES + _UNNAMED},
    source="openai-openapi 1ff8b64",
)
