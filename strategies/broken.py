"""Texts that are not JSON, and JSON at the edge of what parsers must handle.

Both start from a valid document spelled as tokens, then change the text at one place,
so the fault sits inside realistic content rather than in a toy string; the very deep,
very long and very wide texts are built directly, because generating them value by
value would take seconds each.
"""

from __future__ import annotations

import functools
import random
import zlib
from collections.abc import Callable, Mapping, Sequence

import attrs
from hypothesis import reject
from hypothesis import strategies as st

from strategies.cases import Case
from strategies.codec import unstructure
from strategies.errors import DocumentError, MalformedDocument
from strategies.jsontext import MAX_SAFE_INTEGER, Raw, TextStyle, Token, join, parse, tokens
from strategies.model import JSONValue, RealtimeSessionCreateResponse
from strategies.valid import base_documents, documents, text_styles, valid_case
from strategies.values import put

__all__ = [
    "FAULT_NAMES",
    "IMPLEMENTATION_DEFINED_NAMES",
    "boundary_cases",
    "implementation_defined_documents",
    "is_malformed",
    "malformed_documents",
]

Tokens = list[Token]

_VALUES = ("string", "number", "literal")
_TRIES = 8
_TEMPERATURE = 0.8


def is_malformed(text: str) -> bool:
    r"""Tell whether *text* is not one JSON text, by the strict parser.

    A fault can leave JSON behind (cutting ``\\u12`` into ``"ab"`` gives ``\\u12ab``), and
    JSON outside the portable subset is implementation-defined, not malformed: a case is
    labelled malformed only when this holds on its final text.
    """
    try:
        parse(text)
    except MalformedDocument:
        return True
    except DocumentError:
        return False
    return False


@attrs.frozen
class _Fault:
    """One kind of malformed text: how to break a token list with one of its spellings."""

    apply: Callable[[Tokens, random.Random, str], Tokens]
    spellings: tuple[str, ...] = ("",)
    """What the fault writes; each is sent once, first, on every run."""


def _at(parts: Tokens, rng: random.Random, kinds: tuple[str, ...]) -> int:
    places = [i for i, t in enumerate(parts) if t.kind in kinds]
    return rng.choice(places)


def _junk(text: str) -> Token:
    return Token(",", text)


def _insert(parts: Tokens, index: int, text: str) -> Tokens:
    return [*parts[:index], _junk(text), *parts[index:]]


def _swap(parts: Tokens, index: int, token: Token) -> Tokens:
    return [*parts[:index], token, *parts[index + 1 :]]


def _value(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    # Any value: in a known member, validation may reject the document anyway (a lenient
    # parser hides there); in an unknown member or a tool's parameters it cannot.
    return _swap(parts, _at(parts, rng, _VALUES), Token("number", spelling))


def _inside_string(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    index = _at(parts, rng, ("string", "name"))
    text = parts[index].text
    cut = rng.randint(1, len(text) - 1)
    # Never split an escape: move the cut back to before the backslash run.
    while cut > 1 and text[cut - 1] == "\\":
        cut -= 1
    return _swap(parts, index, Token("string", text[:cut] + spelling + text[cut:]))


def _between(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    return _insert(parts, rng.randint(0, len(parts)), spelling)


def _inside(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    return _insert(parts, rng.randint(1, len(parts) - 1), spelling)


def _after(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    del rng
    return [*parts, _junk(spelling)]


def _truncate(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    del spelling
    keep = rng.randint(1, len(parts) - 1)
    last = parts[keep - 1]
    if last.kind == "string" and len(last.text) > 1 and rng.random() < 0.5:
        return [
            *parts[: keep - 1],
            Token("string", last.text[: rng.randint(1, len(last.text) - 1)]),
        ]
    return parts[:keep]


def _trailing_comma(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    del spelling
    places = [i for i, t in enumerate(parts) if t.kind in "}]" and parts[i - 1].kind not in "{["]
    return _insert(parts, rng.choice(places), ",")


def _double_comma(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    return _insert(parts, _at(parts, rng, (",",)), spelling)


def _leading_comma(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    places = [
        i + 1 for i, t in enumerate(parts[:-1]) if t.kind in "{[" and parts[i + 1].kind not in "}]"
    ]
    return _insert(parts, rng.choice(places), spelling)


def _separator(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    return _swap(parts, _at(parts, rng, (":", ",")), _junk(spelling))


def _drop_separator(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    del spelling
    index = _at(parts, rng, (":", ","))
    return parts[:index] + parts[index + 1 :]


def _missing_name(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    del spelling
    index = _at(parts, rng, ("name",))
    return parts[:index] + parts[index + 1 :]


def _missing_value(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    del spelling
    places = [i for i, t in enumerate(parts) if t.kind in _VALUES and parts[i - 1].kind == ":"]
    index = rng.choice(places)
    return parts[:index] + parts[index + 1 :]


def _name(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    return _swap(parts, _at(parts, rng, ("name",)), Token("name", spelling))


def _unquoted_name(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    del spelling
    index = _at(parts, rng, ("name",))
    bare = parts[index].text[1:-1]
    bare = bare if bare.isidentifier() else rng.choice(["temperature", "voice", "x"])
    return _swap(parts, index, Token("name", bare))


def _single_quote(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    del spelling
    index = _at(parts, rng, ("string", "name"))
    return _swap(parts, index, Token("string", "'" + parts[index].text[1:-1] + "'"))


def _mismatched(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    del spelling
    index = _at(parts, rng, ("}", "]"))
    other = "]" if parts[index].kind == "}" else "}"
    return _swap(parts, index, _junk(other))


def _escape_outside(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    if rng.random() < 0.5:
        return _between(parts, rng, spelling)
    return _swap(parts, _at(parts, rng, _VALUES), Token("number", spelling))


def _nul(parts: Tokens, rng: random.Random, spelling: str) -> Tokens:
    # After the document is where a parser that stops at NUL (C strings) accepts it.
    if spelling.startswith("\x00"):
        return _after(parts, rng, spelling)
    return _inside(parts, rng, spelling)


_FAULTS: dict[str, _Fault] = {
    "truncated": _Fault(_truncate),
    "trailing-comma": _Fault(_trailing_comma),
    "double-comma": _Fault(_double_comma, (",", ", ,")),
    "leading-comma": _Fault(_leading_comma, (",",)),
    "wrong-separator": _Fault(_separator, (";", "=", "=>", "::")),
    "missing-separator": _Fault(_drop_separator),
    "missing-name": _Fault(_missing_name),
    "missing-value": _Fault(_missing_value),
    "non-string-name": _Fault(_name, ("1", "null", "true", "-0", "[]", "{}")),
    "unquoted-name": _Fault(_unquoted_name),
    "single-quote": _Fault(_single_quote),
    "mismatched-brackets": _Fault(_mismatched),
    "comment": _Fault(_between, ("/* note */", "// note\n", "# note\n", "/**/")),
    "non-finite": _Fault(
        _value, ("NaN", "Infinity", "-Infinity", "+Infinity", "nan", "inf", "-NaN", "Inf", "+NaN")
    ),
    "number-syntax": _Fault(
        _value,
        (
            "01",
            "-01",
            "+1",
            "00",
            ".5",
            "-.5",
            "1.",
            "1.e3",
            "-",
            "1e",
            "1e+",
            "1E-",
            "0x1F",
            "1_000",
            "- 1",
        ),
    ),
    "bad-literal": _Fault(_value, ("True", "NULL", "nul", "undefined", "None", "tru", "False")),
    "control-character": _Fault(_inside_string, tuple(chr(c) for c in (0, 1, 9, 10, 13, 31))),
    "invalid-escape": _Fault(
        _inside_string, ("\\x41", "\\u12", "\\U0041", "\\'", "\\a", "\\u00G0", "\\ ", "\\0")
    ),
    "escape-after-surrogate": _Fault(
        _inside_string,
        ("\\ud83d\\x41", "\\ud800\\u12", "\\udbff\\U0001F600", "\\ud83d\\ ", "\\ud83d\\a"),
    ),
    "escape-outside-string": _Fault(
        _escape_outside, ("\\n", "\\u0020", "\\t", "\\u0031", '\\"x\\"')
    ),
    "bad-whitespace": _Fault(
        _between, ("\x0b", "\x0c", "\xa0", "\u2028", "\u2029", "\u3000", "\x85", "\u200b")
    ),
    "nul": _Fault(_nul, ("\x00", "\x00x", "\x00\x00", " \x00")),
    "trailing-garbage": _Fault(_after, ("x", "}", "]", " 1", "{}", ",", "null", " /", '""')),
}
"""Faults made by breaking a valid document's tokens, at a place drawn per case."""


def _tokens_of(value: dict[str, JSONValue], style: TextStyle) -> tuple[Case, Tokens, random.Random]:
    """Return the unbroken document as a case, its tokens, and the style's random source.

    Two members, one of them a scalar, guarantee a place for every fault (a name, a value,
    a comma, a colon); the document is completed with known members when it has fewer.
    """
    if not any(isinstance(v, str | int | float | bool) or v is None for v in value.values()):
        value = {**value, "temperature": value.get("temperature", _TEMPERATURE)}
    if len(value) < 2:
        value = (
            {**value, "voice": "alloy"}
            if "voice" not in value
            else {**value, "temperature": _TEMPERATURE}
        )
    rng = random.Random(style.seed)  # noqa: S311 - varies spelling, not security
    parts = list(tokens(value, style, rng))
    spelling = random.Random(style.seed)  # noqa: S311 - spelling only
    base = Case("valid", join(parts, style, spelling), None, expected=value, style=style)
    return base, parts, rng


def _broken(
    name: str, base: Case, parts: Tokens, rng: random.Random, spelling: str | None
) -> Case | None:
    """Break *parts* with the fault *name*; None when every try left JSON behind."""
    fault = _FAULTS[name]
    style = base.style or TextStyle()
    for _ in range(_TRIES):
        chosen = rng.choice(fault.spellings) if spelling is None else spelling
        text = join(fault.apply(parts, rng, chosen), style, rng)
        if is_malformed(text):
            label = f"{name}: {chosen!r}" if chosen else name
            return Case(
                "malformed", text, f"malformed.{name}", mutation=label, style=style, base=base
            )
    return None


@st.composite
def _faulty(
    draw: st.DrawFn, name: str, accepted: Sequence[object], fresh: st.SearchStrategy[object]
) -> Case:
    value = unstructure(draw(base_documents(accepted, fresh)))
    base, parts, rng = _tokens_of(value, draw(text_styles))
    case = _broken(name, base, parts, rng, None)
    if case is None:
        reject()
    return case


def _uniform(options: Sequence[str]) -> st.SearchStrategy[str]:
    """Draw one of *options* with even weights (Hypothesis favours the first of a sample)."""
    return st.integers(0, 2**32 - 1).map(
        lambda n: options[zlib.crc32(n.to_bytes(8, "big")) % len(options)]
    )


_EMPTY_DOCUMENT = RealtimeSessionCreateResponse()
_BOM_ONLY = ("\ufeff", "\ufeff\n", "\ufeff\ufeff", "\ufeff ")
_EMPTY = ("", " ", "\n", " \t\r\n")
_EXTREMES: dict[str, st.SearchStrategy[tuple[str, str]]] = {
    "empty": _uniform(_EMPTY).map(lambda t: (t, "empty text")),
    "bom-only": _uniform(_BOM_ONLY).map(lambda t: (t, f"{t!r}: a byte order mark, no JSON text")),
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
"""Texts built directly: no document to break, or too large to spell token by token."""


def dumps_compact(value: object) -> str:
    """Spell *value* compactly (broken cases keep the valid part canonical)."""
    return join(list(tokens(value)), TextStyle(), random.Random(0))  # noqa: S311 - spelling only


def _pair_case(name: str, pair: tuple[str, str]) -> Case:
    return Case("malformed", pair[0], f"malformed.{name}", mutation=pair[1])


FAULT_NAMES = tuple(sorted({*_FAULTS, *_EXTREMES}))
"""The kinds of malformed text, as in the rule ids ``malformed.<name>``."""


def _pick(
    by_name: Mapping[str, Sequence[st.SearchStrategy[Case]]], names: Sequence[str] | None, what: str
) -> st.SearchStrategy[Case]:
    chosen = list(names) if names is not None else sorted(by_name)
    if unknown := sorted(set(chosen) - set(by_name)):
        raise ValueError(f"no {what} case is called {', '.join(unknown)}")
    # Every kind equally likely, whatever number of generators it has.
    return st.sampled_from(chosen).flatmap(lambda name: st.one_of(*by_name[name]))


def malformed_documents(
    names: Sequence[str] | None = None,
    accepted: Sequence[object] = (),
    fresh: st.SearchStrategy[object] = documents,
) -> st.SearchStrategy[Case]:
    """Texts that are not one JSON text (RFC 8259); every implementation must reject them.

    *names* narrows the kinds (`FAULT_NAMES`); by default all are drawn, equally often.
    A case made by breaking a valid document carries it as its base; half the bases come
    from *accepted*, the rest from *fresh* (see `valid.base_documents`; by default the
    seed revision's documents).
    """
    bases = tuple(accepted)
    by_name: dict[str, list[st.SearchStrategy[Case]]] = {}
    for name in _FAULTS:
        by_name.setdefault(name, []).append(_faulty(name, bases, fresh))
    for name, strategy in _EXTREMES.items():
        by_name.setdefault(name, []).append(strategy.map(functools.partial(_pair_case, name)))
    return _pick(by_name, names, "malformed")


def _malformed_boundaries(name: str, accepted: Sequence[object], minimal: object) -> list[Case]:
    """One case per spelling of fault *name* on the shortest accepted base, and the extremes."""
    cases: list[Case] = []
    if name in _FAULTS:
        bases = [valid_case(d) for d in accepted] or [valid_case(minimal)]
        document = min(bases, key=lambda case: len(case.text)).expected
        assert isinstance(document, dict)  # noqa: S101 - a document is an object
        for index, spelling in enumerate(_FAULTS[name].spellings):
            base, parts, rng = _tokens_of(document, TextStyle(seed=index))
            if case := _broken(name, base, parts, rng, spelling):
                cases.append(case)
    texts = {
        "truncated": ['{"tools":[{"parameters":' + "[" * 100_000],
        "trailing-comma": ["{" + ",".join(f'"m{i}":{i}' for i in range(50_000)) + ",}"],
        "control-character": ['{"instructions":"' + "x" * 1_000_000 + '\x01"}'],
        "empty": list(_EMPTY),
        "bom-only": list(_BOM_ONLY),
        "trailing-garbage": ["{}{}"],
        "nul": ['{"temperature":0.8}\x00'],
        # Where validation cannot reject: a lenient parser's acceptance shows.
        "non-finite": [
            '{"x-extra":NaN}',
            '{"tools":[{"parameters":{"x":Infinity}}]}',
            '{"temperature":-Infinity}',
        ],
        "bad-whitespace": ['{"x-extra":\xa01}', '{"x-extra":\u20281}', "\x0b{}", "{}\x0c"],
    }.get(name, [])
    return cases + [
        Case("malformed", t, f"malformed.{name}", mutation=f"{name} (pinned)") for t in texts
    ]


# Implementation-defined ----------------------------------------------------------------


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
    value = put(unstructure(draw(documents)), path, Raw(spelling))
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


def boundary_cases(
    kind: str,
    name: str,
    accepted: Sequence[object] = (),
    minimal: object = _EMPTY_DOCUMENT,
) -> list[Case]:
    """Cases a certification sends first for one malformed or implementation-defined kind.

    Every spelling of a malformed kind, on the shortest of the *accepted* documents (the
    revision's smallest document, by default the empty one, if none); the extremes
    (deepest, longest, widest) and one instance of every implementation-defined spelling,
    so that a crash on 100,000 levels of nesting is found on every run, not on a lucky one.
    """
    if kind == "malformed":
        return _malformed_boundaries(name, accepted, minimal)
    texts = {
        "nesting-depth": [_nest(61), _nest(10_000), _nest(100_000)],
        "byte-order-mark": ["\ufeff{}"],
        "duplicate-name": ['{"temperature":0.8,"temperature":2.0}'],
        "lone-surrogate": ['{"instructions":"\\ud800"}', '{"\\udfff":1}'],
    }.get(name, [])
    texts += [
        dumps_compact(put({}, _NUMBER_PLACES[name][0], Raw(spelling)))
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
