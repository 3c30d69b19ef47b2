"""Paired judging: a broken case counts only when the testee accepted its base.

The runner is driven in-process here with handlers that are the reference plus one
refusal, so the counts can be checked exactly; the subprocess path is covered by
test_cli.py and test_mutants.py.
"""

import attrs

from conformance.checks import CHECKS
from conformance.driver import InProcess
from conformance.reference import HELLO, handler
from conformance.results import CheckResult, RunResults, dump_results, load_results, verdict
from conformance.runner import PROFILES, needed, run_check
from strategies.invalid import MUTATIONS

QUICK = PROFILES["quick"]
TOOL_CHOICE = CHECKS["required.invalid.tool_choice.type"]
COMMENT = CHECKS["required.malformed.comment"]


def _testee(handle):
    testee = InProcess(handle, HELLO)
    testee.start()
    return testee


def _refuses_without_voice(document):
    """Answer as the reference does, but refuse every document without a voice."""
    if '"voice"' not in document:
        return False, "voice is required here"
    return handler(document)


def test_every_case_is_conclusive_against_the_reference():
    result = run_check(TOOL_CHOICE, _testee(handler), QUICK, 0)
    assert result.outcome == "passed"
    assert result.conclusive == result.examples > 0


def test_cases_on_refused_bases_are_not_counted_and_the_search_finds_accepted_ones():
    """Bases come from the boundary documents it accepts, so the check stays conclusive."""
    sent = []
    result = run_check(TOOL_CHOICE, _testee(_refuses_without_voice), QUICK, 0, sent.append)
    assert result.outcome == "passed"
    assert result.conclusive >= needed(QUICK, "invalid")
    # The pinned cases, sent first, are all made from a base it accepts.
    pinned = sent[: len(MUTATIONS["tool_choice.type"].pins)]
    assert all('"voice"' in case.base.text for case in pinned)


def test_a_testee_that_refuses_every_base_leaves_the_check_inconclusive():
    result = run_check(COMMENT, _testee(lambda _: (False, "no")), QUICK, 0)
    assert (result.outcome, result.conclusive, result.failure) == ("inconclusive", 0, None)
    assert result.examples > 0


def test_an_inconclusive_required_check_is_not_conformant_and_survives_results_json():
    check = CheckResult("required.invalid.x", "REQUIRED", "inconclusive", 40, 1.0, conclusive=3)
    assert verdict((check,)) == "not conformant"
    results = RunResults("0", 1, "t", {}, {}, "default", 0, "now", 1.0, (check,))
    assert load_results(dump_results(results)) == results
    # An inconclusive RECOMMENDED check does not decide; a REQUIRED one that passed does.
    recommended = attrs.evolve(check, level="RECOMMENDED")
    passed = CheckResult("required.valid.accepted", "REQUIRED", "passed", 300, 1.0)
    assert verdict((recommended, passed)) == "conformant"
