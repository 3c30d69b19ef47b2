"""Cross-check the exported JSON Schema against the reference, from the schema's side.

The strategies check the schema with documents they make; here an independent generator,
hypothesis-jsonschema, makes documents from the schema alone, and the reference must take
every one of them. Together the two directions show that schema and reference agree.

hypothesis-jsonschema 0.23.1 needs Hypothesis <= 6.170.9, so this module runs only in the
crosscheck environment (``-m crosscheck``); test_hypothesis_jsonschema_pin.py tells when
that pin can go.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, reject

from strategies.codec import decode, is_integer_member, structure, unstructure
from strategies.errors import ImplementationDefinedInput
from strategies.jsontext import MAX_SAFE_INTEGER, difference, dumps, parse
from strategies.schema import json_schema

pytestmark = pytest.mark.crosscheck

hypothesis_jsonschema = pytest.importorskip(
    "hypothesis_jsonschema", reason="the crosscheck needs hypothesis-jsonschema"
)


def _safe_integers(schema: Any) -> Any:
    """Return a copy of *schema* whose integers stay within ±(2^53-1).

    The exported schema is exact only inside the portable subset, and JSON Schema cannot
    say "no integer beyond 2^53-1"; left alone, hypothesis-jsonschema draws such integers
    for known members and the text path would have to throw those documents away.
    Existing (tighter) bounds are kept.
    """
    if isinstance(schema, list):
        return [_safe_integers(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    bounded = {key: _safe_integers(value) for key, value in schema.items()}
    if bounded.get("type") == "integer":
        bounded["minimum"] = max(bounded.get("minimum", -MAX_SAFE_INTEGER), -MAX_SAFE_INTEGER)
        bounded["maximum"] = min(bounded.get("maximum", MAX_SAFE_INTEGER), MAX_SAFE_INTEGER)
    return bounded


SCHEMA_DOCUMENTS = hypothesis_jsonschema.from_schema(_safe_integers(copy.deepcopy(json_schema())))


@given(SCHEMA_DOCUMENTS)
def test_reference_accepts_every_document_of_the_schema_and_round_trips_it(value) -> None:
    document = structure(value)
    # Compared as I-JSON values: a temperature drawn as 1 comes back as 1.0, which is the
    # same number, while integer members must come back exactly.
    assert difference(value, unstructure(document), is_integer_member=is_integer_member) is None


@given(SCHEMA_DOCUMENTS)
def test_reference_decodes_the_text_of_every_portable_document_of_the_schema(value) -> None:
    """The text path (what the reference testee runs) agrees with structuring the value."""
    text = dumps(value)
    try:
        parse(text)
    except ImplementationDefinedInput:
        # Members the schema leaves open (unknown members, parameters) may hold integers
        # beyond 2^53-1, which the reference refuses as implementation-defined: outside the
        # portable subset the schema speaks for, and not expressible in it, so skipped.
        reject()
    assert decode(text) == structure(value)
