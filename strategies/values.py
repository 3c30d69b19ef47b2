"""Strategies for the values inside a document: the edge cases SDKs get wrong, pinned.

Bounds and awkward values are mixed in with `st.sampled_from`, never left to luck:
a boundary bug found one run in fifty is a flaky certificate.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from strategies.jsontext import MAX_SAFE_INTEGER
from strategies.model import JSONValue

__all__ = [
    "INTEGER_PINS",
    "SPECIAL_STRINGS",
    "json_values",
    "member_names",
    "nested_values",
    "safe_floats",
    "safe_integers",
    "scalars",
    "strings",
]

SPECIAL_STRINGS = (
    "",
    "\x00",
    "a\x00b",
    "\U0001f600",
    "\u2028\u2029",
    '"\\/',
    "\x1f\x7f\x80\u00e9",
    "\ufeff",
    "\ud7ff\ue000\uffff\U0010ffff",
)


def _long(seed: str, count: int) -> str:
    return (seed or "x") * count


strings = st.one_of(
    st.text(max_size=20),
    st.sampled_from(SPECIAL_STRINGS),
    st.builds(_long, st.text(min_size=1, max_size=4), st.integers(1_000, 40_000)),
)
"""Strings: short Unicode text, NUL, astral, U+2028, empty, and long strings (up to 160k)."""

INTEGER_PINS = (0, -1, 2**31 - 1, 2**31, 2**32 - 1, 2**32, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER)
"""Where 32-bit and binary64 storage break."""

safe_integers = st.one_of(
    st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER), st.sampled_from(INTEGER_PINS)
)
"""Integers every conforming parser handles exactly: within ±(2^53-1)."""

safe_floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([-0.0, 0.1, 5e-324, 1.7976931348623157e308, 2.0**53, 1e-7, 1e21]),
)


def member_names(reserved: frozenset[str] = frozenset()) -> st.SearchStrategy[str]:
    """Names for unknown members: any text, the empty name, and near-misses of known names."""
    near_misses = sorted({variant for name in reserved for variant in _near_misses(name)})
    pool = st.one_of(
        st.text(max_size=12),
        st.sampled_from(["", "id", "object", "model", "unknown", *near_misses]),
    )
    return pool.filter(lambda n: n not in reserved)


def _near_misses(name: str) -> list[str]:
    return [name.upper(), name.title(), name.capitalize(), name + " ", name.replace("_", "-")]


scalars: st.SearchStrategy[JSONValue] = st.one_of(
    st.none(), st.booleans(), safe_integers, safe_floats, st.text(max_size=10)
)
"""JSON scalars within the portable subset."""


_keys = st.text(max_size=6)
_shallow: st.SearchStrategy[JSONValue] = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(_keys, scalars, max_size=3),
)
# Two fixed levels rather than st.recursive, which is several times slower to draw; depth
# itself is exercised by `nested_values`, up to the document's limit.
json_values: st.SearchStrategy[JSONValue] = st.one_of(
    _shallow,
    st.lists(_shallow, max_size=3),
    st.dictionaries(_keys, _shallow, max_size=3),
)
"""Arbitrary small JSON values, up to two levels deep."""


def _nest(leaf: JSONValue, keys: list[str], levels: int) -> JSONValue:
    value = leaf
    for level in range(levels):
        value = {keys[level % len(keys)]: value} if level % 2 else [value]
    return value


def nested_values(max_levels: int) -> st.SearchStrategy[JSONValue]:
    """JSON values nested exactly 1..*max_levels* deep, built directly so depth costs nothing."""
    return st.builds(
        _nest,
        scalars,
        st.lists(st.text(max_size=4), min_size=1, max_size=3),
        st.integers(1, max_levels),
    )


def just_inside(value: float, towards: float) -> float:
    """Return the float next to *value* in the direction of *towards*."""
    return math.nextafter(value, towards)
