"""Run one check against a testee with Hypothesis, and shrink what fails.

The pytest plugin calls `run_check` once per test item; the CLI is pytest underneath, so
there is one runner. Shrinking is bounded: a testee that hangs would otherwise cost a
timeout per shrink step, so after a few protocol failures or a time budget the smallest
failure seen so far is reported as it is.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from typing import Literal

import attrs
from hypothesis import HealthCheck, Phase, given, seed, settings

from conformance.checks import Check, Problem, expected_text
from conformance.driver import InProcess, Testee
from conformance.protocol import Accepted, Answer, ProtocolFailure, Rejected
from conformance.results import CheckResult, Failure, Observation
from strategies import Case

__all__ = ["PROFILES", "Profile", "run_check"]


@attrs.frozen
class Profile:
    """How many cases each kind of check draws."""

    name: str
    valid: int
    invalid: int
    malformed: int
    implementation_defined: int
    shrink_seconds: float = 20.0

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

_MAX_PROTOCOL_FAILURES = 3
_MAX_OBSERVATIONS = 25


class _Failed(Exception):  # noqa: N818 - Hypothesis' signal, never leaves this module
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


class _Stop(BaseException):
    """Ends the search early; a BaseException, so Hypothesis does not shrink on it."""


def _answer_text(answer: Answer) -> str:
    if isinstance(answer, Accepted):
        return f"accepted: {answer.document}"
    if isinstance(answer, Rejected):
        return f"rejected: {answer.error}"
    return f"protocol failure: {answer.reason}"


def _failure(
    check: Check, case: Case, answer: Answer, problem: Problem, testee: Testee | InProcess
) -> Failure:
    claims = testee.hello.claims
    return Failure(
        message=problem.message,
        document=case.text,
        expected=expected_text(case, claims),
        answer=_answer_text(answer),
        difference=problem.difference,
        replay=testee.replay_command(case.text),
        rule=case.rule,
        mutation=case.mutation,
        stderr=answer.stderr if isinstance(answer, ProtocolFailure) else "",
        note=check.description,
    )


@attrs.define
class _Search:
    check: Check
    testee: Testee | InProcess
    observe: Callable[[Case], None] | None = None
    examples: int = 0
    protocol_failures: int = 0
    smallest: Failure | None = None
    first_failure_at: float | None = None
    observations: list[Observation] = attrs.Factory(list)

    def evaluate(self, case: Case) -> Failure | None:
        """Send one case and judge the answer; remember the smallest failure."""
        self.examples += 1
        if self.observe:
            self.observe(case)
        answer = self.testee.roundtrip(case.text)
        if (
            self.check.kind == "implementation-defined"
            and len(self.observations) < _MAX_OBSERVATIONS
        ):
            self.observations.append(
                Observation(case.mutation, isinstance(answer, Accepted), _answer_text(answer)[:300])
            )
        problem = self.check.verify(case, answer, self.testee.hello.claims, self.testee)
        if problem is None:
            return None
        failure = _failure(self.check, case, answer, problem, self.testee)
        if self.smallest is None or len(failure.document) < len(self.smallest.document):
            self.smallest = failure
        self.first_failure_at = self.first_failure_at or time.monotonic()
        self.protocol_failures += isinstance(answer, ProtocolFailure)
        return failure

    @property
    def exhausted(self) -> bool:
        return self.protocol_failures > _MAX_PROTOCOL_FAILURES

    def run_case(self, case: Case, budget: float) -> None:
        """Judge one case of the search: raise on failure, stop when shrinking costs too much."""
        failure = self.evaluate(case)
        if failure is None:
            return
        assert self.first_failure_at is not None  # noqa: S101 - set by evaluate
        if self.exhausted or time.monotonic() - self.first_failure_at > budget:
            raise _Stop
        raise _Failed(failure)


def _seed(base: int, check_id: str) -> int:
    return zlib.crc32(f"{base}:{check_id}".encode())


def run_check(
    check: Check,
    testee: Testee | InProcess,
    profile: Profile,
    base_seed: int,
    observe: Callable[[Case], None] | None = None,
) -> CheckResult:
    """Run *check* against *testee*; a failure is shrunk to a minimal document.

    The check's boundary cases go first, outside Hypothesis, so that every run reaches
    them; Hypothesis then searches (its strategies hold the same boundaries) and shrinks.
    A failure only a boundary case shows is reported on that case. *observe* sees every
    case sent.
    """
    started = time.monotonic()
    search = _Search(check, testee, observe)
    boundary_failure = None
    for case in check.explicit():
        boundary_failure = boundary_failure or search.evaluate(case)
        if search.exhausted:
            break
    skip_search = search.exhausted
    # The shrinking budget is the search's own: it starts at the search's first failure.
    search.first_failure_at, search.protocol_failures = None, 0

    @seed(_seed(base_seed, check.id))
    @settings(
        max_examples=profile.examples(check.kind),
        database=None,
        deadline=None,
        derandomize=False,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        print_blob=False,
    )
    @given(check.cases())
    def search_cases(case: Case) -> None:
        search.run_case(case, profile.shrink_seconds)

    failure: Failure | None = None
    note = ""
    try:
        if not skip_search:
            search_cases()
        failure = boundary_failure
    except _Failed as found:
        failure = found.failure
    except _Stop:
        failure = search.smallest
        note = "shrinking stopped early (protocol failures or time budget); smallest case seen"
    except Exception as error:  # noqa: BLE001 - e.g. Hypothesis' Flaky: still a failure
        failure = search.smallest
        note = f"the testee answered inconsistently ({type(error).__name__})"
    if failure is not None and note:
        failure = attrs.evolve(failure, note=f"{note}. {failure.note}".strip())
    outcome: Literal["passed", "failed"] = "failed" if failure else "passed"
    return CheckResult(
        id=check.id,
        level=check.level,
        outcome=outcome,
        examples=search.examples,
        seconds=round(time.monotonic() - started, 3),
        description=check.description,
        failure=failure,
        observations=tuple(search.observations),
    )
