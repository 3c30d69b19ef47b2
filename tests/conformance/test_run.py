"""The run side end to end, through the real CLI and pytest as subprocesses.

Every run whose options are valid leaves a ``results.json`` with a verdict, whatever the
testee does (hostile text, a failed start, a start that fails in one worker) and however
the run ends (a signal); nothing from the testee reaches the terminal unescaped; no
testee process outlives the run. The fakes are in tests/fakes/fake.py (``run-*`` modes).
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conformance.expectations import load_expectations
from conformance.results import load_results

ROOT = Path(__file__).parents[2]
FAKE = ROOT / "tests" / "fakes" / "fake.py"
HOSTILE = "\x1b[31m\x1b]0;pwned\x07<b>&amp;</b>\x00\ud800\u202e\r"


# Without this suite's own xdist variables: a fake reads PYTEST_XDIST_WORKER of its run.
ENV = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}


def cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        capture_output=True, cwd=cwd, env=ENV, timeout=600, check=False,
    )  # fmt: skip


def record(directory):
    text = (directory / "results.json").read_text(encoding="ascii")
    return json.loads(text), load_results(text)


def assert_terminal_safe(run):
    """Nothing a testee wrote reaches the terminal raw: no ESC, BEL, NUL, CR, or U+202E."""
    for stream in (run.stdout, run.stderr):
        text = stream.decode("utf-8")  # also shows it is valid UTF-8: no lone surrogate
        assert not {"\x1b", "\x07", "\x00", "\r", "\u202e"} & set(text)


def fake(mode, *args):
    return " ".join([sys.executable, str(FAKE), mode, *args])


def leftovers(marker):
    """Testee processes whose command line holds *marker* (a token given to one testee).

    The CLI's own command line holds it too (in --testee): that one is not a testee.
    """
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                line = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in line and b"conformance\0run" not in line:
                found.append(int(entry.name))
    return found


def test_a_correct_sdk_with_hostile_text_everywhere_certifies_with_the_text_intact(tmp_path):
    run = cli(
        "run", "--testee", "fake-run-hostile", "--profile", "quick",
        "--report-dir", str(tmp_path / "report"),
        "-k", "implementation-defined.lone-surrogate or valid.accepted", cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    data, results = record(tmp_path / "report")
    assert data["verdict"] == "conformant"
    assert data["conformant"] is True
    assert results.implementation["name"] == f"{HOSTILE}name"
    assert results.implementation["homepage"].endswith(HOSTILE)
    answers = [o.answer for c in results.checks for o in c.observations]
    assert any("\ud800" in answer for answer in answers)  # the raw surrogate, kept
    assert_terminal_safe(run)
    assert "\\x1b[31m" in run.stdout.decode()  # shown escaped, not dropped
    # Hypothesis' files go under the report directory, never into the current one.
    assert not (tmp_path / ".hypothesis").exists()
    assert (tmp_path / "report" / ".hypothesis").is_dir()


def test_hostile_failures_are_escaped_and_the_ratchet_command_runs_as_printed(tmp_path):
    run = cli(
        "run", "--testee", "fake-run-hostile-reject", "--profile", "quick",
        "--report-dir", str(tmp_path), "-k", "valid.accepted", "--database",
        str(tmp_path / "db"), cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 1
    assert record(tmp_path)[0]["verdict"] == "not conformant"
    assert_terminal_safe(run)
    assert (tmp_path / "db").is_dir()
    lines = run.stdout.decode().splitlines()
    command = lines[lines.index("to make the current failures the expected ones, run:") + 1]
    # The printed command is what this test runs: it must be one valid shell line.
    subprocess.run(command, shell=True, cwd=tmp_path, check=True, timeout=30)  # noqa: S602
    entries = load_expectations(tmp_path / "expectations.txt")
    assert [e.pattern for e in entries] == ["required.valid.accepted"]
    again = cli(
        "run", "--testee", "fake-run-hostile-reject", "--profile", "quick", "--report-dir",
        str(tmp_path), "-k", "valid.accepted", "--expectations", "expectations.txt", cwd=tmp_path,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout[-2000:]
    data, _ = record(tmp_path)
    assert (data["verdict"], data["expectations_met"]) == ("not conformant", True)


def test_a_failed_start_leaves_a_record_with_the_reason_and_stderr_and_no_older_one(tmp_path):
    (tmp_path / "results.json").write_text('{"conformant": true}')
    started = tmp_path / "started"
    started.touch()  # so the fake refuses every start
    run = cli(
        "run", "--testee", fake("run-start-once", str(started)), "--report-dir", str(tmp_path)
    )
    assert run.returncode == 1
    data, results = record(tmp_path)
    assert data["verdict"] == "start failed"
    assert results.start_failure is not None
    assert "already started once" in results.start_failure.stderr
    assert "already started once" in run.stderr.decode()  # the testee's stderr is shown
    assert "Traceback" not in run.stderr.decode()


def test_a_testee_that_starts_only_once_is_never_certified(tmp_path):
    """The handshake works, then the testee dies: no check ran, so no certificate."""
    run = cli(
        "run", "--testee", fake("run-start-once", str(tmp_path / "started")), "--profile",
        "quick", "--report-dir", str(tmp_path), "-k", "malformed.comment or valid.accepted",
    )  # fmt: skip
    assert run.returncode == 1, run.stdout[-2000:]
    data, _ = record(tmp_path)
    assert data["verdict"] == "start failed"
    assert {c["outcome"] for c in data["checks"]} == {"error"}


def test_a_start_that_fails_in_one_xdist_worker_is_not_conformant(tmp_path):
    run = cli(
        "run", "--testee", fake("run-start-fails-in", "gw1"), "--profile", "quick",
        "--report-dir", str(tmp_path), "-n", "2", "-k", "malformed",
    )  # fmt: skip
    assert run.returncode == 1, run.stdout[-2000:]
    data, _ = record(tmp_path)
    outcomes = {c["outcome"] for c in data["checks"]}
    assert data["verdict"] == "not conformant"
    assert {"passed", "error"} <= outcomes
    assert "no start in worker gw1" in json.dumps(data)


def test_pytest_with_a_testee_that_does_not_exist_is_not_certified(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         "--testee", "no-such-testee-anywhere", "--report-dir", str(tmp_path),
         "-k", "malformed.comment or valid.accepted"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout[-2000:]
    data, _ = record(tmp_path)
    assert data["verdict"] == "start failed"
    assert len(data["checks"]) == 2
    assert {c["outcome"] for c in data["checks"]} == {"error"}


def interrupt(tmp_path, number, *options, group=False):
    """Start a run against a lingering testee, send *number*, return run, seconds, marker."""
    marker = f"linger-{uuid.uuid4().hex}"
    command = [
        sys.executable, "-m", "conformance", "run", "--testee",
        fake("run-linger", marker), "--report-dir", str(tmp_path), "--profile", "quick",
        *options,
    ]  # fmt: skip
    log = tmp_path / "stdout.txt"
    with log.open("wb") as stdout:
        # Unbuffered, so that "PASSED" shows the moment a check ends, not when the run does.
        process = subprocess.Popen(
            command, cwd=ROOT, env={**ENV, "PYTHONUNBUFFERED": "1"}, stdout=stdout,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 300
    while b"PASSED" not in log.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.2)  # until a check has finished
    sent = time.monotonic()
    (os.killpg if group else os.kill)(process.pid, number)
    _, stderr = process.communicate(timeout=120)
    seconds = time.monotonic() - sent
    return process.returncode, log.read_bytes(), stderr, seconds, marker


@pytest.mark.parametrize(
    ("number", "status", "options", "group"),
    [
        (signal.SIGINT, 130, (), False),
        (signal.SIGTERM, 143, (), False),
        (signal.SIGINT, 130, ("-n", "2"), True),
    ],
    ids=["sigint", "sigterm", "ctrl-c-with-two-workers"],
)
def test_a_signal_ends_the_run_in_seconds_with_an_interrupted_record(
    tmp_path, number, status, options, group
):
    returncode, stdout, stderr, seconds, marker = interrupt(
        tmp_path, number, "-k", "malformed or implementation", *options, group=group
    )
    assert returncode == status, (stdout[-2000:], stderr[-2000:])
    assert seconds < 15
    data, _ = record(tmp_path)
    assert data["verdict"] == "interrupted"
    assert data["conformant"] is False
    outcomes = [c["outcome"] for c in data["checks"]]
    assert "not run" in outcomes
    assert "passed" in outcomes, stdout[-3000:]  # the checks finished before the signal
    time.sleep(1)
    assert leftovers(marker) == []


def test_sigint_during_the_handshake_leaves_no_testee_and_a_record(tmp_path):
    marker = f"slow-{uuid.uuid4().hex}"
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance", "run", "--testee",
         f"{fake('slow-start', '30')} {marker}", "--report-dir", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not leftovers(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode == 130
    assert record(tmp_path)[0]["verdict"] == "interrupted"
    time.sleep(1)
    assert leftovers(marker) == []


def test_two_runs_sharing_a_report_directory_leave_one_whole_record(tmp_path):
    args = ["run", "--testee", "reference", "--profile", "quick", "--report-dir",
            str(tmp_path), "-k", "malformed.comment"]  # fmt: skip
    runs = [
        subprocess.Popen([sys.executable, "-m", "conformance", *args], cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]  # fmt: skip
    assert [r.wait(timeout=300) for r in runs] == [0, 0]
    assert record(tmp_path)[0]["verdict"] == "conformant"
    # Every file whole, and no temporary file left behind by either run.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".hypothesis", "badge.svg", "junit.xml", "report.html", "report.md", "results.json"
    ]  # fmt: skip


def usage_cases(tmp_path):
    """Each mistake, and the sentence that names it."""
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\xff required.valid.accepted # x\n")
    bad_glob = tmp_path / "bad-glob.txt"
    bad_glob.write_text("required.[valid  # unbalanced\n")
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o500)
    if os.access(read_only, os.W_OK):  # root writes anywhere: take a folder nobody can
        read_only = Path("/proc") / "realtime-conformance"
    duplicate = tmp_path / "duplicate.txt"
    duplicate.write_text("required.valid.accepted  # a\nrequired.valid.accepted  # b\n")
    return {
        "report-dir-is-a-file": (["--report-dir", str(a_file)], "is a file"),
        "report-dir-read-only": (
            ["--report-dir", str(read_only)],
            "cannot be created or written in",
        ),
        "expectations-binary": (["--expectations", str(binary)], "not UTF-8 text"),
        "expectations-bad-glob": (["--expectations", str(bad_glob)], "not a check id"),
        "expectations-duplicate": (["--expectations", str(duplicate)], "listed twice"),
        "timeout-nan": (["--timeout", "nan"], "finite number of seconds"),
        "timeout-inf": (["--timeout", "inf"], "finite number of seconds"),
        "timeout-negative": (["--timeout", "-1"], "finite number of seconds"),
        "timeout-zero": (["--timeout", "0"], "finite number of seconds"),
        "timeout-text": (["--timeout", "soon"], "number of seconds"),
        "start-timeout-inf": (["--start-timeout", "inf"], "finite number of seconds"),
        "database-is-a-file": (["--database", str(a_file)], "is a file"),
        "k-matches-nothing": (["-k", "no-check-is-called-this"], "matches no check"),
    }


USAGE = [
    "report-dir-is-a-file", "report-dir-read-only", "expectations-binary",
    "expectations-bad-glob", "expectations-duplicate", "timeout-nan", "timeout-inf",
    "timeout-negative", "timeout-zero", "timeout-text", "start-timeout-inf",
    "database-is-a-file", "k-matches-nothing",
]  # fmt: skip


@pytest.mark.parametrize("case", USAGE)
def test_a_cli_mistake_is_one_sentence_and_exit_2_before_any_testee_starts(tmp_path, case):
    options, sentence = usage_cases(tmp_path)[case]
    marker = tmp_path / "started"
    run = cli(
        "run", "--testee", fake("run-start-once", str(marker)), "--report-dir",
        str(tmp_path / "report"), *options,
    )  # fmt: skip
    stderr = run.stderr.decode()
    assert run.returncode == 2, stderr
    assert sentence in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert not marker.exists()  # the testee never started


@pytest.mark.parametrize("case", [c for c in USAGE if c != "k-matches-nothing"])
def test_a_mistake_through_pytest_testee_is_a_usage_error_too(tmp_path, case):
    options, sentence = usage_cases(tmp_path)[case]
    marker = tmp_path / "started"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         "--testee", fake("run-start-once", str(marker)), "--report-dir",
         str(tmp_path / "report"), *options],
        capture_output=True, text=True, cwd=tmp_path, env=ENV, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout[-2000:]
    assert sentence in run.stderr
    assert "Traceback" not in run.stderr
    assert not marker.exists()


def test_dash_n_without_pytest_xdist_is_a_usage_error(tmp_path):
    """As if pytest-xdist were not installed: the CLI says so before starting anything."""
    argv = ["run", "--testee", "reference", "-n", "2", "--report-dir", str(tmp_path)]
    script = (
        "import sys; sys.modules['xdist'] = None; from conformance.cli import main; "
        f"sys.exit(main({argv!r}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=ENV,
        timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert "-n needs pytest-xdist" in run.stderr
    assert not (tmp_path / "results.json").exists()
