r"""Drive one testee: start it once, send it cases one at a time, and survive whatever it does.

A testee is someone else's program. It can crash, hang, print garbage or flood stderr,
and one bad case must never end a run. So `Testee.roundtrip` never raises for the
testee's misbehaviour: it returns a `ProtocolFailure` with the stderr it captured, kills
the testee's whole process group, and starts it again before the next case.

Three threads per process keep the pipes moving (`conformance.pipes`): a line reader
with a size cap, a bounded stderr tail and an exit watcher. POSIX only: process groups
and ``/bin/sh`` are part of the contract.
"""

from __future__ import annotations

import os
import queue
import select
import shlex
import signal
import subprocess
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Self

from conformance.errors import HandshakeFailed, ProtocolViolation, TesteeNotStartable
from conformance.pipes import (
    EXITED,
    STDERR_TAIL,
    Exited,
    Item,
    Tail,
    Unreadable,
    read_lines,
    watch,
)
from conformance.protocol import (
    Accepted,
    Answer,
    Hello,
    ProtocolFailure,
    Rejected,
    parse_answer,
    parse_hello,
    roundtrip_request,
    start_request,
    stop_request,
)

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["STDERR_TAIL", "Handler", "InProcess", "Testee"]

_STOP_GRACE = 5.0
# After end-of-file on stdout the testee is normally exiting; its status names the fault.
_EXIT_GRACE = 1.0
# Reader threads end at end-of-file, which killing the group brings at once; a process
# that escaped the group (setsid) may keep a pipe open, and must not hang the runner.
_JOIN_GRACE = 2.0
# The shell's statuses for "found but not executable" and "not found".
_SHELL_CANNOT_RUN = (126, 127)


class _Broken(Exception):  # noqa: N818 - private signal, turned into a ProtocolFailure
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _seconds(timeout: float) -> str:
    return f"{timeout:g} s"


def _exit_description(status: int) -> str:
    if status >= 0:
        return f"the testee exited with status {status}"
    try:
        name = f" ({signal.Signals(-status).name})"
    except ValueError:
        name = ""
    return f"the testee was killed by signal {-status}{name}"


class _Process:
    """One run of the testee command, with its three threads."""

    def __init__(
        self,
        argv: Sequence[str],
        cwd: str | os.PathLike[str] | None,
        env: Mapping[str, str] | None,
        max_line: int,
    ) -> None:
        # A session of its own: killing the group also kills what a shell or a launcher
        # script started, and Ctrl-C in the terminal reaches the runner only.
        self.popen = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        stdin, stdout, stderr = self.popen.stdin, self.popen.stdout, self.popen.stderr
        if stdin is None or stdout is None or stderr is None:  # pragma: no cover - PIPE asked
            raise RuntimeError("subprocess.PIPE gave no pipe")
        self._stdin = stdin
        # Non-blocking, so that a testee that stops reading cannot block a large write
        # past the request's deadline.
        os.set_blocking(self._stdin.fileno(), False)
        self._writable = select.poll()
        self._writable.register(self._stdin.fileno(), select.POLLOUT)
        self.lines: queue.SimpleQueue[Item] = queue.SimpleQueue()
        self._exited = False
        self._exit = threading.Event()
        self.stderr = Tail()
        # Daemons: a thread stuck on a pipe held by an escaped process must not keep the
        # runner from exiting.
        self._threads = [
            threading.Thread(
                target=target, args=args, name=f"testee-{self.popen.pid}-{name}", daemon=True
            )
            for target, args, name in (
                (read_lines, (stdout, self.lines, max_line), "stdout"),
                (self.stderr.drain, (stderr,), "stderr"),
                (watch, (self.popen, self._exit, self.lines), "exit"),
            )
        ]
        for thread in self._threads:
            thread.start()

    def exchange(self, request: str, timeout: float, what: str = "no answer") -> str:
        """Send *request* and return the answer line, or raise `_Broken` saying why not."""
        deadline = time.monotonic() + timeout
        self._expect_silence()
        try:
            self._write(request.encode("ascii"), deadline)
        except TimeoutError:  # before OSError, whose subclass it is
            raise _Broken(
                f"the testee did not read the request within {_seconds(timeout)}"
            ) from None
        except OSError:
            raise _Broken(self._exit_reason("the testee closed its stdin")) from None
        while True:
            try:
                item = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                if self._exited:
                    raise _Broken(self._exit_reason("the testee exited")) from None
                raise _Broken(f"{what} within {_seconds(timeout)}") from None
            if item is not EXITED:
                return self._line(item)
            # An answer written just before the exit may still be on its way through the
            # reader; end-of-file normally follows at once.
            self._exited = True
            deadline = min(deadline, time.monotonic() + _EXIT_GRACE)

    def _expect_silence(self) -> None:
        # In lockstep nothing may arrive between an answer and the next request; a stray
        # line would otherwise be taken for the next answer and blame the wrong case.
        if self._exited:
            raise _Broken(self._exit_reason("the testee exited"))
        with suppress(queue.Empty):
            item = self.lines.get_nowait()
            if isinstance(item, str):
                raise _Broken(f"the testee wrote a line nobody asked for: {item[:80]!r}")
            self._line(item)

    def _line(self, item: Item) -> str:
        if item is None or isinstance(item, Exited):
            raise _Broken(self._exit_reason("the testee closed its stdout"))
        if isinstance(item, Unreadable):
            raise _Broken(item.reason)
        return item

    def _write(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        fd = self._stdin.fileno()
        while view:
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._writable.poll(remaining * 1000):
                    raise TimeoutError from None

    def _exit_reason(self, otherwise: str) -> str:
        if not self._exit.wait(_EXIT_GRACE):
            return otherwise
        return _exit_description(self.popen.wait())

    def kill(self) -> str:
        """Kill the whole process group, reap it, and return the stderr tail."""
        # If the leader was reaped already, its id is still the group's while any member
        # lives, and a pid is not reused within the moment this takes.
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()
        with suppress(OSError):
            self._stdin.close()
        for thread in self._threads:
            thread.join(_JOIN_GRACE)
        return self.stderr.text()

    def stop(self) -> None:
        """Ask the testee to exit, wait up to 5 s, then make sure of it."""
        deadline = time.monotonic() + _STOP_GRACE
        with suppress(OSError, TimeoutError):
            self._write(stop_request().encode("ascii"), deadline)
        with suppress(OSError):
            self._stdin.close()  # end-of-file asks for exit too, for a testee that missed stop
        self._exit.wait(max(0.0, deadline - time.monotonic()))
        self.kill()


class _StartFailed(Exception):  # noqa: N818 - private signal, turned into a public error
    def __init__(self, reason: str, stderr: str, *, startable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.stderr = stderr
        self.startable = startable


def _simple(command: str) -> bool:
    """Say whether *command* is plain words, with no shell syntax that a pipe would split."""
    try:
        return shlex.join(shlex.split(command)) == command
    except ValueError:  # unbalanced quotes
        return False


def _replay(lines: Sequence[str], command: str) -> str:
    quoted = " ".join(shlex.quote(line.rstrip("\n")) for line in lines)
    return f"printf '%s\\n' {quoted} | {command}"


class _Stops:
    """A context manager that calls ``stop()`` on the way out."""

    def stop(self) -> None:
        """Stop the testee; safe to call more than once."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class Testee(_Stops):
    """One testee command, started once and kept running across cases.

    A str *command* runs through ``/bin/sh -c``; a sequence runs directly. The timeouts
    and the line cap are those of docs/protocol.md.
    """

    __test__ = False  # its name starts with "Test": pytest must not collect it

    def __init__(  # noqa: PLR0913 - each limit of docs/protocol.md is configurable
        self,
        command: str | Sequence[str],
        *,
        start_timeout: float = 60.0,
        request_timeout: float = 10.0,
        max_line: int = 64 * 2**20,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._shell = isinstance(command, str)
        self._argv: tuple[str, ...] = (
            ("/bin/sh", "-c", command) if isinstance(command, str) else tuple(command)
        )
        self._command = command if isinstance(command, str) else shlex.join(command)
        self._start_timeout = start_timeout
        self._request_timeout = request_timeout
        self._max_line = max_line
        self._cwd = cwd
        self._env = env
        self._process: _Process | None = None
        self._hello: Hello | None = None
        self._seq = 0
        self._restarts = 0
        self._restart_failure: ProtocolFailure | None = None
        self._stopped = False

    @property
    def command(self) -> str:
        """The testee command as one shell line."""
        return self._command

    @property
    def hello(self) -> Hello:
        """The testee's answer to the first ``start``."""
        if self._hello is None:
            raise RuntimeError("the testee has not been started")
        return self._hello

    @property
    def restarts(self) -> int:
        """How many restarts protocol failures caused, including one that failed."""
        return self._restarts

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The running process, if any: for diagnostics and the driver's own tests."""
        return self._process.popen if self._process else None

    def start(self) -> Hello:
        """Start the testee and complete ``start``.

        Raises `TesteeNotStartable` when the command cannot be run at all, and
        `HandshakeFailed` when it runs but does not answer ``start`` by the protocol.
        """
        if self._process is not None or self._stopped:
            raise RuntimeError("start() may be called once, before stop()")
        try:
            self._process, self._hello = self._launch()
        except _StartFailed as failed:
            if not failed.startable:
                raise TesteeNotStartable(
                    f"The testee command {self._command!r} cannot be started: {failed.reason}."
                ) from None
            raise HandshakeFailed(
                f"The testee {self._command!r} did not complete start: {failed.reason}.",
                failed.stderr,
            ) from None
        return self._hello

    def _launch(self) -> tuple[_Process, Hello]:
        try:
            process = _Process(self._argv, self._cwd, self._env, self._max_line)
        except OSError as error:
            reason = (error.strerror or str(error)).lower()
            raise _StartFailed(reason, "", startable=False) from None
        try:
            line = process.exchange(start_request(), self._start_timeout, "no answer to start")
            return process, parse_hello(line)
        except (_Broken, ProtocolViolation) as error:
            status = process.popen.returncode
            stderr = process.kill()
            if self._shell and status in _SHELL_CANNOT_RUN:
                last = stderr.strip().splitlines()[-1:] or [f"the shell exited with {status}"]
                raise _StartFailed(last[0], stderr, startable=False) from None
            reason = error.reason if isinstance(error, _Broken) else str(error)
            raise _StartFailed(reason, stderr) from None

    def roundtrip(self, document: str) -> Answer:
        """Send *document* with the next seq and return the answer.

        Never raises for the testee's misbehaviour: that is a `ProtocolFailure`, after
        which the testee is killed and, on the next call, started again.
        """
        process = self._ready()
        if isinstance(process, ProtocolFailure):
            return process
        seq = self._seq
        self._seq += 1
        try:
            return parse_answer(
                process.exchange(roundtrip_request(seq, document), self._request_timeout), seq
            )
        except _Broken as broken:
            reason = broken.reason
        except ProtocolViolation as violation:
            reason = str(violation)
        self._process = None
        return ProtocolFailure(reason, process.kill())

    def _ready(self) -> _Process | ProtocolFailure:
        if self._hello is None or self._stopped:
            raise RuntimeError("roundtrip() needs start() first, and no stop() yet")
        if self._restart_failure is not None:
            # Not retried: a testee that cannot start would cost a start timeout per case.
            return self._restart_failure
        if self._process is None:
            self._restarts += 1
            try:
                self._process, hello = self._launch()
            except _StartFailed as failed:
                reason = f"the testee could not be restarted: {failed.reason}"
                self._restart_failure = ProtocolFailure(reason, failed.stderr)
                return self._restart_failure
            if hello != self._hello:
                # The verdicts so far were made under the first claims.
                self._process.kill()
                self._process = None
                self._restart_failure = ProtocolFailure(
                    "the testee could not be restarted: it answered start differently"
                )
                return self._restart_failure
        return self._process

    def stop(self) -> None:
        """Send ``stop``, wait up to 5 s for the exit, then kill the group; idempotent."""
        self._stopped = True
        process, self._process = self._process, None
        if process is not None:
            process.stop()

    def replay_command(self, document: str) -> str:
        """Return a one-line POSIX shell command that replays *document* by hand."""
        lines = (start_request(), roundtrip_request(0, document), stop_request())
        command = self._command
        if self._shell and not _simple(command):
            # Operators such as && or ; would bind to the pipe's last stage only.
            command = f"/bin/sh -c {shlex.quote(command)}"
        replay = _replay(lines, command)
        if self._cwd is not None:
            replay = f"cd {shlex.quote(os.fspath(self._cwd))} && {replay}"
        return replay


Handler = Callable[[str], tuple[bool, str]]
"""An implementation in this process: True and the output, or False and an error."""


class InProcess(_Stops):
    """The `Testee` interface around a Python callable, without a subprocess.

    For benchmarks, and to compare the subprocess path with a direct call. An exception
    from the handler is a crash, so it becomes a `ProtocolFailure` as it would over pipes.
    """

    def __init__(self, handler: Handler, hello: Hello) -> None:
        self._handler = handler
        self._hello = hello
        self._seq = 0
        self._restarts = 0
        self._started = False
        self._stopped = False
        module = getattr(handler, "__module__", None) or "__main__"
        name = getattr(handler, "__qualname__", None) or type(handler).__qualname__
        self._target = (module, name)

    @property
    def command(self) -> str:
        """A description of the handler, in place of a command."""
        return f"in-process {self._target[0]}.{self._target[1]}"

    @property
    def hello(self) -> Hello:
        """The hello given to the constructor."""
        return self._hello

    @property
    def restarts(self) -> int:
        """How many times the handler raised (a crash would have cost a restart)."""
        return self._restarts

    def start(self) -> Hello:
        """Return the hello; there is nothing to start."""
        if self._started or self._stopped:
            raise RuntimeError("start() may be called once, before stop()")
        self._started = True
        return self._hello

    def roundtrip(self, document: str) -> Answer:
        """Call the handler on *document*; never raises for what the handler does."""
        if not self._started or self._stopped:
            raise RuntimeError("roundtrip() needs start() first, and no stop() yet")
        seq = self._seq
        self._seq += 1
        try:
            # object, not the declared type: the handler is code under test.
            result: object = self._handler(document)
        except Exception as error:  # noqa: BLE001 - any exception is the handler crashing
            self._restarts += 1
            reason = f"the handler raised {type(error).__name__}: {error}"
            return ProtocolFailure(reason, traceback.format_exc()[-STDERR_TAIL:])
        match result:
            case (True, str(output)):
                return Accepted(seq, output)
            case (False, str(message)):
                return Rejected(seq, message)
        return ProtocolFailure(f"the handler returned {result!r:.80}, not (bool, str)")

    def stop(self) -> None:
        """Nothing to stop; later roundtrips are refused as with `Testee`."""
        self._stopped = True

    def replay_command(self, document: str) -> str:
        """Return a shell command that calls the handler on *document* in a fresh Python.

        It works when the handler can be imported by its module and qualified name.
        """
        module, name = self._target
        script = (
            f"import json, sys, {module}; "
            'document = json.loads(sys.stdin.readline())["document"]; '
            f"print({module}.{name}(document))"
        )
        return _replay([roundtrip_request(0, document)], f"python3 -c {shlex.quote(script)}")
