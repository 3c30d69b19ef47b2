"""Hangs cost seconds, not a timeout per case; slow answers within the timeout still count.

Real subprocess fakes; the bounds on time are generous (a loaded CI machine), the full
figures are in benchmarks and the report, never in a timed test.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from conformance import runner
from conformance.checks import CHECKS
from conformance.driver import Latency, Testee
from conformance.protocol import Accepted, ProtocolFailure
from conformance.runner import HANGS_PER_CHECK, PROFILES, run_check

FAKE = Path(__file__).resolve().parents[2] / "tests" / "fakes" / "fake.py"
HANGING = '{"voice":"ash","":1}'


def fake(mode: str, *args: str) -> list[str]:
    return [sys.executable, str(FAKE), mode, *args]


def test_latency_gives_the_full_timeout_until_the_testee_hung_at_it():
    latency = Latency()
    for _ in range(Latency.SAMPLES):
        latency.record(0.001, cold=False)
    latency.record(0.001, cold=True)
    assert latency.deadline(10, cold=False) == 10
    latency.hung_at_timeout = True
    assert latency.deadline(10, cold=False) == Latency.FLOOR
    assert latency.deadline(10, cold=True) == Latency.FLOOR
    # A request of 2 MB may take 2 s more than a small one.
    assert latency.deadline(10, cold=False, size=2_000_000) == Latency.FLOOR + 2


def test_latency_follows_the_slow_answers_and_never_passes_the_timeout():
    latency = Latency()
    latency.hung_at_timeout = True
    latency.record(0.5, cold=True)
    for _ in range(Latency.SAMPLES - 2):
        latency.record(0.1, cold=False)
    assert latency.deadline(10, cold=False) == 10  # too few answers to tell
    latency.record(0.1, cold=False)
    assert latency.deadline(10, cold=False) == pytest.approx(1.0)
    assert latency.deadline(10, cold=True) == pytest.approx(5.0)
    for _ in range(Latency.SAMPLES):
        latency.record(0.9, cold=False)  # garbage-collection pauses raise the deadline
    assert latency.deadline(10, cold=False) == pytest.approx(9.0)
    for _ in range(Latency.WINDOW):
        latency.record(0.001, cold=False)  # and fast answers bring it back to the floor
    assert latency.deadline(10, cold=False) == Latency.FLOOR


def test_a_known_hanger_costs_the_adaptive_deadline_not_the_timeout():
    """The first hang waits the full timeout; the next ones the adaptive deadline."""
    with Testee(fake("hang-shape"), request_timeout=6) as testee:
        testee.start()
        for _ in range(Latency.SAMPLES):
            assert isinstance(testee.roundtrip('{"voice":"ash"}'), Accepted)
        started = time.monotonic()
        first = testee.roundtrip(HANGING)
        assert time.monotonic() - started >= 6
        assert first == ProtocolFailure("no answer within 6 s", hung=True)
        assert isinstance(testee.roundtrip('{"voice":"ash"}'), Accepted)  # cold, measured
        started = time.monotonic()
        second = testee.roundtrip(HANGING)
        assert time.monotonic() - started < 5
        assert isinstance(second, ProtocolFailure)
        assert second.hung
        assert "adaptive deadline" in second.reason
        assert testee.hangs == 2


def test_a_slow_testee_is_never_taken_for_a_hanger():
    """Answers after 0.3 s (the first after an import of the codec too): all accepted."""
    with Testee(fake("slow", "0.3"), request_timeout=10) as testee:
        testee.start()
        answers = [testee.roundtrip('{"voice":"ash"}') for _ in range(4)]
    assert answers == [Accepted(i, '{"voice":"ash"}') for i in range(4)]
    assert testee.hangs == 0


def test_a_hanging_check_reports_a_small_hanging_document_within_its_budget():
    with Testee(fake("hang-shape"), request_timeout=2) as testee:
        testee.start()
        started = time.monotonic()
        result = run_check(CHECKS["required.valid.roundtrip"], testee, PROFILES["quick"], 0)
        seconds = time.monotonic() - started
        assert result.outcome == "failed"
        assert result.failure is not None
        assert '""' in result.failure.document
        assert result.failure.message.startswith("protocol failure: no answer within")
        assert testee.hangs <= HANGS_PER_CHECK
        assert seconds < 120


def test_after_the_runs_hang_budget_every_check_fails_without_running(monkeypatch):
    monkeypatch.setattr(runner, "HANGS_PER_RUN", 1)
    with Testee(fake("hang-shape"), request_timeout=1) as testee:
        testee.start()
        testee.roundtrip(HANGING)
        assert testee.hangs == 1
        result = run_check(CHECKS["required.valid.accepted"], testee, PROFILES["quick"], 0)
    assert result.outcome == "failed"
    assert result.examples == 0
    assert result.failure is not None
    assert result.failure.message.startswith("not run: the testee hung 1 times in this run")


def test_docs_protocol_md_states_the_hang_policy_the_code_applies():
    text = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text("utf-8")
    policy = text.split("### Hangs", 1)[1].split("\n## ", 1)[0]
    for stated in (
        f"{Latency.FACTOR:g} times the 99th percentile",
        f"last {Latency.WINDOW} answer times",
        f"at least {Latency.FLOOR:g} s",
        f"one second per {Latency.BYTES_PER_SECOND} bytes of the request",
        f"After {HANGS_PER_CHECK} hangs in one check",
        f"After {runner.HANGS_PER_RUN} hangs in one run",
    ):
        assert stated in " ".join(policy.split()), stated
