"""What real testees do, at the driver: odd text, crash answers, answers to the wrong request.

Each test runs a fake of tests/fakes as a real subprocess. Text from a testee is data:
nothing it writes may raise in the runner, and what is kept of it is bounded.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conformance.checks import CHECKS
from conformance.driver import InProcess, Testee
from conformance.protocol import (
    ERROR_LIMIT,
    HELLO_LIMIT,
    Accepted,
    Claims,
    Crashed,
    Hello,
    Implementation,
    ProtocolFailure,
    Rejected,
    parse_answer,
)
from conformance.runner import PROFILES, RECORD_LIMIT, run_check
from conformance.untrusted import printable

FAKE = Path(__file__).resolve().parents[2] / "tests" / "fakes" / "fake.py"
MiB = 2**20


def fake(mode: str, *args: str) -> list[str]:
    return [sys.executable, str(FAKE), mode, *args]


def test_a_hello_of_hostile_text_is_accepted_clipped_and_kept_as_it_is():
    """Lone surrogate, NUL, ANSI, markup, an empty language and a 10 MB homepage."""
    with Testee(fake("hostile")) as testee:
        hello = testee.start()
    implementation = hello.implementation
    assert implementation.name.startswith("fake-hostile \x1b[31;1mred")
    assert "\ud800" in implementation.name
    assert "\x00" in implementation.version
    assert "<script>" in implementation.version
    assert implementation.language == ""
    assert implementation.homepage is not None
    assert implementation.homepage.endswith("characters]")
    assert len(implementation.homepage) < HELLO_LIMIT + 100
    assert "\x1b" not in printable(implementation.name)


def test_a_correct_sdk_with_hostile_text_gets_its_answers_through_unharmed():
    """Its rejections carry hostile text, and it echoes a lone surrogate raw (ensure_ascii off)."""
    with Testee(fake("hostile")) as testee:
        testee.start()
        rejected = testee.roundtrip('{"voice":42}')
        echoed = testee.roundtrip('{"instructions":"\\ud800"}')
        accepted = testee.roundtrip('{"voice":"ash"}')
    assert isinstance(rejected, Rejected)
    assert "\x1b[31;1m" in rejected.error
    assert "\ud800" in rejected.error
    assert echoed == Accepted(1, '{"instructions": "\ud800"}')
    assert accepted == Accepted(2, '{"voice":"ash"}')


def test_the_hostile_but_correct_sdk_passes_the_implementation_defined_checks():
    """The case of the issue: echoing a lone surrogate is an acceptable answer, and no crash."""
    with Testee(fake("hostile")) as testee:
        testee.start()
        for check_id in (
            "required.implementation-defined.lone-surrogate",
            "required.malformed.trailing-comma",
            "required.invalid.voice.enum",
        ):
            result = run_check(CHECKS[check_id], testee, PROFILES["quick"], 0)
            assert result.outcome == "passed", result.failure


def test_stderr_that_is_not_utf8_is_kept_byte_for_byte_and_the_answer_is_a_failure():
    with Testee(fake("bad-utf8")) as testee:
        testee.start()
        answer = testee.roundtrip("{}")
    assert isinstance(answer, ProtocolFailure)
    assert answer.reason.startswith("the answer is not UTF-8 (invalid start byte at byte 31")
    assert "\\udcff" in answer.reason  # the bad byte, named in ASCII
    assert answer.reason.isascii()
    # surrogateescape: every byte comes back, the ANSI sequence included.
    raw = answer.stderr.encode("utf-8", errors="surrogateescape")
    assert b"\xff\xfe \xed\xa0\x80 \x1b[2J" in raw


def test_a_crash_answer_is_its_own_answer_type_and_fails_every_kind_of_check():
    with Testee(fake("crash-answer")) as testee:
        testee.start()
        assert testee.roundtrip("{}") == Crashed(0, "KeyError: 'voice'")
        for check_id in (
            "required.valid.accepted",
            "required.invalid.voice.enum",
            "required.malformed.trailing-comma",
            "required.implementation-defined.lone-surrogate",
        ):
            result = run_check(CHECKS[check_id], testee, PROFILES["quick"], 0)
            assert result.outcome == "failed"
            assert result.failure is not None
            assert result.failure.message.startswith("the library crashed (not a rejection)")
            assert result.failure.answer == "crashed: KeyError: 'voice'"
        assert testee.restarts == 0  # a crash answer is an answer: no restart


@pytest.mark.parametrize(
    ("line", "crash"),
    [
        ('{"seq":0,"ok":false,"error":"e","crash":true}', True),
        ('{"seq":0,"ok":false,"error":"e","crash":false}', False),
        ('{"seq":0,"ok":false,"error":"e"}', False),
    ],
)
def test_crash_is_optional_and_false_means_a_rejection(line, crash):
    answer = parse_answer(line, 0)
    assert isinstance(answer, Crashed) == crash
    assert isinstance(answer, Rejected) != crash


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("duplicate", "the answer has seq 0, a request answered already; expected 1"),
        ("unsolicited", "the answer has seq 1, which no request had yet; expected 0"),
        ("wrong-seq", "the answer has seq 1, which no request had yet; expected 0"),
    ],
)
def test_an_answer_to_another_request_fails_the_case_and_never_counts_for_it(mode, reason):
    """A second answer to seq 0, or an answer ahead of its request: a protocol failure."""
    with Testee(fake(mode)) as testee:
        testee.start()
        answers = [testee.roundtrip('{"voice":"ash"}') for _ in range(3)]
    failures = [a for a in answers if isinstance(a, ProtocolFailure)]
    assert failures, answers
    stray = "the testee wrote a line when no request was outstanding"
    assert failures[0].reason == reason or failures[0].reason.startswith(stray)
    # Whatever is accepted is the answer to its own request.
    assert all(a.seq == i for i, a in enumerate(answers) if isinstance(a, Accepted))


def test_an_error_message_of_20_mb_is_clipped_with_a_marker():
    with Testee(fake("huge", "20")) as testee:
        testee.start()
        rejected = testee.roundtrip('{"voice":42}')
        accepted = testee.roundtrip('{"voice":"ash"}')
    assert isinstance(rejected, Rejected)
    assert len(rejected.error) < ERROR_LIMIT + 100
    assert rejected.error.startswith("voice")
    assert rejected.error.endswith("characters]")
    assert f"of {20 * MiB + len(rejected.error)}" not in rejected.error  # it was cut: smaller
    # The whole answer is kept while the case is judged: equality needs all of it.
    assert isinstance(accepted, Accepted)
    assert len(accepted.document) == len('{"voice":"ash"}') + 20 * MiB


def test_the_record_of_a_failure_keeps_a_clipped_answer():
    """Judging reads the whole 20 MB answer; the Failure keeps RECORD_LIMIT characters."""

    def padded(document: str) -> tuple[bool, str]:
        return True, document + "x" * (20 * MiB)  # not JSON any more: the check fails

    hello = Hello(1, Implementation("padded", "0", "python"), Claims("none", "preserve"))
    with InProcess(padded, hello) as testee:
        testee.start()
        result = run_check(CHECKS["required.valid.output"], testee, PROFILES["quick"], 0)
    assert result.failure is not None
    assert result.failure.answer.startswith("accepted: {")
    assert len(result.failure.answer) < RECORD_LIMIT + 100
    assert result.failure.answer.endswith("characters]")
