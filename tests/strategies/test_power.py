"""Coverage that leaves nothing to luck: every class of value, at every seed of a set.

A default certification's valid cases (the boundary documents, then the profile's
number of draws at the seed) must reach every class below, for each seed in `SEEDS`:
every JSON type at every depth of every free-form place, strings across Unicode and
every escape form, arrays of every length with duplicates and unsorted orders, and
the binary64 edges. The invalid cases put null in place of every member, each its own
labelled mutation, and every malformed kind is sent with every one of its spellings.
"""

import math
import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import HealthCheck, event, given, seed, settings

from conformance.runner import PROFILES
from strategies import codec, invalid, valid
from strategies.broken import FAULT_NAMES, boundary_cases, is_malformed, malformed_documents
from strategies.jsontext import MAX_DEPTH
from strategies.valid import BOUNDARY_DOCUMENTS

SEEDS = range(5)
TYPES = ("null", "true", "false", "integer", "float", "string", "[]", "{}", "array", "object")
# Free-form places: the depth of the object their values sit in, and the depths (0: the
# member's value itself) whose every JSON type must be reached. The deepest is where an
# empty container still fits under the depth limit.
OBJECTS = {"": 1, "client_secret": 2, "turn_detection": 2, "input_audio_transcription": 2,
           "tools/items": 3}  # fmt: skip
FREE_DEPTHS = {
    **{f"unknown@{name}": range(MAX_DEPTH - depth) for name, depth in OBJECTS.items()},
    "parameters": range(1, MAX_DEPTH - 3),
}
PLANES = tuple(f"plane-{p}" for p in range(17))
STRING_CLASSES = (*PLANES, "normalization", "bidi", "format", "noncharacter", "long")
ESCAPES = ('\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u-lower", "\\u-upper",
           "\\u-pair")  # fmt: skip
NUMBER_CLASSES = ("subnormal", "largest-finite", "17-digits", "negative-zero")
ARRAY_CLASSES = ("length-0", "length-1", "length-many", "duplicate-scalars", "duplicate-objects",
                 "unsorted")  # fmt: skip
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|["\\/bfnrt])')


def _type(value):
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    empty = "[]" if isinstance(value, list) else "{}"
    return ("array" if isinstance(value, list) else "object") if value else empty


def _string_classes(text):
    found = {f"plane-{ord(c) >> 16}" for c in text}
    if unicodedata.normalize("NFC", text) != text:
        found.add("normalization")
    if BIDI & set(text):
        found.add("bidi")
    if any(unicodedata.category(c) == "Cf" for c in text):
        found.add("format")
    if any(0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE for c in text):
        found.add("noncharacter")
    if len(text) > 65_536:
        found.add("long")
    return {f"string:{c}" for c in found}


def _number_classes(number):
    found = set()
    if 0 < abs(number) < 2.2250738585072014e-308:
        found.add("subnormal")
    if abs(number) == 1.7976931348623157e308:
        found.add("largest-finite")
    if len(repr(number).lstrip("-").split("e")[0].replace(".", "").strip("0")) == 17:
        found.add("17-digits")
    if number == 0 and math.copysign(1, number) < 0:
        found.add("negative-zero")
    return {f"number:{c}" for c in found}


def _array_classes(place, items):
    found = {"length-0" if not items else "length-1" if len(items) == 1 else ""}
    found |= {"length-many"} if len(items) >= 3 else set()
    scalars = [i for i in items if not isinstance(i, dict | list)]
    objects = [repr(i) for i in items if isinstance(i, dict)]
    found |= {"duplicate-scalars"} if len({repr(s) for s in scalars}) < len(scalars) else set()
    found |= {"duplicate-objects"} if len(set(objects)) < len(objects) else set()
    kinds = {type(s) for s in scalars}
    if len(kinds) == 1 and kinds <= {int, float, str} and sorted(scalars) != scalars:
        found.add("unsorted")
    return {f"array@{place}:{c}" for c in found - {""}}


def _free(place, value, depth=0):
    """Yield the classes of a free-form value: each item's type at its depth, and more."""
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        yield f"{place}:depth-{level}:{_type(item)}"
        if isinstance(item, dict):
            stack += [(v, level + 1) for v in item.values()]
            for name in item:
                yield from _string_classes(name)
        elif isinstance(item, list):
            yield from _array_classes("free", item)
            stack += [(v, level + 1) for v in item]
        elif isinstance(item, str):
            yield from _string_classes(item)
        elif isinstance(item, float):
            yield from _number_classes(item)


def _scalar_classes(value):
    if isinstance(value, str):
        return _string_classes(value)
    return _number_classes(value) if isinstance(value, float) else set()


def _known(value, path, known):
    """Yield the classes of a known object at *path*, its members and its free values."""
    place = "/".join(path)
    for name, member in value.items():
        if name not in known:
            yield from _free(f"unknown@{place}", member, 0)
        elif name == "parameters":
            yield from _free("parameters", member, 0)
        elif isinstance(member, dict) and (*path, name) in KNOWN_OBJECTS:
            yield from _known(member, (*path, name), KNOWN_OBJECTS[(*path, name)])
        elif isinstance(member, list):
            yield from _array_classes(name, member)
            inner = (*path, name, "items")
            for item in member:
                if isinstance(item, dict) and inner in KNOWN_OBJECTS:
                    yield from _known(item, inner, KNOWN_OBJECTS[inner])
                else:
                    yield from _scalar_classes(item)
        else:
            yield from _scalar_classes(member)


def _known_objects():
    # The model's objects by path, arrays of objects under ".../items" (as in mutations).
    objects = {}
    for path, names in codec._SEED.known.items():  # noqa: SLF001 - derived from the model, not restated
        where = (*path, "items") if path == ("tools",) else path
        objects[where] = names
    return objects


KNOWN_OBJECTS = _known_objects()


def classes(case):
    """Name every class of value one valid case reaches, and its escape forms."""
    found = set(_known(case.expected, (), KNOWN_OBJECTS[()]))
    for match in _ESCAPE.finditer(case.text):
        escape = match.group()
        if escape.startswith("\\u"):
            hexits = escape[2:]
            found.add("\\u-pair" if 0xD800 <= int(hexits, 16) < 0xDC00 else "")
            found.add("\\u-upper" if hexits != hexits.lower() else "")
            found.add("\\u-lower" if hexits != hexits.upper() else "")
        else:
            found.add(escape)
    return found - {""}


def required_classes():
    needed = set(ESCAPES)
    needed |= {f"string:{c}" for c in STRING_CLASSES}
    needed |= {f"number:{c}" for c in NUMBER_CLASSES}
    needed |= {f"array@free:{c}" for c in ARRAY_CLASSES}
    needed |= {f"array@modalities:{c}" for c in ARRAY_CLASSES if "objects" not in c}
    needed |= {f"array@tools:{c}" for c in ARRAY_CLASSES if "scalars" not in c and c != "unsorted"}
    for place, depths in FREE_DEPTHS.items():
        needed |= {f"{place}:depth-{d}:{t}" for d in depths for t in TYPES}
    return needed


def _valid_cases_of_a_certification(at_seed):
    """Return the valid cases a default certification sends at *at_seed*."""
    cases = list(valid.boundary_cases())

    @seed(at_seed)
    @settings(max_examples=PROFILES["default"].valid, database=None, derandomize=False,
              deadline=None, suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(valid.valid_documents())
    def draw(case):
        cases.append(case)

    draw()
    return cases


@pytest.mark.parametrize("at_seed", SEEDS)
def test_the_valid_cases_reach_every_class_at_every_seed(at_seed):
    """Each class of value is reached by the cases of a default certification at this seed."""
    seen = Counter(c for case in _valid_cases_of_a_certification(at_seed) for c in classes(case))
    missing = required_classes() - set(seen)
    assert not missing, f"not reached at seed {at_seed}: {sorted(missing)[:40]}"


def test_the_classes_are_reported_as_statistics():
    """``pytest --hypothesis-show-statistics`` shows how often the search draws each class."""
    seen = Counter()

    @settings(max_examples=50, database=None, derandomize=True)
    @given(valid.valid_documents())
    def draw(case):
        for found in classes(case):
            event(found)
            seen[found] += 1

    draw()
    assert seen["string:plane-0"] > 0


def _members():
    # Every known member (array items included), as the mutations name their paths.
    for path, names in KNOWN_OBJECTS.items():
        for name in names:
            yield "/".join((*path, name))
    yield "modalities/items"
    yield "tools/items"


def test_null_in_place_of_every_member_is_its_own_labelled_mutation_at_every_run():
    """Each member (null where the rulebook forbids it) is a boundary case of its rule."""
    nullable = {"/".join(m.path) for m in invalid.MUTATIONS.values() if m.nullable}
    labels = {
        case.mutation
        for rule in invalid.MUTATIONS
        for case in invalid.boundary_cases(rule, BOUNDARY_DOCUMENTS)
    }
    wanted = {f"{member} set to null" for member in _members() if member not in nullable}
    assert len(wanted) >= 20
    assert wanted - labels == set()


@pytest.mark.parametrize("name", FAULT_NAMES)
def test_every_malformed_kind_sends_each_spelling_first_and_nothing_that_parses(name):
    """The boundary cases hold every spelling; neither they nor drawn cases are JSON."""
    cases = boundary_cases("malformed", name, BOUNDARY_DOCUMENTS)
    assert cases
    assert all(is_malformed(case.text) for case in cases), name
    assert all(case.base is None or not is_malformed(case.base.text) for case in cases)

    @settings(max_examples=30, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(malformed_documents([name], BOUNDARY_DOCUMENTS))
    def drawn(case):
        assert is_malformed(case.text), case.text[:200]
        assert case.base is None or not is_malformed(case.base.text)

    drawn()
