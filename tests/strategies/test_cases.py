"""Properties of the four case strategies, checked against the reference."""

import math

from hypothesis import given
from hypothesis import strategies as st

from strategies import (
    implementation_defined_documents,
    invalid_documents,
    malformed_documents,
    valid_documents,
)
from strategies.codec import decode, is_integer_member, unstructure, violations
from strategies.errors import DocumentError, MalformedDocument
from strategies.jsontext import MAX_DEPTH, TextStyle, depth, difference, parse, render, spell_number


@given(valid_documents())
def test_every_valid_case_is_accepted_and_round_trips_to_expected(case):
    assert case.rule is None
    assert difference(case.expected, parse(case.text)) is None
    output = unstructure(decode(case.text))
    assert difference(case.expected, output, is_integer_member=is_integer_member) is None
    assert depth(case.text)[0] <= MAX_DEPTH


@given(invalid_documents())
def test_every_invalid_case_breaks_exactly_its_labelled_rule(case):
    assert [v.rule for v in violations(parse(case.text))] == [case.rule]


@given(malformed_documents())
def test_every_malformed_case_is_not_json(case):
    try:
        parse(case.text)
    except MalformedDocument:
        return
    raise AssertionError(f"{case.rule} parsed as JSON: {case.text[:200]!r}")


@given(implementation_defined_documents())
def test_implementation_defined_cases_are_json_the_reference_refuses(case):
    try:
        decode(case.text)
    except MalformedDocument as error:
        raise AssertionError(f"{case.rule} is not JSON: {error}") from None
    except DocumentError:
        return
    raise AssertionError(f"the reference accepted {case.rule}: {case.text[:200]!r}")


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(0, 4))
def test_every_number_spelling_parses_to_the_same_binary64_value(value, variant):
    spelled = spell_number(value, variant)
    assert float(spelled) == value
    assert math.copysign(1, float(spelled)) == math.copysign(1, value)


@given(valid_documents(), st.integers(0, 2**32))
def test_any_text_style_spells_the_same_value(case, seed):
    style = TextStyle(" \t\n\r", 3, 0.5, vary_numbers=True, order="shuffled", seed=seed)
    assert difference(case.expected, parse(render(case.expected, style))) is None
    assert render(case.expected, style) == render(case.expected, style)
