"""Texts that are not JSON, and JSON at the edge of what parsers must handle.

Both start from a valid document spelled as tokens, then change the text at one place,
so the fault sits inside realistic content rather than in a toy string; the very deep,
very long and very wide texts are built directly, because generating them value by
value would take seconds each.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence

from hypothesis import strategies as st

from strategies.cases import Case
from strategies.codec import unstructure
from strategies.jsontext import MAX_SAFE_INTEGER, Raw, TextStyle, Token, join, tokens
from strategies.model import JSONValue
from strategies.valid import documents, text_styles

__all__ = [
    "FAULT_NAMES",
    "IMPLEMENTATION_DEFINED_NAMES",
    "boundary_cases",
    "implementation_defined_documents",
    "malformed_documents",
]

Tokens = list[Token]
Fault = Callable[[Tokens, random.Random], Tokens]

_VALUES = ("string", "number", "literal")


def _at(parts: Tokens, rng: random.Random, kinds: tuple[str, ...]) -> int:
    places = [i for i, t in enumerate(parts) if t.kind in kinds]
    return rng.choice(places)


def _replace(kinds: tuple[str, ...], spellings: tuple[str, ...]) -> Fault:
    def fault(parts: Tokens, rng: random.Random) -> Tokens:
        # A number's place first: that is where a lenient parser accepts the bad spelling
        # (a string member's type check would reject it for another reason).
        numbers = "number" in kinds and any(t.kind == "number" for t in parts)
        index = _at(parts, rng, ("number",) if numbers else kinds)
        return [*parts[:index], Token("number", rng.choice(spellings)), *parts[index + 1 :]]

    return fault


def _inside_string(insertions: tuple[str, ...]) -> Fault:
    def fault(parts: Tokens, rng: random.Random) -> Tokens:
        index = _at(parts, rng, ("string", "name"))
        text = parts[index].text
        cut = rng.randint(1, len(text) - 1)
        # Never split an escape: move the cut back to before the backslash run.
        while cut > 1 and text[cut - 1] == "\\":
            cut -= 1
        changed = Token("string", text[:cut] + rng.choice(insertions) + text[cut:])
        return [*parts[:index], changed, *parts[index + 1 :]]

    return fault


def _truncate(parts: Tokens, rng: random.Random) -> Tokens:
    keep = rng.randint(1, len(parts) - 1)
    last = parts[keep - 1]
    if last.kind == "string" and len(last.text) > 1 and rng.random() < 0.5:
        return [
            *parts[: keep - 1],
            Token("string", last.text[: rng.randint(1, len(last.text) - 1)]),
        ]
    return parts[:keep]


def _trailing_comma(parts: Tokens, rng: random.Random) -> Tokens:
    places = [i for i, t in enumerate(parts) if t.kind in "}]" and parts[i - 1].kind not in "{["]
    index = rng.choice(places)
    return [*parts[:index], Token(",", ","), *parts[index:]]


def _comment(parts: Tokens, rng: random.Random) -> Tokens:
    index = rng.randint(0, len(parts))
    note = rng.choice(["/* note */", "// note\n", "# note\n", "/**/"])
    return [*parts[:index], Token(",", note), *parts[index:]]


def _single_quote(parts: Tokens, rng: random.Random) -> Tokens:
    index = _at(parts, rng, ("string", "name"))
    text = parts[index].text
    return [*parts[:index], Token("string", "'" + text[1:-1] + "'"), *parts[index + 1 :]]


def _unquoted_name(parts: Tokens, rng: random.Random) -> Tokens:
    index = _at(parts, rng, ("name",))
    bare = parts[index].text[1:-1]
    bare = bare if bare.isidentifier() else rng.choice(["temperature", "voice", "x"])
    return [*parts[:index], Token("name", bare), *parts[index + 1 :]]


def _drop_separator(parts: Tokens, rng: random.Random) -> Tokens:
    index = _at(parts, rng, (":", ","))
    return parts[:index] + parts[index + 1 :]


_FAULTS: dict[str, Fault] = {
    "truncated": _truncate,
    "trailing-comma": _trailing_comma,
    "comment": _comment,
    "single-quote": _single_quote,
    "unquoted-name": _unquoted_name,
    "non-finite": _replace(_VALUES, ("NaN", "Infinity", "-Infinity", "+Infinity", "nan", "inf")),
    "number-syntax": _replace(
        _VALUES, ("01", "-01", "+1", "00", ".5", "1.", "1.e3", "-", "1e", "0x1F", "1_000", "- 1")
    ),
    "control-character": _inside_string(tuple(chr(c) for c in (0, 1, 9, 10, 13, 31))),
    "invalid-escape": _inside_string(
        ("\\x41", "\\u12", "\\U0041", "\\'", "\\a", "\\u00G0", "\\ ", "\\0")
    ),
    "bad-literal": _replace(_VALUES, ("True", "NULL", "nul", "undefined", "None", "tru", "False")),
    "missing-separator": _drop_separator,
}


def _tokens_of(value: JSONValue, style: TextStyle) -> tuple[Tokens, random.Random]:
    # A scalar member guarantees a place for every fault (a name, a value, a separator).
    if isinstance(value, dict) and not any(
        isinstance(v, str | int | float | bool) or v is None for v in value.values()
    ):
        value = {**value, "temperature": 0.8}
    rng = random.Random(style.seed)  # noqa: S311 - varies spelling, not security
    return list(tokens(value, style, rng)), rng


@st.composite
def _faulty(draw: st.DrawFn, name: str) -> Case:
    value = unstructure(draw(documents))
    style = draw(text_styles)
    parts, rng = _tokens_of(value, style)
    text = join(_FAULTS[name](parts, rng), style, rng)
    return Case("malformed", text, f"malformed.{name}", mutation=name, style=style)


def _garbage(text: str, garbage: str) -> str:
    return text + garbage


_EXTREMES: dict[str, st.SearchStrategy[tuple[str, str]]] = {
    "empty": st.sampled_from(["", " ", "\n", " \t\r\n"]).map(lambda t: (t, "empty text")),
    "trailing-garbage": st.tuples(
        documents.map(lambda d: dumps_compact(unstructure(d))),
        st.sampled_from(["x", "}", "]", " 1", "{}", ",", "null", "\x00", " /"]),
    ).map(lambda p: (_garbage(*p), f"followed by {p[1]!r}")),
    "truncated": st.integers(10_000, 200_000).map(
        lambda n: ('{"tools":[{"parameters":' + "[" * n, f"{n} unclosed arrays")
    ),
    "trailing-comma": st.integers(10_000, 50_000).map(
        lambda n: (
            "{" + ",".join(f'"m{i}":{i}' for i in range(n)) + ",}",
            f"{n} members, then a trailing comma",
        )
    ),
    "control-character": st.integers(100_000, 1_000_000).map(
        lambda n: ('{"instructions":"' + "x" * n + '\x01"}', f"a {n}-character string with U+0001")
    ),
}


def dumps_compact(value: object) -> str:
    """Spell *value* compactly (broken cases keep the valid part canonical)."""
    return join(list(tokens(value)), TextStyle(), random.Random(0))  # noqa: S311 - spelling only


def _malformed_by_name() -> dict[str, list[st.SearchStrategy[Case]]]:
    by_name: dict[str, list[st.SearchStrategy[Case]]] = {}
    for name in _FAULTS:
        by_name.setdefault(name, []).append(_faulty(name))
    for name, strategy in _EXTREMES.items():
        by_name.setdefault(name, []).append(strategy.map(functools.partial(_pair_case, name)))
    return by_name


def _pair_case(name: str, pair: tuple[str, str]) -> Case:
    return Case("malformed", pair[0], f"malformed.{name}", mutation=pair[1])


_MALFORMED = _malformed_by_name()
FAULT_NAMES = tuple(sorted(_MALFORMED))
"""The kinds of malformed text, as in the rule ids ``malformed.<name>``."""


def _pick(
    by_name: dict[str, list[st.SearchStrategy[Case]]], names: Sequence[str] | None, what: str
) -> st.SearchStrategy[Case]:
    chosen = list(names) if names is not None else sorted(by_name)
    if unknown := sorted(set(chosen) - set(by_name)):
        raise ValueError(f"no {what} case is called {', '.join(unknown)}")
    # Every kind equally likely, whatever number of generators it has.
    return st.sampled_from(chosen).flatmap(lambda name: st.one_of(*by_name[name]))


def malformed_documents(names: Sequence[str] | None = None) -> st.SearchStrategy[Case]:
    """Texts that are not one JSON text (RFC 8259); every implementation must reject them.

    *names* narrows the kinds (`FAULT_NAMES`); by default all are drawn, equally often.
    """
    return _pick(_MALFORMED, names, "malformed")


# Implementation-defined ----------------------------------------------------------------


def _with(value: dict[str, JSONValue], path: tuple[str, ...], raw: object) -> dict[str, object]:
    out: dict[str, object] = dict(value)
    if len(path) == 1:
        out[path[0]] = raw
        return out
    child = value.get(path[0])
    out[path[0]] = _with(child if isinstance(child, dict) else {}, path[1:], raw)
    return out


_INTEGER_MEMBERS = (
    ("client_secret", "expires_at"),
    ("max_response_output_tokens",),
    ("turn_detection", "prefix_padding_ms"),
    ("turn_detection", "silence_duration_ms"),
)
_SPELLINGS = {
    "integer-spelling": ("1.0", "1e3", "1E3", "4096.0", "1.5e3", "1234567890.0", "10E-1"),
    "integer-precision": (
        str(MAX_SAFE_INTEGER + 1),
        str(-MAX_SAFE_INTEGER - 1),
        str(2**63),
        str(2**64),
        "1" + "0" * 30,
        "9" * 5000,
    ),
    "number-range": ("1e400", "-1e400", "1.8e308", "1e99999"),
}
_NUMBER_PLACES = {
    "integer-spelling": _INTEGER_MEMBERS,
    "integer-precision": (*_INTEGER_MEMBERS, ("unknown_number",)),
    "number-range": (("temperature",), ("turn_detection", "threshold"), ("unknown_number",)),
}


@st.composite
def _odd_number(draw: st.DrawFn, name: str) -> Case:
    spelling = draw(st.sampled_from(_SPELLINGS[name]))
    path = draw(st.sampled_from(_NUMBER_PLACES[name]))
    value = _with(unstructure(draw(documents)), path, Raw(spelling))
    style = draw(text_styles)
    text = join(list(tokens(value, style)), style, random.Random(style.seed))  # noqa: S311
    return Case(
        "implementation-defined",
        text,
        f"implementation-defined.{name}",
        mutation=f"{'/'.join(path)} spelled {spelling[:40]}",
        style=style,
    )


def _duplicate(value: dict[str, JSONValue], name: str, first: JSONValue) -> str:
    rest = dumps_compact(value)
    member = dumps_compact({name: first})[1:-1]
    return "{" + member + ("," if rest != "{}" else "") + rest[1:]


def _lone(value: dict[str, JSONValue], escape: str, in_name: bool) -> str:
    """Spell *value* with one lone surrogate *escape*, in a member name or a string."""
    if in_name:
        body = dumps_compact(value)[1:-1]
        return "{" + body + ("," if body else "") + f'"{escape}":1' + "}"
    return dumps_compact({**value, "instructions": Raw(f'"{escape}"', "string")})


_LONE = ("\\ud800", "\\udfff", "\\udc00\\ud800", "\\uD83D")


def _impl_extremes() -> dict[str, st.SearchStrategy[Case]]:
    def case(rule: str, text: str, note: str) -> Case:
        return Case("implementation-defined", text, f"implementation-defined.{rule}", mutation=note)

    known_twice = st.builds(
        lambda v, n, first: case(
            "duplicate-name", _duplicate({**v, n: v.get(n, 0.8)}, n, first), f"{n!r} twice"
        ),
        documents.map(unstructure),
        st.sampled_from(["temperature", "voice", "tools", "id"]),
        st.sampled_from([2.0, "nova", None, 0.7]),
    )
    lone = st.builds(
        lambda v, esc, in_name: case(
            "lone-surrogate",
            _lone(v, esc, in_name),
            f"{esc} in a {'name' if in_name else 'string'}",
        ),
        documents.map(unstructure),
        st.sampled_from(_LONE),
        st.booleans(),
    )
    bom = documents.map(
        lambda d: case("byte-order-mark", "\ufeff" + dumps_compact(unstructure(d)), "BOM first")
    )
    deep = st.one_of(st.integers(65, 300), st.sampled_from([10_000, 100_000])).map(
        lambda n: case(
            "nesting-depth",
            '{"tools":[{"parameters":{"deep":' + "[" * n + "]" * n + "}}]}",
            f"{n + 4} levels of nesting",
        )
    )
    return {
        "duplicate-name": known_twice,
        "lone-surrogate": lone,
        "byte-order-mark": bom,
        "nesting-depth": deep,
    }


_IMPLEMENTATION_DEFINED = {
    **{name: [_odd_number(name)] for name in _SPELLINGS},
    **{name: [strategy] for name, strategy in _impl_extremes().items()},
}
IMPLEMENTATION_DEFINED_NAMES = tuple(sorted(_IMPLEMENTATION_DEFINED))
"""The kinds of implementation-defined text, as in ``implementation-defined.<name>``."""


def _nest(levels: int) -> str:
    return '{"tools":[{"parameters":{"deep":' + "[" * levels + "]" * levels + "}}]}"


def boundary_cases(kind: str, name: str) -> list[Case]:
    """Cases a certification sends first for one malformed or implementation-defined kind.

    The extremes (deepest, longest, widest) and one instance of every spelling, so that a
    crash on 100,000 levels of nesting is found on every run, not on a lucky one.
    """
    base = {"temperature": 0.8, "instructions": "x", "tools": [{"name": "f"}]}
    if kind == "malformed":
        rng = random.Random(0)  # noqa: S311 - spelling only
        texts = (
            []
            if name not in _FAULTS
            else [join(_FAULTS[name](list(tokens(base)), rng), TextStyle(), rng)]
        )
        texts += {
            "truncated": ['{"tools":[{"parameters":' + "[" * 100_000],
            "trailing-comma": ["{" + ",".join(f'"m{i}":{i}' for i in range(50_000)) + ",}"],
            "control-character": ['{"instructions":"' + "x" * 1_000_000 + '\x01"}'],
            "empty": ["", " \t\r\n"],
            "trailing-garbage": ['{"temperature":0.8}x', "{}{}"],
            "non-finite": [
                '{"x-extra":NaN}',
                '{"tools":[{"parameters":{"x":Infinity}}]}',
                '{"temperature":-Infinity}',
            ],
        }.get(name, [])
        return [
            Case("malformed", t, f"malformed.{name}", mutation=f"{name} (pinned)") for t in texts
        ]
    texts = {
        "nesting-depth": [_nest(61), _nest(10_000), _nest(100_000)],
        "byte-order-mark": ["\ufeff{}"],
        "duplicate-name": ['{"temperature":0.8,"temperature":2.0}'],
        "lone-surrogate": ['{"instructions":"\\ud800"}', '{"\\udfff":1}'],
    }.get(name, [])
    texts += [
        dumps_compact(_with({}, _NUMBER_PLACES[name][0], Raw(spelling)))
        for spelling in _SPELLINGS.get(name, ())
    ]
    return [
        Case(
            "implementation-defined",
            t,
            f"implementation-defined.{name}",
            mutation=f"{name} (pinned)",
        )
        for t in texts
    ]


def implementation_defined_documents(
    names: Sequence[str] | None = None,
) -> st.SearchStrategy[Case]:
    """JSON texts whose treatment RFC 8259 leaves open: any answer but a crash or a hang.

    *names* narrows the kinds (`IMPLEMENTATION_DEFINED_NAMES`).
    """
    return _pick(_IMPLEMENTATION_DEFINED, names, "implementation-defined")
