"""Every revision of the object is stated once: the codec, rulebook, mutations and generators agree.

A member or a rule added in one place and forgotten in another fails here: the rule ids
the codec reports on the mutations' own cases, the rulebook, the mutations and the members
the generators draw are reconciled for every revision.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from strategies import revisions
from strategies.codec import unstructure
from strategies.jsontext import parse
from strategies.model import Documented, JSONValue, MaxResponseOutputTokens, Named
from strategies.revisions import DEFAULT, SPECS, spec
from strategies.rules import OBJECT_RULES, Level
from strategies.spec import Spec
from strategies.valid import OTHER_REVISIONS

REVISIONS = list(SPECS)


def _is_union(spec: Spec, path: tuple[str, ...]) -> bool:
    """Tell whether the member at *path* is a union of shapes, whose members have no rules."""
    return any(f"{'.'.join(path)}.{k}" in spec.codec.rule_ids for k in ("oneOf", "anyOf"))


def _drawn_members(
    spec: Spec, value: JSONValue, path: tuple[str, ...] = ()
) -> set[tuple[str, ...]]:
    """Return the known member paths present in *value* (``items`` for array elements)."""
    found: set[tuple[str, ...]] = set()
    if path and _is_union(spec, path):
        return found
    if isinstance(value, list):
        for item in value:
            found.add((*path, "items"))
            found |= _drawn_members(spec, item, (*path, "items"))
    elif isinstance(value, dict):
        names = spec.codec.known.get(tuple(p for p in path if p != "items"))
        for name, member in value.items():
            if names is not None and name in names:
                found.add((*path, name))
                found |= _drawn_members(spec, member, (*path, name))
    return found


@pytest.mark.parametrize("revision", REVISIONS)
def test_the_rulebook_the_mutations_and_the_codec_name_the_same_rules(revision: str) -> None:
    spec = SPECS[revision]
    object_rules = [r.id for r in spec.rules_at(Level.SCHEMA, Level.DOCUMENTED)]
    assert object_rules == list(spec.codec.rule_ids)
    assert sorted(spec.mutations) == sorted(object_rules)
    emitted: set[str] = set()
    for rule_id in object_rules:
        cases = spec.invalid_boundaries(rule_id)
        assert cases, f"{rule_id} has no pinned bad value"
        for case in cases:
            broken = {v.rule for v in spec.codec.violations(case.expected)}
            assert broken == {rule_id}, case.mutation
            emitted |= broken
    assert emitted == set(object_rules)


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_mutation_spares_null_exactly_where_the_model_allows_it(revision: str) -> None:
    spec = SPECS[revision]
    nullable = {rule_id for rule_id, m in spec.mutations.items() if m.nullable}
    assert {m.path for m in spec.mutations.values() if m.nullable} == spec.codec.nullable
    assert all(rule_id.endswith((".type", ".oneOf", ".anyOf")) for rule_id in nullable)


@pytest.mark.parametrize("revision", REVISIONS)
def test_the_generators_draw_every_member_the_model_has(revision: str) -> None:
    spec = SPECS[revision]
    drawn: set[tuple[str, ...]] = set()
    for document in spec.boundary_documents:
        drawn |= _drawn_members(spec, unstructure(document))

    @settings(max_examples=300, database=None, suppress_health_check=list(HealthCheck))
    @given(spec.valid_documents())
    def draw(case: Any) -> None:
        assert spec.codec.violations(case.expected) == []
        drawn.update(_drawn_members(spec, parse(case.text)))

    draw()
    assert drawn == spec.member_paths


def _named(cls: type, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Yield (path, values) for every string member of *cls* that names or enumerates values."""
    for field in attrs.fields(attrs.resolve_types(cls)):
        union = typing.get_origin(field.type) not in (typing.Annotated, tuple, typing.Literal)
        for kind in (typing.get_args(field.type) if union else ()) or (field.type,):
            if (
                typing.get_origin(kind) is typing.Annotated
                and typing.get_origin(typing.get_args(kind)[0]) is tuple
            ):  # an array with a length: look through it
                kind = typing.get_args(kind)[0]  # noqa: PLW2901
            if typing.get_origin(kind) is tuple:  # an array: its elements are at the same path
                kind = typing.get_args(kind)[0]  # noqa: PLW2901 - look through the array
            metadata = getattr(kind, "__metadata__", ())
            named = [m.values for m in metadata if isinstance(m, Named)]
            named += [m.enum for m in metadata if isinstance(m, Documented) and m.enum]
            if named:
                yield (*path, field.name), named[0]
            elif typing.get_origin(kind) is typing.Literal:
                yield (*path, field.name), typing.get_args(kind)
            elif isinstance(kind, type) and attrs.has(kind) and kind is not MaxResponseOutputTokens:
                yield from _named(kind, (*path, field.name))


def _at(value: Any, path: tuple[str, ...]) -> list[Any]:
    """Return the values at *path* in *value*, looking through arrays."""
    if isinstance(value, list):
        return [found for item in value for found in _at(item, path)]
    if not path:
        return [value]
    return _at(value[path[0]], path[1:]) if isinstance(value, dict) and path[0] in value else []


@pytest.mark.parametrize("revision", REVISIONS)
def test_every_named_or_enumerated_value_is_in_a_boundary_document(revision: str) -> None:
    spec = SPECS[revision]
    documents = [spec.codec.unstructure(d) for d in spec.boundary_documents]
    named = dict(_named(spec.document))
    assert ("voice",) in named or ("audio", "output", "voice") in named
    for path, expected in named.items():
        found = {repr(v) for d in documents for v in _at(d, path)}
        assert {repr(v) for v in expected} <= found, path


def test_a_revision_whose_rulebook_misses_a_member_of_its_model_cannot_be_made() -> None:
    seed = SPECS[DEFAULT]
    with pytest.raises(ValueError, match=r"temperature\.range"):
        seed.amend("x", "x", rules=tuple(r for r in OBJECT_RULES if r.id != "temperature.range"))
    mutations = {k: m for k, m in seed.mutations.items() if k != "voice.enum"}
    with pytest.raises(ValueError, match=r"voice\.enum"):
        seed.amend("x", "x", mutations=mutations)


def test_the_revisions_differ_by_what_their_summaries_say() -> None:
    first, second, third = (SPECS[r] for r in ("2024-12-18", "2025-01-31", "2025-03-22"))
    assert set(second.rulebook) - set(first.rulebook) == {
        "client_secret.required",
        "client_secret.value.required",
        "client_secret.expires_at.required",
    }
    assert set(first.rulebook) - set(second.rulebook) == set()
    assert set(third.rulebook) ^ set(second.rulebook) == {"voice.enum", "voice.type"}
    assert first.codec.violations({}) == []
    assert [v.rule for v in second.codec.violations({})] == ["client_secret.required"]
    secret = {"value": "ek", "expires_at": 1}
    assert second.codec.violations({"client_secret": secret, "voice": "fable"})
    assert third.codec.violations({"client_secret": secret, "voice": "any voice at all"}) == []


def test_an_unknown_revision_is_one_sentence() -> None:
    with pytest.raises(ValueError, match=r"no revision of the object is dated '2023-01-01'"):
        spec("2023-01-01")


DROPPED = {"client_secret", "modalities", "voice", "input_audio_format", "temperature"}
"""Members of the seed's revision that 2026-05-13 no longer has."""


@pytest.mark.parametrize("revision", REVISIONS)
def test_members_of_other_revisions_are_unknown_members_of_a_valid_boundary_document(revision):
    spec = SPECS[revision]
    others = {k for k in OTHER_REVISIONS if k not in spec.codec.known[()]}
    assert {"speed", "tracing", "audio"} <= others or {"speed", *DROPPED} <= others
    carriers = [d for d in spec.boundary_documents if others <= set(d.unknown)]
    assert carriers, f"no boundary document of {revision} carries {sorted(others)}"
    value = unstructure(carriers[0])
    assert spec.codec.violations(value) == []
    assert {k: value[k] for k in others} == {k: OTHER_REVISIONS[k] for k in others}
    dropped = spec.codec.drop_unknown(value)
    assert isinstance(dropped, dict)
    assert others.isdisjoint(dropped)


def test_each_revision_is_found_from_its_own_module_named_by_its_date():
    package = Path(revisions.__file__).parent
    modules = sorted(p.stem for p in package.glob("r*.py"))
    assert modules == ["r" + r.replace("-", "_") for r in SPECS]
    assert next(iter(SPECS)) == DEFAULT


def test_2026_05_13_is_the_restructured_object_whose_old_members_are_unknown():
    old, new = SPECS["2025-03-22"], SPECS["2026-05-13"]
    assert new.codec.violations({}) == []
    assert DROPPED.isdisjoint(new.codec.known[()])
    assert {"audio", "tracing", "output_modalities", "max_output_tokens"} <= new.codec.known[()]
    # The seed's whole example is a valid 2026-05-13 document: its members are unknown there.
    secret = {"value": "ek", "expires_at": 1}
    seed_document = {"client_secret": secret, "voice": "alloy", "input_audio_format": "pcm16"}
    assert old.codec.violations(seed_document) == []
    assert new.codec.violations(seed_document) == []
    assert new.codec.drop_unknown(seed_document) == {}
    assert [v.rule for v in new.codec.violations({"object": "realtime.sessions"})] == [
        "object.enum"
    ]


@pytest.mark.parametrize("revision", REVISIONS)
def test_the_boundary_documents_hold_every_shape_of_every_union(revision):
    """Each variant of a oneOf or anyOf is accepted as itself in some boundary document."""
    spec = SPECS[revision]
    unions = {
        tuple(i.split(".")[:-1]) for i in spec.codec.rule_ids if i.endswith((".oneOf", ".anyOf"))
    }
    for path in unions:
        seen = set()
        for document in spec.boundary_documents:
            value = document
            for name in path:
                value = getattr(value, name, None)
            seen.add(type(value))
        kind = attrs.fields_dict(_owner(spec.document, path))[path[-1]].type
        shapes = _shapes(kind)
        assert shapes <= seen, (path, shapes - seen)


def _owner(cls: type, path: tuple[str, ...]) -> type:
    for name in path[:-1]:
        kind = attrs.fields_dict(attrs.resolve_types(cls))[name].type
        cls = next(a for a in typing.get_args(kind) if isinstance(a, type) and attrs.has(a))
    return attrs.resolve_types(cls)


def _shapes(kind: Any) -> set[type]:
    """Return the Python types the variants of a union member structure to."""
    found: set[type] = set()
    for arg in typing.get_args(kind):
        union = typing.get_args(arg)[0] if typing.get_origin(arg) is typing.Annotated else arg
        for shape in typing.get_args(union) or (union,):
            if isinstance(shape, type) and attrs.has(shape):
                found.add(shape)
            elif typing.get_origin(shape) is typing.Literal:
                found.add(type(typing.get_args(shape)[0]))
    return found


def test_the_drawn_cases_of_2026_05_13_carry_the_seeds_members_as_unknown_members():
    spec = SPECS["2026-05-13"]
    seen: set[str] = set()

    @settings(max_examples=100, database=None, suppress_health_check=list(HealthCheck))
    @given(spec.valid_documents())
    def draw(case: Any) -> None:
        value = parse(case.text)
        assert spec.codec.violations(value) == []
        seen.update(k for k in DROPPED if k in value and k in spec.codec.structure(value).unknown)

    draw()
    assert seen == DROPPED
