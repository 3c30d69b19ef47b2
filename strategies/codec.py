"""The reference implementation: strict cattrs (un)structuring of the attrs models.

cattrs coerces by default ("0.8" becomes 0.8, ``true`` passes as an integer), which is
exactly the leniency this suite hunts in SDKs, so every scalar hook here is strict. The
converter runs with detailed validation so that one document yields every rule it breaks,
each named by its rule id: the invalid-case generator relies on that to prove a case
breaks exactly the rule it is labelled with.
"""

from __future__ import annotations

import functools
import math
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any, Literal

import attrs
import cattrs
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, override

from strategies.errors import RuleViolations, Violation
from strategies.jsontext import Path, dumps, parse
from strategies.model import (
    ABSENT,
    NULL,
    Absent,
    Documented,
    JSONValue,
    MaxResponseOutputTokens,
    MinItems,
    Null,
    RealtimeSessionCreateResponse,
    TokenLimit,
    Variants,
)

__all__ = [
    "CONVERTER",
    "INTEGER_MEMBERS",
    "Codec",
    "decode",
    "drop_unknown",
    "encode",
    "is_integer_member",
    "structure",
    "unstructure",
    "violations",
]

Document = RealtimeSessionCreateResponse


class _Broken(Exception):  # noqa: N818 - internal signal, never escapes this module
    """A hook's verdict: the value breaks the rule ``<member path>.<keyword>``."""

    def __init__(self, keyword: str, message: str) -> None:
        super().__init__(message)
        self.keyword = keyword


def _json_type(value: object) -> str:
    match value:
        case bool():
            return "boolean"
        case None:
            return "null"
        case int() | float():
            return "number"
        case str():
            return "string"
        case list():
            return "array"
        case _:
            return "object"


def _strict_str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise _Broken("type", f"expected a string, got {_json_type(value)}")
    return value


def _strict_int(value: object, _: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Broken("type", f"expected an integer, got {_json_type(value)} {value!r:.40}")
    return value


def _strict_float(value: object, _: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Broken("type", f"expected a number, got {_json_type(value)} {value!r:.40}")
    if not math.isfinite(value):
        raise _Broken("type", "expected a finite number")
    return float(value)


def _json_object(value: object, _: object) -> dict[str, JSONValue]:
    if not isinstance(value, dict):
        raise _Broken("type", f"expected an object, got {_json_type(value)}")
    return value


def _literal_hook(kind: Any) -> Callable[[object, object], object]:
    allowed = typing.get_args(kind)
    # Strings and integers; a value of another JSON type never equals one (true is not 1).
    kinds = tuple({type(a) for a in allowed})

    def hook(value: object, _: object) -> object:
        if not isinstance(value, kinds) or isinstance(value, bool) or value not in allowed:
            raise _Broken("enum", f"{value!r:.40} is not one of {', '.join(map(str, allowed))}")
        return value

    return hook


def _marker(kind: Any, marker: type) -> Any:
    """Return the *marker* instance attached to an annotated *kind*, or None."""
    if typing.get_origin(kind) is not typing.Annotated:
        return None
    return next((m for m in kind.__metadata__ if isinstance(m, marker)), None)


def _variants_hook(kind: Any) -> Callable[[object, object], object]:
    base = typing.get_args(kind)[0]
    keyword = _marker(kind, Variants).keyword
    choices = [(arg, CONVERTER.get_structure_hook(arg)) for arg in typing.get_args(base)]

    def hook(value: object, _: object) -> object:
        accepted = []
        for arg, inner in choices:
            try:
                accepted.append(inner(value, arg))
            except Exception as error:  # noqa: BLE001 - _walk re-raises what is not a verdict
                list(_walk(error, (), ""))
            if accepted and keyword == "anyOf":
                break
        if not accepted:
            raise _Broken(keyword, f"{_json_type(value)} {value!r:.40} matches none of its shapes")
        if len(accepted) > 1:
            raise _Broken(keyword, f"{value!r:.40} matches more than one of its shapes")
        return accepted[0]

    return hook


def _min_items_hook(kind: Any) -> Callable[[object, object], object]:
    base = typing.get_args(kind)[0]
    count = _marker(kind, MinItems).count
    inner = CONVERTER.get_structure_hook(base)

    def hook(value: object, _: object) -> object:
        result = inner(value, base)
        if len(result) < count:
            raise _Broken("minItems", f"expected at least {count} element(s), got {len(result)}")
        return result

    return hook


def _documented_hook(kind: Any) -> Callable[[object, object], object]:
    base, constraint = typing.get_args(kind)[:2]
    inner = CONVERTER.get_structure_hook(base)

    def hook(value: object, _: object) -> object:
        result = inner(value, base)
        if constraint.enum and result not in constraint.enum:
            raise _Broken("enum", f"{result!r:.40} is not one of {', '.join(constraint.enum)}")
        low, high = constraint.minimum, constraint.maximum
        if (low is not None and result < low) or (high is not None and result > high):
            raise _Broken("range", f"{result!r} is outside [{low}, {high}]")
        return result

    return hook


def _is_documented(kind: Any) -> bool:
    return typing.get_origin(kind) is typing.Annotated and any(
        isinstance(m, Documented) for m in kind.__metadata__
    )


def _is_member_union(kind: Any) -> bool:
    args = typing.get_args(kind)
    is_union = isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union
    return is_union and (Absent in args or Null in args)


def _member_union_hook(kind: Any) -> Callable[[object, object], object]:
    args = typing.get_args(kind)
    rest = [a for a in args if a not in (Absent, Null)]
    inner_type = rest[0] if len(rest) == 1 else functools.reduce(lambda a, b: a | b, rest)
    inner = CONVERTER.get_structure_hook(inner_type)
    nullable = Null in args

    def hook(value: object, _: object) -> object:
        if value is None and nullable:
            return NULL
        return inner(value, inner_type)

    return hook


def _is_homogeneous_tuple(kind: Any) -> bool:
    args = typing.get_args(kind)
    return typing.get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(kind: Any) -> Callable[[object, object], tuple[object, ...]]:
    item_type = typing.get_args(kind)[0]
    inner = CONVERTER.get_structure_hook(item_type)

    def hook(value: object, _: object) -> tuple[object, ...]:
        # cattrs would take any iterable, so "text" would become ("t", "e", "x", "t").
        if not isinstance(value, list):
            raise _Broken("type", f"expected an array, got {_json_type(value)}")
        items, errors = [], []
        for index, element in enumerate(value):
            try:
                items.append(inner(element, item_type))
            except Exception as error:  # noqa: BLE001 - regrouped for the caller below
                error.__notes__ = [*getattr(error, "__notes__", []), f"index {index}"]
                errors.append(error)
        if errors:
            raise IterableValidationError("items of an array", errors, kind)
        return tuple(items)

    return hook


def _max_tokens_hook(value: object, _: object) -> MaxResponseOutputTokens:
    if value == "inf" and isinstance(value, str):
        return MaxResponseOutputTokens("inf")
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Broken("oneOf", f'{value!r:.40} is neither an integer nor "inf"')
    low, high = (int(bound) for bound in Documented.of(TokenLimit).bounds)
    if not low <= value <= high:
        raise _Broken("range", f"{value} is outside [{low}, {high}]")
    return MaxResponseOutputTokens(value)


def _attrs_hook(cls: type) -> Callable[[object, object], object]:
    known = {f.name for f in attrs.fields(cls) if f.name != "unknown"}
    inner: Callable[[dict[str, object], type], Any] = make_dict_structure_fn(
        cls, CONVERTER, unknown=override(omit=True), _cattrs_detailed_validation=True
    )

    def hook(value: object, _: object) -> object:
        if not isinstance(value, dict):
            raise _Broken("type", f"expected an object, got {_json_type(value)}")
        result = inner({k: v for k, v in value.items() if k in known}, cls)
        extra = {k: v for k, v in value.items() if k not in known}
        return attrs.evolve(result, unknown=extra) if extra else result

    return hook


def _origin(kind: Any) -> object:
    return typing.get_origin(kind)


CONVERTER = cattrs.Converter(detailed_validation=True)
"""The strict converter; use `structure` and `unstructure` rather than calling it."""

CONVERTER.register_structure_hook(str, _strict_str)
CONVERTER.register_structure_hook(int, _strict_int)
CONVERTER.register_structure_hook(float, _strict_float)
CONVERTER.register_structure_hook_func(lambda t: _origin(t) is dict, _json_object)
CONVERTER.register_structure_hook(MaxResponseOutputTokens, _max_tokens_hook)
CONVERTER.register_structure_hook_factory(lambda t: _origin(t) is Literal, _literal_hook)
CONVERTER.register_structure_hook_factory(_is_documented, _documented_hook)
CONVERTER.register_structure_hook_factory(lambda t: _marker(t, Variants), _variants_hook)
CONVERTER.register_structure_hook_factory(lambda t: _marker(t, MinItems), _min_items_hook)
CONVERTER.register_structure_hook_factory(_is_member_union, _member_union_hook)
CONVERTER.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)
CONVERTER.register_structure_hook_factory(
    lambda t: attrs.has(t) and t is not MaxResponseOutputTokens, _attrs_hook
)


def _unstructure_attrs(value: Any) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {}
    for field in attrs.fields(type(value)):
        member = getattr(value, field.name)
        if field.name == "unknown" or member is ABSENT:
            continue
        out[field.name] = None if member is NULL else CONVERTER.unstructure(member)
    out.update(value.unknown)
    return out


CONVERTER.register_unstructure_hook_func(
    lambda t: attrs.has(t) and t is not MaxResponseOutputTokens, _unstructure_attrs
)
CONVERTER.register_unstructure_hook(MaxResponseOutputTokens, lambda v: v.value)
CONVERTER.register_unstructure_hook(tuple, lambda v: [CONVERTER.unstructure(i) for i in v])


# Violations ----------------------------------------------------------------------------


def _walk(error: BaseException, names: Path, pointer: str) -> Iterator[Violation]:
    if isinstance(error, _Broken):
        rule_id = ".".join((*names, error.keyword)) if names else f"document.{error.keyword}"
        yield Violation(rule_id, pointer, str(error))
    elif isinstance(error, KeyError) and names:
        # cattrs' generated structure function reads a required member with o[name].
        yield Violation(".".join((*names, "required")), pointer, "a required member is missing")
    elif isinstance(error, ClassValidationError):
        for sub in error.exceptions:
            name = _note(sub, "attribute ")
            yield from _walk(sub, (*names, name), f"{pointer}/{name}")
    elif isinstance(error, IterableValidationError):
        for sub in error.exceptions:
            yield from _walk(sub, (*names, "items"), f"{pointer}/{_note(sub, 'index ')}")
    else:  # a bug in a hook, not a verdict on the document
        raise error


def _note(error: BaseException, prefix: str) -> str:
    for note in reversed(getattr(error, "__notes__", [])):
        if prefix in note:
            return str(note).rsplit(prefix, 1)[1]
    raise error


@attrs.frozen
class Codec:
    """The strict codec of one revision of the object, whose root model is *document*."""

    document: type

    def violations(self, value: JSONValue) -> list[Violation]:
        """Return every rule *value* breaks, in document order; empty when it is valid."""
        try:
            CONVERTER.structure(value, self.document)
        except Exception as error:  # noqa: BLE001 - _walk re-raises what is not a verdict
            return list(_walk(error, (), ""))
        return []

    def structure(self, value: JSONValue) -> Any:
        """Build the model from a JSON value, or raise `RuleViolations` naming every rule."""
        try:
            return CONVERTER.structure(value, self.document)
        except Exception as error:  # noqa: BLE001 - _walk re-raises what is not a verdict
            raise RuleViolations(list(_walk(error, (), ""))) from None

    def unstructure(self, document: object) -> dict[str, JSONValue]:
        """Return the JSON value of *document*: null kept, absent left out, unknown kept."""
        return _unstructure_attrs(document)

    def decode(self, text: str) -> Any:
        """Parse and validate one JSON text, as the reference testee does."""
        return self.structure(parse(text))

    def encode(self, document: object) -> str:
        """Serialize *document* compactly."""
        return dumps(self.unstructure(document))

    @functools.cached_property
    def integer_members(self) -> frozenset[Path]:
        """Paths of the members typed integer (array indices left out); compared exactly."""
        return frozenset(_integer_paths(self.document))

    def is_integer_member(self, path: Path) -> bool:
        """Tell whether a JSON path (with array indices) leads to a member typed integer."""
        return tuple(p for p in path if not p.isdigit()) in self.integer_members if path else False

    @functools.cached_property
    def known(self) -> dict[Path, frozenset[str]]:
        """The member names of every object the model knows, by path."""
        known: dict[Path, frozenset[str]] = {}
        for path, cls in _known_objects(self.document):
            # The variants of a union are objects at one path: a member of any is known.
            known[path] = known.get(path, frozenset()) | frozenset(_member_types(cls))
        return known

    def drop_unknown(self, value: JSONValue, path: Path = ()) -> JSONValue:
        """Remove unknown members at every object level the model knows, as a dropping SDK does.

        Inside ``parameters`` everything is data and stays.
        """
        known = self.known.get(path)
        if isinstance(value, dict) and known is not None:
            return {k: self.drop_unknown(v, (*path, k)) for k, v in value.items() if k in known}
        if isinstance(value, list) and path in self.known:
            return [self.drop_unknown(item, path) for item in value]
        return value

    @functools.cached_property
    def rule_ids(self) -> tuple[str, ...]:
        """Every object rule id this codec can report, in model order, derived from the types."""
        return tuple(dict.fromkeys(_rule_ids(self.document)))

    @functools.cached_property
    def nullable(self) -> frozenset[Path]:
        """Paths of the members that may be ``null``."""
        return frozenset(_nullable_paths(self.document))


_SEED = Codec(RealtimeSessionCreateResponse)
"""The codec of the seed's revision, behind the functions below, for callers (testees,
mutants) that certify that revision only; revisions are `strategies.spec.Spec` values."""


def violations(value: JSONValue) -> list[Violation]:
    """Return every rule *value* breaks under the seed's revision; empty when it is valid."""
    return _SEED.violations(value)


def structure(value: JSONValue) -> Document:
    """Build the seed revision's model, or raise `RuleViolations` naming every rule broken."""
    result: Document = _SEED.structure(value)
    return result


def unstructure(document: object) -> dict[str, JSONValue]:
    """Return the JSON value of *document*: null kept, absent left out, unknown members kept."""
    return _unstructure_attrs(document)


def decode(text: str) -> Document:
    """Parse and validate one JSON text under the seed's revision."""
    return structure(parse(text))


def encode(document: object) -> str:
    """Serialize *document* compactly."""
    return dumps(unstructure(document))


# Model-aware views of plain JSON values -------------------------------------------------


def _member_types(cls: type) -> dict[str, Any]:
    return {f.name: f.type for f in attrs.fields(attrs.resolve_types(cls)) if f.name != "unknown"}


def _integer_paths(cls: type, prefix: Path = ()) -> Iterator[Path]:
    for name, kind in _member_types(cls).items():
        for arg in _flatten(kind):
            if arg is int or arg is MaxResponseOutputTokens or _is_integer_literal(arg):
                yield (*prefix, name)
            elif attrs.has(arg):
                yield from _integer_paths(arg, (*prefix, name))


def _is_integer_literal(kind: Any) -> bool:
    values = typing.get_args(kind) if typing.get_origin(kind) is Literal else ()
    return bool(values) and all(type(v) is int for v in values)


def _flatten(kind: Any) -> Iterator[Any]:
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        yield from _flatten(typing.get_args(kind)[0])
    elif isinstance(kind, types.UnionType) or origin is typing.Union:
        for arg in typing.get_args(kind):
            yield from _flatten(arg)
    elif origin is tuple:
        yield from _flatten(typing.get_args(kind)[0])
    else:
        yield kind


def _known_objects(cls: type, path: Path = ()) -> Iterator[tuple[Path, type]]:
    yield path, cls
    for name, kind in _member_types(cls).items():
        for arg in _flatten(kind):
            if attrs.has(arg) and arg is not MaxResponseOutputTokens:
                yield from _known_objects(arg, (*path, name))


def _rule_ids(cls: type, path: Path = ()) -> Iterator[str]:
    """Yield the rule ids the hooks above can raise for *cls*, member by member."""
    yield ".".join((*path, "type")) if path else "document.type"
    required = {f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING}
    for name, kind in _member_types(cls).items():
        here = (*path, name)
        if name in required:
            yield ".".join((*here, "required"))
        yield from _kind_rule_ids(kind, here)


def _annotated_rule_ids(kind: Any, path: Path) -> Iterator[str]:
    if variants := _marker(kind, Variants):
        # One rule for the union: its variants' members report nothing of their own.
        yield ".".join((*path, variants.keyword))
        return
    base, *metadata = typing.get_args(kind)
    yield from _kind_rule_ids(base, path)
    for constraint in (m for m in metadata if isinstance(m, Documented)):
        if constraint.enum:
            yield ".".join((*path, "enum"))
        if constraint.minimum is not None or constraint.maximum is not None:
            yield ".".join((*path, "range"))
    if _marker(kind, MinItems):
        yield ".".join((*path, "minItems"))


def _kind_rule_ids(kind: Any, path: Path) -> Iterator[str]:
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        yield from _annotated_rule_ids(kind, path)
    elif isinstance(kind, types.UnionType) or origin is typing.Union:
        for arg in typing.get_args(kind):
            if arg not in (Absent, Null):
                yield from _kind_rule_ids(arg, path)
    elif origin is Literal:
        yield ".".join((*path, "enum"))
    elif origin is tuple:
        yield ".".join((*path, "type"))
        yield from _kind_rule_ids(typing.get_args(kind)[0], (*path, "items"))
    elif kind is MaxResponseOutputTokens:
        yield ".".join((*path, "oneOf"))
        yield ".".join((*path, "range"))
    elif attrs.has(kind):
        yield from _rule_ids(kind, path)
    else:  # str, int, float and free JSON objects
        yield ".".join((*path, "type"))


def _nullable_paths(cls: type, path: Path = ()) -> Iterator[Path]:
    for name, kind in _member_types(cls).items():
        if Null in typing.get_args(kind):
            yield (*path, name)
        for arg in _flatten(kind):
            if attrs.has(arg) and arg is not MaxResponseOutputTokens:
                item = (*path, name, "items") if _is_tuple_of(kind, arg) else (*path, name)
                yield from _nullable_paths(arg, item)


def _is_tuple_of(kind: Any, arg: type) -> bool:
    return any(
        typing.get_origin(a) is tuple and typing.get_args(a)[0] is arg
        for a in (kind, *typing.get_args(kind))
    )


INTEGER_MEMBERS = _SEED.integer_members
"""The seed revision's integer members (see `Codec.integer_members`)."""


def is_integer_member(path: Path) -> bool:
    """Tell whether a JSON path leads to a member typed integer in the seed's revision."""
    return _SEED.is_integer_member(path)


def drop_unknown(value: JSONValue, path: Path = ()) -> JSONValue:
    """Remove unknown members as a dropping SDK does, under the seed's revision."""
    return _SEED.drop_unknown(value, path)
