"""Revision 2024-12-18, the seed's: twelve members, nothing required, ``voice`` a closed enum.

openai-openapi 25be478 (the same schema at b9dc152). The models are `strategies.model`,
the rulebook `strategies.rules`, the mutations `strategies.invalid.MUTATIONS`: the
revision every other one is stated as a change of.
"""

from __future__ import annotations

from strategies.invalid import MUTATIONS
from strategies.model import RealtimeSessionCreateResponse
from strategies.rules import OBJECT_RULES
from strategies.spec import Spec

__all__ = ["SPEC"]

SPEC = Spec(
    revision="2024-12-18",
    summary="the seed: twelve members, nothing required, voice a closed enum of 8 voices",
    document=RealtimeSessionCreateResponse,
    rules=OBJECT_RULES,
    mutations=MUTATIONS,
    source="openai-openapi 25be478",
)
