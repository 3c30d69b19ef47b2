"""Run one check against a testee with Hypothesis, and shrink what fails.

The pytest plugin calls `run_check` once per test item; the CLI is pytest underneath, so
there is one runner. Shrinking is bounded, since a testee that fails badly makes every
shrink step cost: after `HANGS_PER_CHECK` hangs, a few other protocol failures or a
time budget, the smallest failure seen so far is reported as it is. A testee that has
hung `HANGS_PER_RUN` times fails the remaining checks without running them
(docs/protocol.md, "Timeouts").
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Literal

import attrs
from hypothesis import HealthCheck, Phase, assume, given, seed, settings
from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase
from hypothesis.errors import Unsatisfiable

from conformance.checks import Check, Problem, expected_text
from conformance.driver import InProcess, Testee
from conformance.protocol import Accepted, Answer, Crashed, ProtocolFailure, Rejected
from conformance.reduce import reduce
from conformance.results import CheckResult, Failure, Observation
from conformance.untrusted import clip
from strategies import Case
from strategies.errors import DocumentError
from strategies.model import JSONValue
from strategies.valid import valid_case

__all__ = ["FUZZ", "HANGS_PER_CHECK", "HANGS_PER_RUN", "PROFILES", "RECORD_LIMIT", "Deadline",
           "Profile", "needed", "run_check"]  # fmt: skip


@attrs.frozen
class Profile:
    """How many cases each kind of check draws."""

    name: str
    valid: int
    invalid: int
    malformed: int
    implementation_defined: int
    shrink_seconds: float = 20.0
    conclusive: int | None = None
    """Conclusive cases a check needs to pass; None: a share of its examples (`needed`)."""

    def examples(self, kind: str) -> int:
        """Return the number of cases for a check of this *kind* of case."""
        return int(getattr(self, kind.replace("-", "_")))


PROFILES = {
    p.name: p
    for p in (
        Profile("quick", valid=40, invalid=8, malformed=8, implementation_defined=5,
                shrink_seconds=5.0),
        Profile("default", valid=300, invalid=40, malformed=30, implementation_defined=15),
        Profile("thorough", valid=2000, invalid=200, malformed=150, implementation_defined=60,
                shrink_seconds=120.0),
    )
}  # fmt: skip

FUZZ = Profile(
    "fuzz", valid=5_000, invalid=5_000, malformed=5_000, implementation_defined=5_000,
    conclusive=5,
)  # fmt: skip
"""The fuzz mode's profile: a check searches until its `Deadline`, in rounds of this many
cases, each a fresh Hypothesis search with its own seed (so that what Hypothesis remembers
of the cases it tried stays bounded, however long the fuzz). A round that ends short has
exhausted what the check can draw, and the check ends there."""

HANGS_PER_CHECK = 6
"""Hangs one check may cost; then shrinking stops at the smallest hanging document."""
HANGS_PER_RUN = 400
"""Hangs a whole run may cost (per testee process under xdist); then checks fail fast."""
_BASES_KEPT = 1024
"""Base texts whose answer a check remembers: the bases it reuses (those the testee
accepted, the one being shrunk) are sent once, and memory stays bounded."""
RECORD_LIMIT = 64 * 1024
"""Characters of an answer kept in the record; judging reads the whole of it first."""

_MAX_PROTOCOL_FAILURES = 3
_MAX_OBSERVATIONS = 25
_OBSERVATION_LIMIT = 300
_MIN_CONCLUSIVE = 5
_CONCLUSIVE_SHARE = 4


class _Failed(Exception):  # noqa: N818 - Hypothesis' signal, never leaves this module
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


class _Stop(BaseException):
    """Ends the search early; a BaseException, so Hypothesis does not shrink on it."""


class _TimeUp(BaseException):
    """Ends a fuzz search whose time is spent, before any failure."""


_MIN_SHRINK_SECONDS = 5.0
_MIN_SEARCH = 10
"""Cases of its search a fuzz check sends whatever its share of the time: Hypothesis sends
the failures of the example database first, so that they are always replayed."""


@attrs.frozen
class Deadline:
    """A fuzz check's time, on `time.monotonic`'s clock.

    The search draws new cases until *search*; a failure found by then is shrunk until
    *shrink* at the latest (the end of the whole fuzz), but for at least a few seconds
    and never longer than the profile's ``shrink_seconds``.
    """

    search: float
    shrink: float

    def shrink_seconds(self, started: float, most: float) -> float:
        """Return how long a failure first seen at *started* may be shrunk."""
        return min(most, max(_MIN_SHRINK_SECONDS, self.shrink - started))


class _Keyed(ExampleDatabase):
    """One check's part of an example database: its keys carry the check id.

    Hypothesis keys a test's examples by its source code, which is the same function for
    every check here: without the id, a check would replay another's failures.
    """

    def __init__(self, inner: ExampleDatabase, check_id: str) -> None:
        super().__init__()
        self.inner = inner
        self.prefix = f"{check_id}:".encode()

    def save(self, key: bytes, value: bytes) -> None:
        self.inner.save(self.prefix + key, value)

    def fetch(self, key: bytes) -> Iterable[bytes]:
        return self.inner.fetch(self.prefix + key)

    def delete(self, key: bytes, value: bytes) -> None:
        self.inner.delete(self.prefix + key, value)

    def move(self, src: bytes, dest: bytes, value: bytes) -> None:
        self.inner.move(self.prefix + src, self.prefix + dest, value)


def _answer_text(answer: Answer, limit: int = RECORD_LIMIT) -> str:
    # Clipped before the prefix is added: a 20 MB answer is never copied whole.
    if isinstance(answer, Accepted):
        return f"accepted: {clip(answer.document, limit)}"
    if isinstance(answer, Rejected):
        return f"rejected: {clip(answer.error, limit)}"
    if isinstance(answer, Crashed):
        return f"crashed: {clip(answer.error, limit)}"
    return f"protocol failure: {clip(answer.reason, limit)}"


def _failure(
    check: Check, case: Case, answer: Answer, problem: Problem, testee: Testee | InProcess
) -> Failure:
    claims = testee.hello.claims
    return Failure(
        message=problem.message,
        document=case.text,
        expected=expected_text(case, claims, check.spec),
        answer=_answer_text(answer),
        difference=problem.difference,
        replay=testee.replay_command(case.text),
        rule=case.rule,
        mutation=case.mutation,
        stderr=answer.stderr if isinstance(answer, ProtocolFailure) else "",
        note=check.description,
    )


class _Inconclusive(Enum):
    """A case whose base the testee rejected: it says nothing about its rule."""

    CASE = "inconclusive"


@attrs.define
class _Budget:
    """What one phase of a check (its boundary cases, then its search) has spent."""

    protocol_failures: int = 0
    first_failure_at: float | None = None

    def spend(self, answer: Answer) -> None:
        """Count a failing answer (hangs are counted by the driver)."""
        self.first_failure_at = self.first_failure_at or time.monotonic()
        if isinstance(answer, ProtocolFailure) and not answer.hung:
            self.protocol_failures += 1


@attrs.define
class _Search:
    check: Check
    testee: Testee | InProcess
    observe: Callable[[Case], None] | None = None
    deadline: Deadline | None = None
    examples: int = 0
    conclusive: int = 0
    first_failure_after: int | None = None
    """Cases sent up to the first failing one."""
    searched: int = 0
    """Cases the Hypothesis search has sent (every round)."""
    budget: _Budget = attrs.Factory(_Budget)
    smallest: Failure | None = None
    failing: dict[str, Case] = attrs.Factory(dict)
    """The cases of the smallest failure and of the latest, by text."""
    observations: list[Observation] = attrs.Factory(list)
    bases: dict[str, bool | Crashed] = attrs.Factory(dict)
    """Whether the testee accepted each of the last `_BASES_KEPT` base texts sent."""
    hangs_before: int = attrs.field(init=False)
    """The driver's count of hangs when the check began: the check's own are the rest."""

    def __attrs_post_init__(self) -> None:
        self.hangs_before = self.testee.hangs

    @property
    def exhausted(self) -> bool:
        """Say whether failures cost too much to go on: shrinking stops here."""
        hangs = self.testee.hangs
        return (
            hangs - self.hangs_before >= HANGS_PER_CHECK
            or hangs >= HANGS_PER_RUN
            or self.budget.protocol_failures > _MAX_PROTOCOL_FAILURES
        )

    def accepts(self, base: Case) -> bool | Crashed:
        """Send *base* (once per text): True if accepted, its crash if it crashed, else False."""
        known = self.bases.pop(base.text, None)
        if known is None:
            answer = self.testee.roundtrip(base.text)
            known = answer if isinstance(answer, Crashed) else isinstance(answer, Accepted)
            if len(self.bases) >= _BASES_KEPT:
                # The least recently used goes: a fuzz sends bases for hours.
                del self.bases[next(iter(self.bases))]
        self.bases[base.text] = known
        return known

    def accepted_bases(self) -> tuple[object, ...]:
        """Return the boundary documents the testee accepts, to make broken cases from.

        Shortest first: shrinking goes towards the first.
        """
        documents = self.check.spec.boundary_documents
        cases = sorted((valid_case(d) for d in documents), key=lambda c: len(c.text))
        return tuple(c.model for c in cases if c.model and self.accepts(c) is True)

    def evaluate(self, case: Case) -> Failure | _Inconclusive | None:
        """Send one case and judge the answer; remember the smallest failure.

        A case with a base is judged only when the testee accepts the base: otherwise
        rejecting the case would be rejecting it for another reason.
        """
        self.examples += 1
        if self.observe:
            self.observe(case)
        crashed = None
        if case.base is not None:
            accepted = self.accepts(case.base)
            if isinstance(accepted, Crashed):
                # A crash on the valid base fails every kind of check: judge the base.
                case, crashed = case.base, accepted
            elif not accepted:
                return _Inconclusive.CASE
        self.conclusive += 1
        answer = crashed or self.testee.roundtrip(case.text)
        if (
            self.check.kind == "implementation-defined"
            and len(self.observations) < _MAX_OBSERVATIONS
        ):
            text = _answer_text(answer, _OBSERVATION_LIMIT)
            self.observations.append(Observation(case.mutation, isinstance(answer, Accepted), text))
        problem = self.check.verify(case, answer, self.testee.hello.claims, self.testee)
        if problem is None:
            return None
        failure = _failure(self.check, case, answer, problem, self.testee)
        self.first_failure_after = self.first_failure_after or self.examples
        if self.smallest is None or len(failure.document) < len(self.smallest.document):
            self.smallest = failure
        self.failing = {t: c for t, c in self.failing.items() if t == self.smallest.document}
        self.failing[case.text] = case
        self.budget.spend(answer)
        return failure

    def boundary(self, accepted: Sequence[object]) -> Failure | None:
        """Send every boundary case of the check; return the first failure, if any."""
        found = None
        for case in self.check.explicit(accepted):
            failure = self.evaluate(case)
            if found is None and isinstance(failure, Failure):
                found = failure
            if self.exhausted:
                break
        return found

    def start_search(self) -> bool:
        """Give the search a budget of its own; say whether it may run at all."""
        may_run = not self.exhausted
        self.budget = _Budget()
        return may_run

    def run_case(self, case: Case, seconds: float) -> None:
        """Judge one case of the search: raise on failure, stop when shrinking costs too much.

        An inconclusive case is an unmet assumption: Hypothesis draws another in its place,
        and never shrinks towards it. A fuzz search ends when its time is spent, unless it
        is shrinking a failure.
        """
        deadline = self.deadline
        if (
            deadline is not None
            and self.budget.first_failure_at is None
            and self.searched >= _MIN_SEARCH
            and time.monotonic() >= deadline.search
        ):
            raise _TimeUp
        self.searched += 1
        failure = self.evaluate(case)
        assume(failure is not _Inconclusive.CASE)
        if failure is None:
            return
        assert isinstance(failure, Failure)  # noqa: S101 - narrowed by the assumption
        started = self.budget.first_failure_at or time.monotonic()
        if deadline is not None:
            seconds = deadline.shrink_seconds(started, seconds)
        if self.exhausted or time.monotonic() - started > seconds:
            raise _Stop
        raise _Failed(failure)


def _not_run(check: Check, testee: Testee | InProcess) -> CheckResult:
    message = (
        f"not run: the testee hung {testee.hangs} times in this run, the run's"
        f" budget of {HANGS_PER_RUN}; every remaining check fails without running"
    )
    failure = Failure(
        message=message, document="", expected=None, answer="", difference=None, replay=""
    )
    return CheckResult(
        id=check.id,
        level=check.level,
        outcome="failed",
        examples=0,
        seconds=0.0,
        description=check.description,
        failure=failure,
    )


def needed(profile: Profile, kind: str) -> int:
    """Return how many conclusive cases a check of *kind* needs for a verdict of passed.

    The profile's own count if it sets one; else a quarter of its examples, and at least
    five (never more than the examples).
    """
    if profile.conclusive is not None:
        return profile.conclusive
    examples = profile.examples(kind)
    return min(examples, max(_MIN_CONCLUSIVE, examples // _CONCLUSIVE_SHARE))


def _seed(base: int, check_id: str, round_number: int = 0) -> int:
    # Round 0 keeps the seed of the fixed profiles: fuzz's first round is run's search.
    text = f"{base}:{check_id}" + (f":{round_number}" if round_number else "")
    return zlib.crc32(text.encode())


@attrs.frozen
class _Round:
    """One Hypothesis search: what it found, a note on it, and whether it ran out of cases."""

    failure: Failure | None = None
    note: str = ""
    exhausted: bool = False
    timed_out: bool = False


def _hypothesis_search(
    search: _Search,
    profile: Profile,
    seed_value: int,
    accepted: Sequence[object],
    database: ExampleDatabase | None,
) -> _Round:
    """Search and shrink with Hypothesis; return the failure found and a note on it."""
    check = search.check
    examples = profile.examples(check.kind)
    conclusive_before = search.conclusive

    # The settings go outside the seed: @seed alone turns the example database off.
    @settings(
        max_examples=examples,
        database=database,
        deadline=None,
        derandomize=False,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
        print_blob=False,
    )
    @seed(seed_value)
    @given(check.cases(accepted))
    def search_cases(case: Case) -> None:
        search.run_case(case, profile.shrink_seconds)

    try:
        search_cases()
    except _Failed as found:
        return _Round(found.failure)
    except _Stop:
        note = "shrinking stopped early (hangs, protocol failures or time): smallest case seen"
        return _Round(search.smallest, note)
    except _TimeUp:
        return _Round(timed_out=True)
    except Unsatisfiable:
        return _Round(exhausted=True)  # no conclusive case in the search: counted by the caller
    except Exception as error:  # noqa: BLE001 - e.g. Hypothesis' Flaky: still a failure
        note = f"the testee answered inconsistently ({type(error).__name__})"
        return _Round(search.smallest, note)
    return _Round(exhausted=search.conclusive - conclusive_before < examples)


def _search(
    search: _Search,
    profile: Profile,
    base_seed: int,
    accepted: Sequence[object],
    database: Path | None,
) -> _Round:
    """Run the check's Hypothesis search: once, or round after round in fuzz mode.

    A fuzz search ends at its deadline, on a failure, or after a round that ran out of
    cases (the next would draw the same).
    """
    check = search.check
    store = _Keyed(DirectoryBasedExampleDatabase(database), check.id) if database else None
    round_number = 0
    while True:
        found = _hypothesis_search(
            search, profile, _seed(base_seed, check.id, round_number), accepted, store
        )
        if search.deadline is None or found.failure or found.exhausted or found.timed_out:
            return found
        round_number += 1


def _reduced(search: _Search, failure: Failure, seconds: float) -> Failure:
    """Shrink a failing boundary document of a valid check (`conformance.reduce`).

    A smaller document is sent only if the revision's codec finds it valid, spelled as
    the failing one was; the reduction stops after *seconds*, or when failures cost
    too much (hangs).
    """
    case = search.failing.get(failure.document)
    boundaries = search.check.spec.boundary_documents
    if case is None or case.expected is None or not any(case.model is d for d in boundaries):
        return failure
    codec, end = search.check.spec.codec, time.monotonic() + seconds
    smallest = failure

    def fails(value: JSONValue) -> bool | None:
        nonlocal smallest
        if time.monotonic() > end or search.exhausted:
            return None
        try:
            model = codec.structure(value)
        except DocumentError:
            return False  # no longer valid: not a case of this check
        smaller = valid_case(model, case.style) if case.style else valid_case(model)
        found = search.evaluate(smaller)
        if isinstance(found, Failure):
            smallest = found
            return True
        return False

    reduce(case.expected, fails)
    return smallest


def run_check(  # noqa: PLR0913 - a check, its testee and how long and where to search
    check: Check,
    testee: Testee | InProcess,
    profile: Profile,
    base_seed: int,
    observe: Callable[[Case], None] | None = None,
    *,
    deadline: Deadline | None = None,
    database: Path | None = None,
) -> CheckResult:
    """Run *check* against *testee*; a failure is shrunk to a minimal document.

    The check's boundary cases go first, outside Hypothesis, so that every run reaches
    them; Hypothesis then searches (its strategies hold the same boundaries) and shrinks.
    A failure only a boundary case shows is reported on that case. *observe* sees every
    case sent. With a *deadline* (fuzz mode) the search goes on until it, in rounds of
    the profile's examples. With a *database* (a folder), failures found are kept there
    and replayed first by the next run.
    """
    if testee.hangs >= HANGS_PER_RUN:
        return _not_run(check, testee)
    started = time.monotonic()
    search = _Search(check, testee, observe, deadline)
    accepted = search.accepted_bases() if check.paired else ()
    boundary_failure = search.boundary(accepted)
    failure, note = None, "no search: the boundary cases spent the check's failure budget"
    searching = profile
    if deadline is not None and boundary_failure is not None:
        # Found already: search and shrink as a run does, and leave the rest of the
        # check's time to the other checks (each failing check is reported once).
        search.deadline, searching = None, PROFILES["default"]
    if search.start_search():
        found = _search(search, searching, base_seed, accepted, database)
        failure, note = found.failure, found.note
    failure = failure or boundary_failure
    smallest = search.smallest
    if failure and smallest and len(smallest.document) < len(failure.document):
        # Shrinking orders cases by how they were drawn, not by length, and a pinned
        # boundary document cannot shrink at all: the shortest failing one reads best.
        failure = smallest
    if failure is not None and check.kind == "valid":
        failure = _reduced(search, failure, profile.shrink_seconds)
    if failure is not None and note:
        failure = attrs.evolve(failure, note=f"{note}. {failure.note}".strip())
    outcome: Literal["passed", "failed", "inconclusive"] = "failed" if failure else "passed"
    if failure is None and search.conclusive < needed(profile, check.kind):
        outcome = "inconclusive"
    return CheckResult(
        id=check.id,
        level=check.level,
        outcome=outcome,
        examples=search.examples,
        conclusive=search.conclusive,
        seconds=round(time.monotonic() - started, 3),
        description=check.description,
        failure=failure,
        observations=tuple(search.observations),
        first_failure_after=search.first_failure_after if failure else None,
    )
