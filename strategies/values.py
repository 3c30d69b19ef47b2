"""Strategies for the values inside a document: the edge cases SDKs get wrong, pinned.

Bounds and awkward values are mixed in with `st.sampled_from`, never left to luck:
a boundary bug found one run in fifty is a flaky certificate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from hypothesis import strategies as st

from strategies.jsontext import MAX_SAFE_INTEGER
from strategies.model import ABSENT, JSONValue

__all__ = [
    "ARRAY_PINS",
    "FLOAT_PINS",
    "INTEGER_PINS",
    "LENGTH_PINS",
    "SPECIAL_STRINGS",
    "UNICODE_PINS",
    "choice",
    "every_type",
    "json_values",
    "member_names",
    "near_misses",
    "nested_values",
    "put",
    "safe_integers",
    "scalars",
    "strings",
]

T = TypeVar("T")


def choice(*options: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """Draw from one of *options*, like `st.one_of`, choosing the branch as one integer.

    Hypothesis' ``one_of`` builds two new strategies on every draw; with some fifty choices
    in a document that was the largest single cost of generation. An option given twice
    is drawn twice as often; the first option is where shrinking goes.
    """
    index = st.integers(0, len(options) - 1)

    @st.composite
    def pick(draw: st.DrawFn) -> T:
        return draw(options[draw(index)])

    return pick()


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


UNICODE_PINS = (
    "".join(chr(plane * 0x10000 + 0x100) for plane in range(17)),  # one of every plane
    "e\u0301",  # a combining sequence NFC composes
    "\u212b\u1100\u1161\u11a8",  # the angstrom sign and jamo: changed by NFC
    "a\u0301\u0328",  # marks NFC reorders
    "\u202eabc\u202c\u2066x\u2069\u200e\u200f\u061c",  # bidirectional controls
    "\u200b\u200c\u200d\u2060\u00ad",  # format controls
    "\ufdd0\ufdef\ufffe\U0001fffe\U0010fffe",  # noncharacters
    '"\\/\b\f\n\r\t\x01\u00e9\U0001f600',  # every short escape and both \\u forms
)
"""Text that Unicode handling changes: planes, normalization, controls, noncharacters."""


def _long(seed: str, count: int) -> str:
    return (seed or "x") * count


LENGTH_PINS = (255, 256, 65_535, 65_536, 65_537, 100_000)
"""String lengths where 8- and 16-bit length fields and buffers break."""

strings = choice(
    st.text(max_size=10),
    st.sampled_from(SPECIAL_STRINGS),
    st.sampled_from(UNICODE_PINS),
    st.builds(
        _long,
        st.text(min_size=1, max_size=1),
        choice(st.sampled_from(LENGTH_PINS), st.integers(1_000, 40_000)),
    ),
)
"""Strings: short Unicode text, NUL, astral, U+2028, empty, and long strings, with their
lengths pinned on both sides of 2^8 and 2^16 (one character repeated, so the length in
code points is exact)."""

INTEGER_PINS = (0, -1, 2**31 - 1, 2**31, 2**32 - 1, 2**32, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER)
"""Where 32-bit and binary64 storage break."""

safe_integers = choice(
    st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER), st.sampled_from(INTEGER_PINS)
)
"""Integers every conforming parser handles exactly: within ±(2^53-1)."""

FLOAT_PINS = (
    -0.0,
    0.1,
    5e-324,
    -1e-310,
    2.225073858507201e-308,  # the largest subnormal
    1.7976931348623157e308,
    -1.7976931348623157e308,
    2.0**53,
    1e-7,
    1e21,
    0.30000000000000004,  # 17 significant digits in its shortest form
    -123456789012345.67,
)
"""Floats that printers and parsers get wrong: signed zero, subnormals, the largest finite
values, shortest forms of 17 digits."""


def member_names(reserved: frozenset[str] = frozenset()) -> st.SearchStrategy[str]:
    """Names for unknown members: any text, the empty name, and near-misses of known names."""
    misses = sorted({variant for name in reserved for variant in near_misses(name)})
    pool = choice(
        st.text(max_size=12),
        st.sampled_from(["", "id", "object", "model", "unknown", *misses]),
    )
    # A map, not a filter: filtered text is several times slower to draw in Hypothesis.
    return pool.map(lambda n: n + "\x00" if n in reserved else n)


def near_misses(name: str) -> list[str]:
    """Return names that differ from *name* only by case, a space or a dash."""
    variants = {name.upper(), name.title(), name.capitalize(), name + " ", name.replace("_", "-")}
    return sorted(variants - {name})


# One flat choice rather than nested ones: each level of choice is a draw of its own.
scalars: st.SearchStrategy[JSONValue] = choice(
    st.sampled_from(UNICODE_PINS),
    st.sampled_from((None, True, False, *INTEGER_PINS, *FLOAT_PINS, "")),
    st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
)
"""JSON scalars within the portable subset."""


ARRAY_PINS: tuple[JSONValue, ...] = (
    [],
    [0],
    [3, 1, 2, 1, 3],  # duplicates, in an order sorting changes
    ["b", "a", "b"],
    [{"a": 1}, {}, {"a": 1}],  # whole objects twice
    [None, None, [], [], {}, {}],
)
"""Arrays of lengths 0, 1 and many, with duplicate scalars and objects, unsorted."""


_keys = st.text(max_size=6)
_shallow: st.SearchStrategy[JSONValue] = choice(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(_keys, scalars, max_size=3),
)
# Two fixed levels rather than st.recursive, which is several times slower to draw; depth
# itself is exercised by `nested_values`, up to the document's limit.
json_values: st.SearchStrategy[JSONValue] = choice(
    _shallow,
    st.sampled_from(ARRAY_PINS),
    st.lists(_shallow, max_size=3),
    st.dictionaries(_keys, _shallow, max_size=3),
)
"""Arbitrary small JSON values, up to two levels deep."""


def every_type(levels: int) -> dict[str, JSONValue]:
    """Return an object with every JSON type at each of its *levels* depths.

    Null, both literals, an integer, a float, a string, an empty and a non-empty array,
    an empty and a non-empty object sit at every level, alternately in an object (the
    top) and an array; the value is *levels* + 1 deep (its last empty containers add one).
    """
    value: JSONValue = [1]
    for level in range(levels):
        here: list[JSONValue] = [None, True, False, -7, 0.5, "x", [], {}, [0], {"k": 0}, value]
        value = here if (levels - level) % 2 == 0 else dict(zip("abcdefghijk", here, strict=True))
    assert isinstance(value, dict)  # noqa: S101 - the top level is an object
    return value


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


def put(value: object, path: Sequence[str], new: object, slot: int = 0) -> object:
    """Return *value* with *new* at member *path*, creating (empty) parents on the way.

    ``items`` in the path stands for one element of an array: at the end of the path
    *new* is inserted at index *slot* (modulo the length); inside it, the element at
    *slot* is changed. *value* itself is never changed. *new* `ABSENT` removes the member.
    """
    if not path:
        return new
    head, rest = path[0], path[1:]
    if new is ABSENT and not rest and head != "items":
        parent = value if isinstance(value, dict) else {}
        return {k: v for k, v in parent.items() if k != head}
    if head == "items":
        items = value if isinstance(value, list) else []
        if not rest:
            index = slot % (len(items) + 1)
            return [*items[:index], new, *items[index:]]
        index = slot % max(len(items), 1)
        element = items[index] if index < len(items) else {}
        return [*items[:index], put(element, rest, new, slot), *items[index + 1 :]]
    parent = value if isinstance(value, dict) else {}
    child = parent.get(head)
    if rest and not isinstance(child, dict | list):
        child = [] if rest[0] == "items" else {}
    return {**parent, head: put(child, rest, new, slot)}
