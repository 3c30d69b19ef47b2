"""No testee process outlives the driver: not a lingering one, not one that escaped the group.

Checked on the process table itself (psutil), never on what the driver believes.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import psutil
import pytest

from conformance.driver import Testee
from conformance.process import MARKER
from conformance.protocol import Accepted, ProtocolFailure

FAKE = Path(__file__).resolve().parents[2] / "tests" / "fakes" / "fake.py"


def fake(mode: str, *args: str) -> list[str]:
    return [sys.executable, str(FAKE), mode, *args]


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def survivors(pids: list[int], within: float = 5.0) -> list[int]:
    """Return the pids still running after *within* seconds (a kill is not instant)."""
    deadline = time.monotonic() + within
    while (left := [pid for pid in pids if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def marked(token: str) -> list[int]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(MARKER) == token and alive(process.pid):
                found.append(process.pid)
        except psutil.Error:
            continue
    return found


def group_members(pgid: int) -> list[int]:
    members = []
    for process in psutil.process_iter():
        try:
            if alive(process.pid) and os.getpgid(process.pid) == pgid:
                members.append(process.pid)
        except (psutil.Error, ProcessLookupError):
            continue
    return members


def test_a_testee_that_keeps_running_after_stop_and_eof_is_killed_with_its_group():
    """Like a JVM with a non-daemon thread: stop() waits its grace, then kills the group."""
    testee = Testee(fake("linger"), stop_grace=0.5)
    testee.start()
    assert testee.roundtrip("{}") == Accepted(0, "{}")
    process = testee.process
    assert process is not None
    started = time.monotonic()
    testee.stop()
    assert time.monotonic() - started < 5
    assert process.returncode is not None
    assert process.returncode < 0  # killed: it would not exit by itself
    assert survivors([process.pid]) == []
    assert group_members(process.pid) == []


def test_processes_that_escaped_into_new_sessions_are_found_and_killed_by_stop():
    """A child in a new session (in the tree) and an orphaned daemon (found by the marker)."""
    testee = Testee(fake("escape"))
    testee.start()
    assert testee.roundtrip("{}") == Accepted(0, "{}")
    process = testee.process
    assert process is not None
    children = psutil.Process(process.pid).children(recursive=True)
    assert children, "the fake started no child"
    token = psutil.Process(process.pid).environ()[MARKER]
    escaped = marked(token)
    assert len(escaped) >= 3  # the testee, its child and the orphan
    assert any(psutil.Process(pid).ppid() != process.pid for pid in escaped if pid != process.pid)
    testee.stop()
    assert survivors(escaped) == []
    assert marked(token) == []


def test_a_restart_kills_the_escaped_child_of_the_process_it_replaces():
    """A hang restarts the testee; the tree walk takes its setsid child along at once."""
    with Testee(fake("escape"), request_timeout=0.5) as testee:
        testee.start()
        process = testee.process
        assert process is not None
        child = next(p.pid for p in psutil.Process(process.pid).children())
        assert os.getsid(child) != os.getsid(process.pid)
        answer = testee.roundtrip("HANG")
        assert isinstance(answer, ProtocolFailure)
        assert answer.hung
        assert survivors([child]) == []
        assert testee.roundtrip("{}") == Accepted(1, "{}")


@pytest.mark.parametrize("mode", ["echo", "hang"])
def test_stop_leaves_no_member_of_the_process_group(mode):
    with Testee(fake(mode), request_timeout=0.3) as testee:
        testee.start()
        testee.roundtrip("HANG")  # the hang fake hangs: killed, and started again below
        assert testee.roundtrip("{}") == Accepted(1, "{}")
        process = testee.process
        assert process is not None
    assert group_members(process.pid) == []
