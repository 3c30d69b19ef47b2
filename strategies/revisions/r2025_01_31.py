"""Revision 2025-01-31: ``client_secret`` required, and ``value`` and ``expires_at`` in it.

openai-openapi 0f23d5f. Three rules more than 2024-12-18, each a member left out.
"""

from __future__ import annotations

import attrs
from hypothesis import strategies as st

from strategies import model
from strategies.codec import unstructure
from strategies.invalid import removed
from strategies.model import ABSENT, JSONValue, revised
from strategies.revisions.r2024_12_18 import SPEC as PREVIOUS
from strategies.rules import SPEC as SOURCE
from strategies.rules import Level, Rule
from strategies.valid import client_secrets

__all__ = ["SPEC", "ClientSecret", "RealtimeSessionCreateResponse"]

ClientSecret = revised(model.ClientSecret, value=(str, True), expires_at=(int, True))
RealtimeSessionCreateResponse = revised(
    model.RealtimeSessionCreateResponse, client_secret=(ClientSecret, True)
)

_EXAMPLE_KEY, _EXAMPLE_EXPIRY = "ek_abc123", 1234567890
"""The key of the object's published example."""
_EXAMPLE: dict[str, JSONValue] = {"value": _EXAMPLE_KEY, "expires_at": _EXAMPLE_EXPIRY}


def _complete(secret: model.ClientSecret) -> dict[str, JSONValue]:
    """Fill what a drawn secret of the seed's revision leaves out with the example's."""
    filled = attrs.evolve(
        secret,
        value=_EXAMPLE_KEY if secret.value is ABSENT else secret.value,
        expires_at=_EXAMPLE_EXPIRY if secret.expires_at is ABSENT else secret.expires_at,
    )
    return unstructure(filled)


SPEC = PREVIOUS.amend(
    "2025-01-31",
    "client_secret required, and value and expires_at required inside it",
    document=RealtimeSessionCreateResponse,
    rules=(
        *PREVIOUS.rules,
        Rule(
            "client_secret.required",
            Level.SCHEMA,
            SOURCE,
            "RealtimeSessionCreateResponse: required [client_secret].",
        ),
        Rule(
            "client_secret.value.required",
            Level.SCHEMA,
            SOURCE,
            "client_secret: required [value, expires_at].",
        ),
        Rule(
            "client_secret.expires_at.required",
            Level.SCHEMA,
            SOURCE,
            "client_secret: required [value, expires_at].",
        ),
    ),
    mutations={
        **PREVIOUS.mutations,
        "client_secret.required": removed("client_secret"),
        "client_secret.value.required": removed("client_secret", "value"),
        "client_secret.expires_at.required": removed("client_secret", "expires_at"),
    },
    minimal={"client_secret": _EXAMPLE},
    draws={("client_secret",): st.builds(_complete, client_secrets)},
    source="openai-openapi 0f23d5f",
)
