"""The check registry: every check by its stable id, with its level and its verdict.

A check takes one case and the testee's answer and says what is wrong, or nothing. Ids
are hierarchical (``required.invalid.temperature.range``) and never depend on generated
data, so expectation files and CI history can key on them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal, Protocol, TypeVar

import attrs
from hypothesis import strategies as st

from conformance.protocol import Accepted, Answer, Claims, Crashed, ProtocolFailure, Rejected
from strategies import Case, broken, implementation_defined_documents
from strategies.broken import FAULT_NAMES, IMPLEMENTATION_DEFINED_NAMES
from strategies.codec import Codec
from strategies.errors import DocumentError
from strategies.jsontext import difference, dumps, parse
from strategies.model import JSONValue
from strategies.revisions import DEFAULT, SPECS
from strategies.rules import Level
from strategies.spec import Spec

__all__ = ["CHECKS", "Bases", "Check", "Problem", "Roundtrip", "checks_for", "expected_text"]

T = TypeVar("T")


class Roundtrip(Protocol):
    """What a check may ask of the testee beyond the answer it is given."""

    def roundtrip(self, document: str) -> Answer:
        """Send one more document (for the idempotence check)."""
        ...


@attrs.frozen
class Problem:
    """What a check found wrong with one answer."""

    message: str
    difference: str | None = None


Verify = Callable[[Case, Answer, Claims, Roundtrip], Problem | None]
Bases = Sequence[object]
"""Valid documents the testee accepted, to break into this check's cases."""


def _unpaired(make: Callable[[], T]) -> Callable[[Bases], T]:
    """Adapt a generator whose cases are not made by breaking a base document."""

    def made(accepted: Bases) -> T:
        del accepted
        return make()

    return made


_NO_CASES: Callable[[Bases], Sequence[Case]] = _unpaired(tuple)


@attrs.frozen
class Check:
    """A named check over the cases of one strategy.

    Both *cases* and *explicit* take the documents the testee is known to accept, so
    that broken cases are made from bases it accepts (see `Case.base`).
    """

    id: str
    level: Literal["REQUIRED", "RECOMMENDED"]
    kind: Literal["valid", "invalid", "malformed", "implementation-defined"]
    description: str
    cases: Callable[[Bases], st.SearchStrategy[Case]]
    verify: Verify
    explicit: Callable[[Bases], Sequence[Case]] = _NO_CASES
    """Cases sent first on every run: the boundaries, so that none is left to luck."""
    spec: Spec = attrs.field(default=SPECS[DEFAULT], kw_only=True)
    """The revision of the object the check judges against."""

    @property
    def paired(self) -> bool:
        """Whether the cases are broken valid documents, judged only where those pass."""
        return self.kind in ("invalid", "malformed")


def _answered(answer: Answer) -> Problem | None:
    """Fail what is neither an acceptance nor a rejection, whatever the kind of case."""
    if isinstance(answer, ProtocolFailure):
        return Problem(f"protocol failure: {answer.reason}")
    if isinstance(answer, Crashed):
        return Problem(f"the library crashed (not a rejection): {answer.error}")
    return None


def _output(answer: Accepted, *, want_object: bool = True) -> tuple[JSONValue, Problem | None]:
    try:
        # An integer literal beyond 2^53 is a fine spelling of a float such as 1e20.
        value = parse(answer.document, safe_integers=False)
    except DocumentError as error:
        return None, Problem(f"the output is not one portable JSON text: {error}")
    if want_object and not isinstance(value, dict):
        return None, Problem("the output is JSON but not an object")
    return value, None


def _expected(case: Case, claims: Claims, codec: Codec) -> JSONValue:
    if claims.unknown_members == "drop":
        return codec.drop_unknown(case.expected)
    return case.expected


def _compare(case: Case, answer: Answer, claims: Claims, codec: Codec) -> Problem | None:
    if not isinstance(answer, Accepted):
        return _answered(answer) or Problem(f"rejected: {answer.error}")  # type: ignore[union-attr]
    value, problem = _output(answer, want_object=case.kind == "valid")
    if problem:
        return problem
    found = difference(
        _expected(case, claims, codec), value, is_integer_member=codec.is_integer_member
    )
    if found:
        return Problem("the output differs from the input", found)
    return None


def _accepted(case: Case, answer: Answer, claims: Claims, testee: Roundtrip) -> Problem | None:
    del case, claims, testee
    if isinstance(answer, Rejected):
        return Problem(f"rejected a valid document: {answer.error}")
    return _answered(answer)


def _output_object(case: Case, answer: Answer, claims: Claims, _: Roundtrip) -> Problem | None:
    del case, claims
    if not isinstance(answer, Accepted):
        return _answered(answer) or Problem("rejected, so there is no output")
    return _output(answer)[1]


def _roundtrip(codec: Codec) -> Verify:
    def verify(case: Case, answer: Answer, claims: Claims, _: Roundtrip) -> Problem | None:
        return _compare(case, answer, claims, codec)

    return verify


def _idempotent(case: Case, answer: Answer, claims: Claims, testee: Roundtrip) -> Problem | None:
    del case, claims
    if not isinstance(answer, Accepted):
        return _answered(answer) or Problem("rejected, so there is no output")
    again = testee.roundtrip(answer.document)
    if not isinstance(again, Accepted):
        return _answered(again) or Problem("its own output was rejected")
    if again.document != answer.document:
        return Problem("a second round trip changed the text", f"{again.document[:200]!r}")
    return None


class _Spelled(float):
    """A float that remembers it was written with a fraction or an exponent."""


def _integer_literals(codec: Codec) -> Verify:
    def verify(case: Case, answer: Answer, claims: Claims, _: Roundtrip) -> Problem | None:
        del case, claims
        if not isinstance(answer, Accepted):
            return _answered(answer) or Problem("rejected, so there is no output")
        try:
            value = json.loads(answer.document, parse_float=_Spelled)
        except ValueError:
            return Problem("the output is not JSON")
        for path in sorted(codec.integer_members):
            member = value
            for name in path:
                member = member.get(name) if isinstance(member, dict) else None
            if isinstance(member, _Spelled):
                return Problem(
                    f"/{'/'.join(path)} is written {member!r}, not as an integer literal"
                )
        return None

    return verify


def _invalid(level: Level, codec: Codec) -> Verify:
    def verify(case: Case, answer: Answer, claims: Claims, _: Roundtrip) -> Problem | None:
        if problem := _answered(answer):
            return problem
        if claims.covers(level.value):
            if isinstance(answer, Accepted):
                return Problem(f"accepted a document that breaks {case.rule} ({case.mutation})")
            return None
        if isinstance(answer, Accepted) and (problem := _compare(case, answer, claims, codec)):
            return Problem(
                f"accepted a document that breaks {case.rule}, which its claims do not cover,"
                " but changed it",
                problem.difference or problem.message,
            )
        return None

    return verify


def _malformed(case: Case, answer: Answer, claims: Claims, _: Roundtrip) -> Problem | None:
    del claims
    if isinstance(answer, Accepted):
        return Problem(f"accepted text that is not JSON ({case.mutation})")
    return _answered(answer)


def _recorded(case: Case, answer: Answer, claims: Claims, _: Roundtrip) -> Problem | None:
    del case, claims
    return _answered(answer)


def _registry(spec: Spec) -> Iterator[Check]:
    valid_cases = _unpaired(spec.valid_documents)
    valid_boundaries = _unpaired(spec.valid_boundaries)
    codec = spec.codec

    def check(*args: Any) -> Check:
        return Check(*args, spec=spec)

    yield check("required.valid.accepted", "REQUIRED", "valid",
                "A valid document is accepted.", valid_cases, _accepted,
                valid_boundaries)  # fmt: skip
    yield check("required.valid.output", "REQUIRED", "valid",
                "The output is one JSON text of an object.", valid_cases, _output_object,
                valid_boundaries)  # fmt: skip
    yield check(
        "required.valid.roundtrip",
        "REQUIRED",
        "valid",
        "The output equals the input under I-JSON equality and the claims: null kept, absent"
        " stays absent, nothing added, unknown members kept or dropped as claimed.",
        valid_cases,
        _roundtrip(codec),
        valid_boundaries,
    )
    yield check("recommended.valid.idempotent", "RECOMMENDED", "valid",
                "A second round trip of the output gives the same text.",
                valid_cases, _idempotent, valid_boundaries)  # fmt: skip
    yield check("recommended.valid.integer-literals", "RECOMMENDED", "valid",
                "Integer members are written as integer literals.",
                valid_cases, _integer_literals(codec), valid_boundaries)  # fmt: skip
    for rule in spec.rules_at(Level.SCHEMA, Level.DOCUMENTED):
        yield check(
            f"required.invalid.{rule.id}",
            "REQUIRED",
            "invalid",
            f"A document breaking {rule.id} ({rule.level} level) is rejected when the claims"
            " cover that level, and otherwise, if accepted, comes back unchanged; judged on"
            " documents whose unbroken base the testee accepts.",
            functools.partial(spec.invalid_documents, [rule.id]),
            _invalid(rule.level, codec),
            functools.partial(spec.invalid_boundaries, rule.id),
        )
    for name in FAULT_NAMES:
        yield check(
            f"required.malformed.{name}",
            "REQUIRED",
            "malformed",
            f"Text that is not JSON ({name}) is rejected; where it was made by breaking a"
            " valid document, judged only when the testee accepts that document.",
            functools.partial(spec.malformed_documents, [name]),
            _malformed,
            functools.partial(spec.broken_boundaries, "malformed", name),
        )
    for name in IMPLEMENTATION_DEFINED_NAMES:
        yield check(
            f"required.implementation-defined.{name}",
            "REQUIRED",
            "implementation-defined",
            f"Any answer to {name} is recorded; a crash or a hang fails.",
            _unpaired(functools.partial(implementation_defined_documents, [name])),
            _recorded,
            _unpaired(functools.partial(broken.boundary_cases, "implementation-defined", name)),
        )


@functools.cache
def checks_for(revision: str) -> dict[str, Check]:
    """Every check of the revision dated *revision*, by id, in a stable order."""
    return {c.id: c for c in _registry(SPECS[revision])}


CHECKS: dict[str, Check] = checks_for(DEFAULT)
"""Every check of the seed's revision, by id, in a stable order."""


def expected_text(case: Case, claims: Claims, spec: Spec) -> str | None:
    """Return what a conforming testee returns for *case*, as JSON text, if defined."""
    if case.kind not in ("valid", "invalid"):
        return None
    return dumps(_expected(case, claims, spec.codec))
