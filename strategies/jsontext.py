"""JSON text, strictly: parsing per RFC 8259, I-JSON equality, and varied rendering.

Conformance is judged on text, not on Python values, so the suite needs its own view of
three things the standard library leaves loose: which texts are JSON at all (``json``
accepts NaN and lone surrogates), when two documents are equal (RFC 7493: numbers as
binary64, integer members exactly), and how many ways one value can be spelled.
"""

from __future__ import annotations

import functools
import json
import math
import random
import re
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from typing import Literal, NamedTuple

import attrs

from strategies.errors import ImplementationDefinedInput, MalformedDocument
from strategies.model import JSONValue

__all__ = [
    "MAX_DEPTH",
    "MAX_SAFE_INTEGER",
    "Raw",
    "TextStyle",
    "Token",
    "depth",
    "difference",
    "dumps",
    "is_plain_integer",
    "join",
    "parse",
    "render",
    "spell_number",
    "tokens",
]

MAX_DEPTH = 64
MAX_SAFE_INTEGER = 2**53 - 1
WHITESPACE = " \t\n\r"

# Possessive quantifiers: an unterminated string of a million characters must not backtrack.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")


def depth(text: str) -> tuple[int, bool]:
    """Return the deepest nesting of brackets outside strings, and whether they balance.

    Counted without recursion, so that a text 100,000 levels deep costs nothing.
    """
    level = deepest = 0
    balanced = True
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
            balanced = balanced and level >= 0
    return deepest, balanced and level == 0


def _no_constant(name: str) -> float:
    raise MalformedDocument(f"{name} is not a JSON number")


def _finite(spelling: str) -> float:
    value = float(spelling)
    if math.isinf(value):
        raise ImplementationDefinedInput(
            "implementation-defined.number-range", f"{spelling[:40]} is beyond binary64 range"
        )
    return value


def _safe_integer(spelling: str) -> int:
    if len(spelling.lstrip("-")) > 16 or abs(value := int(spelling)) > MAX_SAFE_INTEGER:
        raise ImplementationDefinedInput(
            "implementation-defined.integer-precision",
            f"{spelling[:40]} is beyond ±(2^53-1)",
        )
    return value


def _unique_names(pairs: list[tuple[str, JSONValue]]) -> dict[str, JSONValue]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        name = next(n for n, _ in pairs if n in seen or seen.add(n))  # type: ignore[func-returns-value]
        raise ImplementationDefinedInput(
            "implementation-defined.duplicate-name", f"the name {name!r} occurs twice"
        )
    return result


def _check_scalars(value: JSONValue) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and _SURROGATE.search(item):
            raise ImplementationDefinedInput(
                "implementation-defined.lone-surrogate", "a string holds a lone surrogate"
            )


def parse(text: str, *, max_depth: int = MAX_DEPTH, safe_integers: bool = True) -> JSONValue:
    """Parse one JSON text, refusing what RFC 8259 and this rulebook do not guarantee.

    Raises `MalformedDocument` for text that is not JSON and
    `ImplementationDefinedInput` for JSON outside the portable subset (duplicate names,
    lone surrogates, unsafe integers, infinite numbers, a byte order mark, nesting
    deeper than *max_depth*). With *safe_integers* off, integers of any size are kept
    (for reading output, where ``1e20`` may come back as an integer literal).
    """
    if text.startswith("\ufeff"):
        parse(text[1:], max_depth=max_depth, safe_integers=safe_integers)  # malformed stays so
        raise ImplementationDefinedInput(
            "implementation-defined.byte-order-mark", "the text starts with a byte order mark"
        )
    found, balanced = depth(text)
    if found > max_depth and not balanced:
        raise MalformedDocument(f"{found} levels of brackets that do not balance")
    if found > max_depth:
        raise ImplementationDefinedInput(
            "implementation-defined.nesting-depth",
            f"nesting depth {found} is deeper than {max_depth}",
        )
    try:
        value: JSONValue = json.loads(
            text,
            parse_constant=_no_constant,
            parse_float=_finite,
            parse_int=_safe_integer if safe_integers else int,
            object_pairs_hook=_unique_names,
        )
    except json.JSONDecodeError as error:
        raise MalformedDocument(f"{error.msg} at character {error.pos}") from None
    except RecursionError:
        raise MalformedDocument("nesting too deep to parse") from None
    except ValueError as error:  # int() refuses thousands of digits
        raise ImplementationDefinedInput(
            "implementation-defined.integer-precision", str(error)
        ) from None
    _check_scalars(value)
    return value


def dumps(value: JSONValue) -> str:
    """Serialize compactly, keeping every code point as it is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# Equality ------------------------------------------------------------------------------

Path = tuple[str, ...]


def _kind(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _numbers_equal(expected: float, actual: float, *, exact: bool) -> bool:
    if exact:
        # Python compares int with float by their exact values, which is what an integer
        # member needs: 2**53 + 1 never equals its binary64 neighbour.
        return expected == actual
    try:
        return float(expected) == float(actual)
    except OverflowError:
        return False


def _pairs(
    expected: JSONValue, actual: JSONValue, where: str
) -> str | list[tuple[str, JSONValue, JSONValue]]:
    """Pair up the children of two containers of one kind, or say why they cannot pair."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if missing := expected.keys() - actual.keys():
            return f"{where}: member {min(missing)!r} is missing"
        if added := actual.keys() - expected.keys():
            return f"{where}: member {min(added)!r} was added"
        return [(name, item, actual[name]) for name, item in expected.items()]
    assert isinstance(expected, list)  # noqa: S101 - callers pass containers of one kind
    assert isinstance(actual, list)  # noqa: S101 - same
    if len(expected) != len(actual):
        return f"{where}: expected {len(expected)} items, got {len(actual)}"
    return [(str(i), left, right) for i, (left, right) in enumerate(zip(expected, actual))]  # noqa: B905 - lengths checked


def difference(
    expected: JSONValue,
    actual: JSONValue,
    *,
    is_integer_member: Callable[[Path], bool] = lambda _: False,
    path: Path = (),
) -> str | None:
    """Return where and how *actual* differs from *expected* under I-JSON equality, or None.

    Objects compare unordered, arrays ordered, strings by code points, members that
    *is_integer_member* names exactly, every other number as a binary64 value.
    """
    where = "/" + "/".join(path)
    mismatch = f"{where}: expected {_show(expected)}, got {_show(actual)}"
    if _kind(expected) != _kind(actual):
        return mismatch
    if isinstance(expected, dict | list):
        pairs = _pairs(expected, actual, where)
        if isinstance(pairs, str):
            return pairs
        for key, left, right in pairs:
            found = difference(left, right, is_integer_member=is_integer_member, path=(*path, key))
            if found:
                return found
        return None
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        exact = is_integer_member(path)
        return None if _numbers_equal(expected, actual, exact=exact) else mismatch
    return None if expected == actual else mismatch


def _show(value: JSONValue) -> str:
    text = dumps(value) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# Rendering -----------------------------------------------------------------------------

TokenKind = Literal["{", "}", "[", "]", ":", ",", "name", "string", "number", "literal"]


class Token(NamedTuple):
    """One token of a JSON text, tagged so that mutations can find their place.

    A named tuple rather than an attrs class: documents are spelled token by token, and
    tuples are the cheapest objects Python builds.
    """

    kind: TokenKind
    text: str


@attrs.frozen
class Raw:
    """A value spelled by hand, placed in a value tree to reach text JSON values cannot hold.

    Used for the broken cases: ``1e400``, an integer written ``1.0``, a lone surrogate.
    """

    text: str
    kind: TokenKind = "number"


@attrs.frozen
class TextStyle:
    """How to spell a value: the text-level freedom a JSON writer has.

    The default is compact, canonical text; every other choice must parse back to the
    same value.
    """

    whitespace: str = ""
    """Characters to put between tokens, from the four JSON whitespace characters."""
    max_run: int = 0
    escape_rate: float = 0.0
    """Share of characters in strings and names written as escapes."""
    vary_numbers: bool = False
    order: Literal["given", "reversed", "shuffled"] = "given"
    seed: int = 0


_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "/": "\\/",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
# Escaping every character of a very long string would make generation crawl; a prefix
# shows the parser the same escapes.
_ESCAPE_PREFIX = 64


@functools.lru_cache(maxsize=8192)
def _unicode_escape(char: str, upper: bool) -> str:
    code = ord(char)
    units = (
        [code]
        if code < 0x10000
        else [0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)]
    )
    spelled = "".join(f"\\u{unit:04x}" for unit in units)
    return spelled.upper().replace("\\U", "\\u") if upper else spelled


def _string(text: str, style: TextStyle, rng: random.Random) -> str:
    if not style.escape_rate:
        return encode_basestring(text)  # what json.dumps(text, ensure_ascii=False) returns
    parts = ['"']
    for char in text[:_ESCAPE_PREFIX]:
        if rng.random() < style.escape_rate:
            short = _SHORT_ESCAPES.get(char)
            parts.append(
                short if short and rng.random() < 0.5 else _unicode_escape(char, rng.random() < 0.5)
            )
        elif (char in _SHORT_ESCAPES and char != "/") or ord(char) < 0x20:
            parts.append(_SHORT_ESCAPES.get(char) or _unicode_escape(char, upper=False))
        else:
            parts.append(char)
    parts.append(encode_basestring(text[_ESCAPE_PREFIX:])[1:])
    return "".join(parts)


def spell_number(value: float, variant: int) -> str:
    """Spell a finite float one of several ways that all parse to the same binary64 value.

    *variant* picks the spelling: 0 shortest, 1 trailing zeros, 2 scientific ``d.ddde±x``,
    3 integer mantissa ``DDDE-x``, 4 plain decimal.
    """
    shortest = repr(value)
    sign = "-" if shortest.startswith("-") else ""
    mantissa, _, exponent = shortest.lstrip("-").partition("e")
    whole, _, fraction = mantissa.partition(".")
    # Bring the value to sign * digits * 10**scale with no redundant zeros.
    significant = (whole + fraction).lstrip("0")
    digits = significant.rstrip("0") or "0"
    scale = int(exponent or 0) - len(fraction) + len(significant) - len(digits)
    if digits == "0":
        scale = 0
    match variant % 5:
        case 1 if "e" not in shortest:
            return f"{sign}{whole}.{fraction or '0'}00"
        case 2:
            head, tail = digits[0], digits[1:] or "0"
            return f"{sign}{head}.{tail}e{scale + len(digits) - 1:+d}"
        case 3:
            return f"{sign}{digits}E{scale}"
        case 4 if abs(scale) <= 30 and len(digits) + abs(scale) <= 60:
            if scale >= 0:
                return f"{sign}{digits}{'0' * scale}.0"
            padded = digits.rjust(-scale + 1, "0")
            return f"{sign}{padded[:scale]}.{padded[scale:]}"
        case _:
            return shortest


def _object(item: dict[str, object], style: TextStyle, rng: random.Random) -> list[object]:
    members = list(item.items())
    if style.order == "reversed":
        members.reverse()
    elif style.order == "shuffled":
        rng.shuffle(members)
    pending: list[object] = [Token("{", "{")]
    for index, (name, member) in enumerate(members):
        if index:
            pending.append(Token(",", ","))
        pending += [Token("name", _string(name, style, rng)), Token(":", ":"), member]
    pending.append(Token("}", "}"))
    return pending


def _array(item: list[object]) -> list[object]:
    pending: list[object] = [Token("[", "[")]
    for index, element in enumerate(item):
        if index:
            pending.append(Token(",", ","))
        pending.append(element)
    pending.append(Token("]", "]"))
    return pending


def _scalar(item: object, style: TextStyle, rng: random.Random) -> Token:
    if isinstance(item, Raw):
        return Token(item.kind, item.text)
    if isinstance(item, str):
        return Token("string", _string(item, style, rng))
    if isinstance(item, bool) or item is None:
        return Token("literal", _literal(item))
    return Token("number", _number(item, style, rng))


def _literal(item: bool | None) -> str:
    return "null" if item is None else ("true" if item else "false")


def _number(item: object, style: TextStyle, rng: random.Random) -> str:
    """Spell a number as ``json.dumps`` does (or varied, in *style*), without its overhead."""
    if isinstance(item, float):
        if style.vary_numbers:
            return spell_number(item, rng.randrange(5))
        if math.isfinite(item):
            return float.__repr__(item)
    elif isinstance(item, int):
        return int.__repr__(item)
    return json.dumps(item)


def _texts(value: object, style: TextStyle, rng: random.Random, out: list[str]) -> None:
    """Append the texts of the tokens of *value* to *out*: `tokens`' texts, drawn alike.

    Recursive, and several times faster than `tokens` (no token objects, no generator):
    spelling is a third of the cost of a case. A value nested deeper than the stack
    allows raises `RecursionError`, and `render` spells it with `tokens`.
    """
    if isinstance(value, str):
        out.append(_string(value, style, rng))
    elif isinstance(value, dict):
        _object_texts(value, style, rng, out)
    elif isinstance(value, list):
        out.append("[")
        for index, element in enumerate(value):
            if index:
                out.append(",")
            _texts(element, style, rng, out)
        out.append("]")
    elif isinstance(value, Raw):
        out.append(value.text)
    elif isinstance(value, bool) or value is None:
        out.append(_literal(value))
    else:
        out.append(_number(value, style, rng))


def tokens(
    value: object,
    style: TextStyle = TextStyle(),
    rng: random.Random | None = None,
) -> Iterator[Token]:
    """Yield the tokens of *value* spelled in *style*, without recursion (depth is free)."""
    rng = rng or random.Random(style.seed)  # noqa: S311 - varies spelling, not security
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Token):
            yield item
        elif isinstance(item, dict):
            stack.extend(reversed(_object(item, style, rng)))
        elif isinstance(item, list):
            stack.extend(reversed(_array(item)))
        else:
            yield _scalar(item, style, rng)


def _object_texts(
    value: dict[str, object], style: TextStyle, rng: random.Random, out: list[str]
) -> None:
    members = list(value.items())
    if style.order == "reversed":
        members.reverse()
    elif style.order == "shuffled":
        rng.shuffle(members)
    # Every name is spelled before any member, as `_object` does: the same draws.
    names = [_string(name, style, rng) for name, _ in members]
    out.append("{")
    for index, (name, (_, member)) in enumerate(zip(names, members, strict=True)):
        if index:
            out.append(",")
        out += (name, ":")
        _texts(member, style, rng, out)
    out.append("}")


def join(parts: list[Token], style: TextStyle, rng: random.Random) -> str:
    """Join tokens with whitespace drawn from *style*."""
    return _join([t.text for t in parts], style, rng)


def _join(parts: list[str], style: TextStyle, rng: random.Random) -> str:
    if not (style.whitespace and style.max_run):
        return "".join(parts)

    # Sixteen gaps drawn once per text, then picked per token: as varied for a parser, and
    # far cheaper than drawing every gap afresh.
    gaps = [
        "".join(rng.choices(style.whitespace, k=rng.randint(0, style.max_run))) for _ in range(16)
    ]
    bits = rng.getrandbits(4 * (len(parts) + 1))
    out = [gaps[bits & 15]]
    for index, text in enumerate(parts, start=1):
        out += (text, gaps[(bits >> (4 * index)) & 15])
    return "".join(out)


def render(
    value: object,
    style: TextStyle = TextStyle(),
) -> str:
    """Spell *value* as JSON text in *style*; the text always parses back to *value*."""
    rng = random.Random(style.seed)  # noqa: S311 - varies spelling, not security
    texts: list[str] = []
    try:
        _texts(value, style, rng, texts)
    except RecursionError:  # deeper than the stack: the same text, token by token
        rng = random.Random(style.seed)  # noqa: S311 - the same draws again
        texts = [t.text for t in tokens(value, style, rng)]
    return _join(texts, style, rng)


def is_plain_integer(spelling: str) -> bool:
    """Tell whether a number token is an integer literal (no fraction, no exponent)."""
    return _PLAIN_INTEGER.fullmatch(spelling) is not None
