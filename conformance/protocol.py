"""Testee protocol v1 as data: the messages, their strict parsers and the request lines.

The messages are frozen attrs classes; ``schemas/protocol-v1.json`` states the same
shapes as a JSON Schema for testee authors. The parsers check a line by hand instead of
with that schema, so that the runner needs no JSON Schema library at run time, and so
that every violation comes out as one sentence a testee author can act on. A test keeps
the two in step (see tests/conformance).
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any, Literal, NoReturn, TypeAlias, cast, get_args

import attrs

from conformance.errors import ProtocolViolation
from conformance.untrusted import clip

__all__ = [
    "ERROR_LIMIT",
    "HELLO_LIMIT",
    "PROTOCOL_VERSION",
    "Accepted",
    "Answer",
    "Claims",
    "Crashed",
    "Hello",
    "Implementation",
    "ProtocolFailure",
    "ProtocolViolation",
    "Rejected",
    "UnknownMembers",
    "Validation",
    "parse_answer",
    "parse_hello",
    "roundtrip_request",
    "schema",
    "show",
    "start_request",
    "stop_request",
]

PROTOCOL_VERSION = 1

HELLO_LIMIT = 1024
"""Characters kept of each string of the answer to ``start``; the rest is cut, with a marker."""
ERROR_LIMIT = 4096
"""Characters kept of the error of a rejection or a crash; the rest is cut, with a marker."""

Validation: TypeAlias = Literal["none", "schema", "documented"]
UnknownMembers: TypeAlias = Literal["preserve", "drop"]

# Each claim enforces the levels of every claim before it.
_VALIDATION_ORDER: tuple[Validation, ...] = get_args(Validation)
_PREVIEW = 80


@attrs.frozen
class Implementation:
    """Who the testee is, as it says in its answer to ``start``; shown in reports.

    Any string is taken as it is (empty, lone surrogates, control characters, markup):
    it is data, shown escaped and clipped to `HELLO_LIMIT` characters.
    """

    name: str
    version: str
    language: str
    homepage: str | None = None


@attrs.frozen
class Claims:
    """What the testee claims to enforce; the verdict for invalid documents depends on it."""

    validation: Validation = attrs.field(validator=attrs.validators.in_(get_args(Validation)))
    unknown_members: UnknownMembers = attrs.field(
        validator=attrs.validators.in_(get_args(UnknownMembers))
    )
    spec: str | None = None
    """The revision of the object the implementation targets (its date, such as
    ``2025-03-22``); optional, and a run certifies against it unless told otherwise."""

    def covers(self, level: str) -> bool:
        """Say whether a broken rule of *level* (``schema`` or ``documented``) must be rejected.

        ``documented`` covers both levels, ``schema`` covers schema rules only, and ``none``
        covers nothing: such a testee may accept any JSON text, if it returns it unchanged.
        """
        if level not in ("schema", "documented"):
            raise ValueError(f"unknown rule level {level!r}: expected schema or documented")
        return _VALIDATION_ORDER.index(self.validation) >= _VALIDATION_ORDER.index(
            cast("Validation", level)
        )


@attrs.frozen
class Hello:
    """The testee's answer to ``start``."""

    protocol: int
    implementation: Implementation
    claims: Claims


@attrs.frozen
class Accepted:
    """The testee accepted the document and serialized it back as *document*."""

    seq: int
    document: str


@attrs.frozen
class Rejected:
    """The testee rejected the document; *error* is for people and is never interpreted."""

    seq: int
    error: str


@attrs.frozen
class Crashed:
    """The library failed on the document in a way its users would not expect.

    ``"crash": true`` beside ``"ok": false`` (protocol 1.1): a null-pointer error or a
    key error is not a rejection, and fails the check whatever the case.
    """

    seq: int
    error: str


@attrs.frozen
class ProtocolFailure:
    """The testee did not answer by the protocol; not a message, but the outcome of a case.

    *reason* is one sentence without a final period; *stderr* is the tail of what the
    testee wrote to stderr, which is where a crash usually explains itself. *hung* says
    that the testee gave no answer in time, which the runner's hang budgets count.
    """

    reason: str
    stderr: str = ""
    hung: bool = False


Answer: TypeAlias = Accepted | Rejected | Crashed | ProtocolFailure


@functools.cache
def _cached_schema() -> dict[str, Any]:
    path = resources.files("conformance").joinpath("schemas").joinpath("protocol-v1.json")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def schema() -> dict[str, Any]:
    """Return the protocol's JSON Schema (a fresh copy, so callers may change it)."""
    return copy.deepcopy(_cached_schema())


# --- requests ---------------------------------------------------------------------------


def _line(message: dict[str, object]) -> str:
    # ensure_ascii: a lone surrogate cannot be encoded as UTF-8, but travels fine as an
    # escape such as \ud800, and an ASCII line survives any locale of the testee.
    return json.dumps(message, ensure_ascii=True, separators=(",", ":")) + "\n"


def start_request() -> str:
    """Return the ``start`` line, ended by a newline."""
    return _line({"cmd": "start", "protocol": PROTOCOL_VERSION})


def roundtrip_request(seq: int, document: str) -> str:
    """Return the ``roundtrip`` line for *document*, ended by a newline."""
    if not _is_integer(seq) or seq < 0:
        raise ValueError(f"seq must be a non-negative integer, not {seq!r}")
    return _line({"cmd": "roundtrip", "seq": seq, "document": document})


def stop_request() -> str:
    """Return the ``stop`` line, ended by a newline."""
    return _line({"cmd": "stop"})


# --- parsing ----------------------------------------------------------------------------


def _fail(reason: str) -> NoReturn:
    raise ProtocolViolation(reason)


def show(value: object) -> str:
    """Show an untrusted value in a failure reason: one short line of JSON notation.

    The value may be megabytes long; JSON notation (ASCII only) keeps control
    characters, quotes and lone surrogates visible and harmless.
    """
    if isinstance(value, str) and len(value) > _PREVIEW:
        return json.dumps(value[:_PREVIEW]) + "..."
    shown = json.dumps(value)
    return shown if len(shown) <= _PREVIEW else shown[:_PREVIEW] + "..."


def _is_integer(value: object) -> bool:
    # bool is a subclass of int in Python, but true is not 1 in JSON.
    return isinstance(value, int) and not isinstance(value, bool)


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of duplicate members silently; a testee that writes
    # "seq" twice has a broken encoder, and which one counts would be a guess.
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            _fail(f"the answer has the member {show(name)} twice")
        result[name] = value
    return result


def _no_constant(name: str) -> NoReturn:
    _fail(f"the answer is not JSON: {name} is not a JSON value")


def _load_object(line: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(line, object_pairs_hook=_unique_members, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        problem = error.msg[:1].lower() + error.msg[1:]
        _fail(f"{what} is not JSON ({problem} at character {error.pos}): {show(line)}")
    except ValueError as error:  # e.g. an integer beyond the digit limit of int()
        _fail(f"{what} is not JSON: {error}")
    except RecursionError:
        _fail(f"{what} is nested too deeply to be a protocol message")
    if not isinstance(value, dict):
        _fail(f"{what} is not a JSON object: {show(line)}")
    return value


def _check_members(
    value: dict[str, Any], what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> None:
    missing = [name for name in required if name not in value]
    if missing:
        _fail(f"{what} has no {', '.join(missing)}")
    unexpected = sorted(set(value) - set(required) - set(optional))
    if unexpected:
        _fail(f"{what} has unexpected members: {', '.join(unexpected)}")


def _string(value: dict[str, Any], name: str, what: str) -> str:
    member = value[name]
    if not isinstance(member, str):
        _fail(f"{what}'s {name} is {show(member)}, not a string")
    return member


def _choice(value: dict[str, Any], name: str, what: str, choices: tuple[str, ...]) -> str:
    member = value[name]
    if member not in choices or not isinstance(member, str):
        expected = ", ".join(choices)
        _fail(f"{what}'s {name} is {show(member)}, not one of {expected}")
    return member


def _implementation(value: object) -> Implementation:
    what = "the start answer's implementation"
    if not isinstance(value, dict):
        _fail(f"{what} is not a JSON object")
    _check_members(value, what, ("name", "version", "language"), ("homepage",))
    # Odd text is not a protocol failure: these strings are only ever shown (escaped),
    # and a homepage's "format": "uri" is an annotation in JSON Schema 2020-12.
    homepage = _string(value, "homepage", what) if "homepage" in value else None
    return Implementation(
        name=clip(_string(value, "name", what), HELLO_LIMIT),
        version=clip(_string(value, "version", what), HELLO_LIMIT),
        language=clip(_string(value, "language", what), HELLO_LIMIT),
        homepage=None if homepage is None else clip(homepage, HELLO_LIMIT),
    )


def _claims(value: object) -> Claims:
    what = "the start answer's claims"
    if not isinstance(value, dict):
        _fail(f"{what} is not a JSON object")
    _check_members(value, what, ("validation", "unknown_members"), ("spec",))
    validation = _choice(value, "validation", what, get_args(Validation))
    unknown = _choice(value, "unknown_members", what, get_args(UnknownMembers))
    spec = clip(_string(value, "spec", what), HELLO_LIMIT) if "spec" in value else None
    return Claims(cast("Validation", validation), cast("UnknownMembers", unknown), spec)


def parse_hello(line: str) -> Hello:
    """Parse the answer to ``start``, or raise `ProtocolViolation` saying what is wrong."""
    what = "the start answer"
    value = _load_object(line, what)
    _check_members(value, what, ("protocol", "implementation", "claims"))
    protocol = value["protocol"]
    if not _is_integer(protocol) or protocol != PROTOCOL_VERSION:
        _fail(f"{what} has protocol {json.dumps(protocol)}, expected {PROTOCOL_VERSION}")
    return Hello(protocol, _implementation(value["implementation"]), _claims(value["claims"]))


def parse_answer(line: str, seq: int) -> Accepted | Rejected | Crashed:
    """Parse the answer to the ``roundtrip`` request *seq*, or raise `ProtocolViolation`.

    The seq is checked first, because an answer to another request is the most telling
    fault: the testee and the runner no longer agree on which case is which. In lockstep
    every smaller seq was answered already, and no larger one was sent yet.
    """
    what = "the answer"
    value = _load_object(line, what)
    if "seq" not in value:
        _fail(f"{what} has no seq")
    got = value["seq"]
    # The schema's "integer" admits 3.0, but the testee must copy seq unchanged, and the
    # runner never sends 3.0.
    if not _is_integer(got):
        _fail(f"{what} has seq {show(got)}, expected {seq}")
    if got < seq:
        _fail(f"{what} has seq {got}, a request answered already; expected {seq}")
    if got > seq:
        _fail(f"{what} has seq {got}, which no request had yet; expected {seq}")
    if "ok" not in value:
        _fail(f"{what} has no ok")
    ok = value["ok"]
    if not isinstance(ok, bool):
        _fail(f"{what}'s ok is {show(ok)}, not true or false")
    if ok:
        _check_members(value, what, ("seq", "ok", "document"))
        return Accepted(seq, _string(value, "document", what))
    _check_members(value, what, ("seq", "ok", "error"), ("crash",))
    error = clip(_string(value, "error", what), ERROR_LIMIT)
    crash = value.get("crash", False)
    if not isinstance(crash, bool):
        _fail(f"{what}'s crash is {show(crash)}, not true or false")
    return Crashed(seq, error) if crash else Rejected(seq, error)
