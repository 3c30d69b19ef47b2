"""The testee driver against real subprocesses: the fakes of tests/fakes and tiny scripts.

Every misbehaviour a testee can show must end as a `ProtocolFailure` for one case, after
which the run goes on; only a command that cannot start, or a failed first handshake,
raises.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from conformance.driver import STDERR_TAIL, InProcess, Testee
from conformance.errors import HandshakeFailed, ProtocolViolation, TesteeNotStartable
from conformance.protocol import (
    Accepted,
    Claims,
    Hello,
    Implementation,
    ProtocolFailure,
    Rejected,
    parse_answer,
    parse_hello,
    schema,
)

ROOT = Path(__file__).resolve().parents[2]
FAKE = ROOT / "tests" / "fakes" / "fake.py"
HELLO = (
    '{"protocol":1,"implementation":{"name":"script","version":"0","language":"python"},'
    '"claims":{"validation":"none","unknown_members":"preserve"}}'
)
MiB = 2**20


def fake(mode: str, *args: str) -> list[str]:
    return [sys.executable, str(FAKE), mode, *args]


def script(body: str) -> list[str]:
    """Return a testee written inline: it answers start with HELLO, then runs *body*."""
    prelude = f"import sys, time\nsys.stdin.readline()\nprint({HELLO!r}, flush=True)\n"
    return [sys.executable, "-c", prelude + body]


@pytest.fixture
def echo():
    with Testee(fake("echo")) as testee:
        testee.start()
        yield testee


def test_start_returns_the_testees_hello(echo):
    assert echo.hello.implementation.name == "fake-echo"
    assert echo.hello.claims == Claims("none", "preserve")


@pytest.mark.parametrize(
    "document",
    [
        '{"instructions":"a\u2028b\u2029c"}',
        '{"instructions":"nul \\u0000 escaped"}',
        "raw nul \x00 and cr \r inside",
        '{"voice":"\U0001f600 astral"}',
        "lone \ud800 surrogate",
        "",
    ],
    ids=["u2028-raw", "nul-escape", "raw-controls", "astral", "lone-surrogate", "empty"],
)
def test_echo_returns_every_document_unchanged(echo, document):
    """Only a newline byte ends a line, and escapes carry what UTF-8 cannot."""
    assert echo.roundtrip(document) == Accepted(0, document)


def test_echo_returns_a_5_mb_document_without_deadlock(echo):
    document = json.dumps({"instructions": "é\u2028" * (5 * MiB // 4)})
    assert echo.roundtrip(document) == Accepted(0, document)
    assert echo.roundtrip("{}") == Accepted(1, "{}")


def test_reject_gives_rejected():
    with Testee(fake("reject")) as testee:
        testee.start()
        assert testee.roundtrip("{}") == Rejected(0, "fake-reject rejects everything")


def test_crash_names_the_status_keeps_stderr_and_restarts_the_testee():
    with Testee(fake("crash")) as testee:
        testee.start()
        first = testee.process
        answer = testee.roundtrip("CRASH")
        assert isinstance(answer, ProtocolFailure)
        assert answer.reason == "the testee exited with status 3"
        assert "fake-crash: document contains 'CRASH'" in answer.stderr
        assert testee.roundtrip("{}") == Accepted(1, "{}")
        assert testee.restarts == 1
        assert testee.process is not first


def test_hang_is_a_timeout_and_the_run_goes_on():
    with Testee(fake("hang"), request_timeout=0.5) as testee:
        testee.start()
        started = time.monotonic()
        answer = testee.roundtrip("HANG")
        assert time.monotonic() - started < 3
        assert answer == ProtocolFailure("no answer within 0.5 s", hung=True)
        assert testee.roundtrip("{}") == Accepted(1, "{}")
        assert testee.restarts == 1


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("garbage", 'the answer is not JSON (expecting value at character 0): "this line'),
        ("wrong-seq", "the answer has seq 1, which no request had yet; expected 0"),
        ("extra-member", "the answer has unexpected members: x"),
    ],
)
def test_a_malformed_answer_is_a_protocol_failure_with_its_reason(mode, reason):
    with Testee(fake(mode)) as testee:
        testee.start()
        answer = testee.roundtrip("{}")
        assert isinstance(answer, ProtocolFailure)
        assert answer.reason.startswith(reason)


def test_slow_start_beyond_the_start_timeout_fails_the_handshake():
    with Testee(fake("slow-start", "5"), start_timeout=0.3) as testee:
        with pytest.raises(HandshakeFailed, match=r"no answer to start within 0\.3 s"):
            testee.start()
        assert testee.process is None


def test_slow_start_within_the_start_timeout_works():
    with Testee(fake("slow-start", "0.2"), start_timeout=10) as testee:
        assert testee.start().implementation.name == "fake-slow-start"
        assert testee.roundtrip("{}") == Accepted(0, "{}")


def test_no_start_fails_the_handshake_with_the_exit_status():
    with Testee(fake("no-start")) as testee, pytest.raises(HandshakeFailed, match="status 0"):
        testee.start()


def test_an_unknown_mode_fails_the_handshake_and_keeps_stderr():
    with Testee(fake("no-such-mode")) as testee, pytest.raises(HandshakeFailed) as raised:
        testee.start()
    assert "unknown mode" in raised.value.stderr


@pytest.mark.parametrize(
    ("program", "message"),
    [("no-such-testee", "no such file"), ("pyproject.toml", "permission denied")],
)
def test_a_program_that_cannot_run_is_not_startable(program, message):
    with (
        Testee([str(ROOT / program)]) as testee,
        pytest.raises(TesteeNotStartable, match=message),
    ):
        testee.start()


@pytest.mark.parametrize(
    ("command", "message"),
    [("no-such-testee-command --flag", "not found"), ("./pyproject.toml", "ermission denied")],
)
def test_a_shell_command_that_cannot_run_is_not_startable_and_says_why(command, message):
    """The shell starts, so its statuses 127 and 126 with its stderr tell what went wrong."""
    with Testee(command, cwd=ROOT) as testee, pytest.raises(TesteeNotStartable, match=message):
        testee.start()


def test_an_over_long_line_is_a_failure_without_holding_the_line_in_memory():
    body = "sys.stdin.readline()\nsys.stdout.write('x' * 8_000_000 + '\\n')\nsys.stdout.flush()\n"
    with Testee(script(body), max_line=MiB) as testee:
        testee.start()
        tracemalloc.start()
        try:
            answer = testee.roundtrip("{}")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert answer == ProtocolFailure("the answer line is longer than 1 MiB")
    assert peak < 4 * MiB


def test_a_testee_flooding_stdout_cannot_grow_memory():
    body = "while True: sys.stdout.write('garbage\\n' * 1000)\n"
    with Testee(script(body), max_line=MiB) as testee:
        testee.start()
        tracemalloc.start()
        try:
            time.sleep(0.3)  # the flood runs while the runner is busy elsewhere
            answer = testee.roundtrip("{}")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert isinstance(answer, ProtocolFailure)
    assert peak < 2 * MiB


def test_an_answer_that_is_not_utf8_is_a_failure():
    body = "sys.stdin.readline()\nsys.stdout.buffer.write(b'\\xff\\n')\nsys.stdout.flush()\n"
    with Testee(script(body)) as testee:
        testee.start()
        answer = testee.roundtrip("{}")
    assert isinstance(answer, ProtocolFailure)
    assert answer.reason.startswith("the answer is not UTF-8")


def test_a_testee_that_stops_reading_cannot_block_a_large_write():
    with Testee(script("time.sleep(30)\n"), request_timeout=0.5) as testee:
        testee.start()
        answer = testee.roundtrip("x" * (4 * MiB))
    assert answer == ProtocolFailure("the testee did not read the request within 0.5 s", hung=True)


def test_a_testee_that_exits_during_a_large_write_gives_its_status():
    with Testee(script("sys.exit(5)\n")) as testee:
        testee.start()
        answer = testee.roundtrip("x" * (4 * MiB))
    assert isinstance(answer, ProtocolFailure)
    assert answer.reason == "the testee exited with status 5"


def test_a_line_nobody_asked_for_is_a_failure():
    """The stray line is caught before the next request, or taken as its wrong answer."""
    body = (
        "import json\n"
        "request = json.loads(sys.stdin.readline())\n"
        "answer = json.dumps({'seq': request['seq'], 'ok': True, 'document': '{}'})\n"
        "print(answer + '\\n' + answer, flush=True)\n"
        "sys.stdin.readline()\n"
    )
    with Testee(script(body)) as testee:
        testee.start()
        assert testee.roundtrip("{}") == Accepted(0, "{}")
        answer = testee.roundtrip("{}")
    assert isinstance(answer, ProtocolFailure)
    assert answer.reason.startswith(
        (
            "the testee wrote a line when no request was outstanding",
            "the answer has seq 0, a request answered already; expected 1",
        )
    )


def test_chatty_stderr_never_blocks_and_only_its_tail_is_kept():
    body = "sys.stderr.write('e' * 1_000_000 + 'END')\nsys.stderr.flush()\nsys.exit(3)\n"
    with Testee(script(body)) as testee:
        testee.start()
        answer = testee.roundtrip("{}")
    assert isinstance(answer, ProtocolFailure)
    assert answer.stderr.endswith("END")
    assert len(answer.stderr) == STDERR_TAIL


def test_a_failed_restart_gives_protocol_failures_and_is_not_retried(tmp_path):
    marker = tmp_path / "started"
    # The first run crashes on its first case; every later run exits before start.
    program = (
        "import sys\n"
        "from pathlib import Path\n"
        f"marker = Path({str(marker)!r})\n"
        "if marker.exists(): sys.exit(4)\n"
        "marker.touch()\n"
        "sys.stdin.readline()\n"
        f"print({HELLO!r}, flush=True)\n"
        "sys.stdin.readline()\n"
        "sys.exit(3)\n"
    )
    with Testee([sys.executable, "-c", program]) as testee:
        testee.start()
        assert testee.roundtrip("{}") == ProtocolFailure("the testee exited with status 3")
        again = testee.roundtrip("{}")
        assert isinstance(again, ProtocolFailure)
        assert again.reason == (
            "the testee could not be restarted: the testee exited with status 4"
        )
        assert testee.roundtrip("{}") is again
        assert testee.restarts == 1


def test_stop_leaves_no_process_behind_and_is_idempotent():
    testee = Testee(fake("echo"))
    testee.start()
    process = testee.process
    assert process is not None
    testee.stop()
    assert process.poll() == 0
    testee.stop()
    assert testee.process is None
    with pytest.raises(RuntimeError):
        testee.roundtrip("{}")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_a_failure_kills_the_testees_children_too():
    """The child holds stdout open, so only the exit itself tells that the testee died."""
    command = f"sleep 60 & echo child=$! >&2; exec {shlex.join(fake('crash'))}"
    with Testee(command) as testee:
        testee.start()
        answer = testee.roundtrip("CRASH")
    assert isinstance(answer, ProtocolFailure)
    assert answer.reason == "the testee exited with status 3"
    child = answer.stderr.split("child=")[1].split()[0]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = (Path("/proc") / child / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            break
        if state == "Z":  # killed; only its new parent has yet to reap it
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the testee's child {child} survived the kill")


def test_roundtrip_before_start_is_refused():
    with Testee(fake("echo")) as testee, pytest.raises(RuntimeError):
        testee.roundtrip("{}")


@pytest.mark.parametrize(
    "command",
    [
        fake("echo"),
        f"cd {shlex.quote(str(ROOT))} && {shlex.quote(sys.executable)} tests/fakes/fake.py echo",
    ],
    ids=["argv", "shell-with-operators"],
)
def test_replay_command_replays_the_case_by_hand(command):
    document = '{"instructions":"it\'s \\"quoted\\" $HOME `x` \\\\ \u2028 \U0001f600\\n"}'
    with Testee(command) as testee:
        testee.start()
        assert testee.roundtrip(document) == Accepted(0, document)
        replay = testee.replay_command(document)
    assert "\n" not in replay
    run = subprocess.run(
        ["/bin/sh", "-c", replay], capture_output=True, timeout=30, check=True, cwd="/"
    )
    hello, answer = run.stdout.decode().splitlines()
    assert parse_hello(hello).implementation.name == "fake-echo"
    assert parse_answer(answer, 0) == Accepted(0, document)


def upper(document: str) -> tuple[bool, str]:
    if document == "boom":
        raise ValueError("boom")
    return (True, document) if document.startswith("{") else (False, "not an object")


INPROCESS_HELLO = Hello(1, Implementation("upper", "0", "python"), Claims("none", "drop"))


def test_in_process_answers_like_the_subprocess_echo(echo):
    with InProcess(upper, INPROCESS_HELLO) as direct:
        assert direct.start() == INPROCESS_HELLO
        for document in ('{"a":"\u2028"}', "{\ud800}"):
            assert direct.roundtrip(document) == echo.roundtrip(document)
        assert isinstance(direct.roundtrip("[]"), Rejected)
        assert direct.command.endswith("test_driver.upper")
        assert "test_driver.upper(document)" in direct.replay_command("{}")


def test_in_process_handler_exceptions_and_bad_results_are_protocol_failures():
    with InProcess(upper, INPROCESS_HELLO) as direct:
        direct.start()
        crash = direct.roundtrip("boom")
        assert isinstance(crash, ProtocolFailure)
        assert crash.reason == "the handler raised ValueError: boom"
        assert "Traceback" in crash.stderr
        assert direct.restarts == 1
    with InProcess(lambda _: ("yes", 1), INPROCESS_HELLO) as wrong:  # type: ignore[arg-type,return-value]
        wrong.start()
        bad = wrong.roundtrip("{}")
        assert isinstance(bad, ProtocolFailure)
        assert "not (bool, str)" in bad.reason


def _schema_accepts(line: str, definition: str) -> bool:
    jsonschema = pytest.importorskip("jsonschema")
    root = schema()
    validator = jsonschema.Draft202012Validator(
        {"$defs": root["$defs"], "$ref": f"#/$defs/{definition}"}
    )
    return validator.is_valid(json.loads(line))


@pytest.mark.parametrize(
    "line",
    [
        '{"seq":0,"ok":true,"document":"{}"}',
        '{"seq":0,"ok":false,"error":"no"}',
        '{"seq":0,"ok":true,"error":"no"}',
        '{"seq":0,"ok":false,"document":"{}"}',
        '{"seq":0,"ok":1,"document":"{}"}',
        '{"seq":true,"ok":true,"document":"{}"}',
        '{"seq":0,"ok":true,"document":"{}","x":1}',
        '{"seq":0,"ok":true,"document":5}',
        '{"ok":true,"document":"{}"}',
        "[]",
    ],
)
def test_the_answer_parser_agrees_with_the_json_schema(line):
    try:
        parse_answer(line, 0)
    except ProtocolViolation:
        parsed = False
    else:
        parsed = True
    assert parsed == _schema_accepts(line, "roundtrip-response")


@pytest.mark.parametrize(
    "line",
    [
        HELLO,
        HELLO.replace('"python"}', '"python","homepage":"https://example.org"}'),
        HELLO.replace('"protocol":1', '"protocol":2'),
        HELLO.replace('"protocol":1', '"protocol":true'),
        HELLO.replace('"version":"0"', '"version":""'),
        HELLO.replace('"none"', '"strict"'),
        HELLO.replace('"preserve"}', '"preserve","x":1}'),
        HELLO.replace('"language":"python"', '"lang":"python"'),
    ],
)
def test_the_hello_parser_agrees_with_the_json_schema(line):
    try:
        parse_hello(line)
    except ProtocolViolation:
        parsed = False
    else:
        parsed = True
    assert parsed == _schema_accepts(line, "start-response")


def test_the_schemas_in_docs_protocol_md_are_those_of_the_json_file():
    """docs/protocol.md copies each $defs entry; a change to one must reach the other."""
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    for name, definition in schema()["$defs"].items():
        section = text.split(f"### {name}\n", 1)[1]
        block = section.split("```json\n", 1)[1].split("\n```", 1)[0]
        assert json.loads(block) == definition, name
