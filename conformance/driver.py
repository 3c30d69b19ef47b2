r"""Drive one testee: start it once, send it cases one at a time, and survive whatever it does.

A testee is someone else's program. It can crash, hang, print garbage or flood stderr,
and one bad case must never end a run. So `Testee.roundtrip` never raises for the
testee's misbehaviour: it returns a `ProtocolFailure` with the stderr it captured, kills
the testee's whole process group, and starts it again before the next case.

A hang costs seconds, not a timeout per case: once the testee has hung at the full
timeout, a request gets a deadline adapted to how fast this testee answers (`Latency`).
Three threads per process keep the pipes moving (`conformance.pipes`), and a kill takes
the whole process tree (`conformance.process`). POSIX only: process groups and
``/bin/sh`` are part of the contract.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import time
import traceback
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Self

from conformance.errors import HandshakeFailed, ProtocolViolation, TesteeNotStartable
from conformance.pipes import STDERR_TAIL
from conformance.process import MARKER, Broken, Process, seconds, sweep
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
from conformance.signals import raise_pending
from conformance.untrusted import clip

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["STDERR_TAIL", "Handler", "InProcess", "Latency", "Testee"]

# The shell's statuses for "found but not executable" and "not found".
_SHELL_CANNOT_RUN = (126, 127)


class Latency:
    """How fast this testee answers, and the deadline that makes a hang cheap.

    Until the testee has hung once at the full timeout, every request gets the full
    timeout: a JVM's first requests and its garbage-collection pauses are slow, not
    hung. Once it has, it is known to hang, and a request gets the *adaptive deadline*:
    `FACTOR` times the 99th percentile of its last `WINDOW` answer times, at least
    `FLOOR`, plus a second per `BYTES_PER_SECOND` of the request (a large document takes
    longer than the small ones that set the percentile), and at most the full timeout
    (docs/protocol.md, "Timeouts"). The first request after a start is timed apart from
    the others, since it often pays for lazy loading or a JIT: each kind gets a
    deadline from its own kind.
    """

    FLOOR = 0.25
    FACTOR = 10.0
    BYTES_PER_SECOND = 1_000_000
    WINDOW = 256
    SAMPLES = 4
    """Answers needed before they say anything; until then, the full timeout."""

    def __init__(self) -> None:
        self._warm: deque[float] = deque(maxlen=self.WINDOW)
        self._cold: deque[float] = deque(maxlen=self.WINDOW)
        self.hung_at_timeout = False

    def record(self, seconds: float, *, cold: bool) -> None:
        """Add the time one answer took; *cold* for the first request after a start."""
        (self._cold if cold else self._warm).append(seconds)

    def deadline(self, timeout: float, *, cold: bool, size: int = 0) -> float:
        """Return how long a request of *size* bytes may take before it counts as a hang."""
        # A testee that hangs often gives few warm answers between its restarts; its
        # first answers, slower if anything, stand in for them meanwhile.
        recent = self._cold if cold or not self._warm else self._warm
        if not self.hung_at_timeout or len(self._warm) + len(self._cold) < self.SAMPLES:
            return timeout
        ordered = sorted(recent)
        high = ordered[int(0.99 * (len(ordered) - 1))]
        allowance = size / self.BYTES_PER_SECOND
        return min(timeout, max(self.FLOOR, self.FACTOR * high) + allowance)


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
    and the line cap are those of docs/protocol.md; *stop_grace* is how long `stop`
    waits for the testee to exit by itself before it kills it.
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
        stop_grace: float = 5.0,
        run_token: str | None = None,
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
        # Every process of this driver carries the token: `stop` finds by it those that
        # left the process tree. Under *run_token* it extends that token, so that one
        # sweep of the run's token also finds what a driver killed mid-start left.
        self._token = secrets.token_hex(8)
        if run_token is not None:
            self._token = f"{run_token}.{self._token}"
        self._env = {**(os.environ if env is None else env), MARKER: self._token}
        self._stop_grace = stop_grace
        self._process: Process | None = None
        self._hello: Hello | None = None
        self._seq = 0
        self._restarts = 0
        self._hangs = 0
        self.latency = Latency()
        self._cold = True
        """Whether the next request is the first since the testee (re)started."""
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
    def hangs(self) -> int:
        """How many requests got no answer in time, over the whole life of this driver."""
        return self._hangs

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

    def _launch(self) -> tuple[Process, Hello]:
        try:
            process = Process(self._argv, self._cwd, self._env, self._max_line)
        except OSError as error:
            reason = (error.strerror or str(error)).lower()
            raise _StartFailed(reason, "", startable=False) from None
        try:
            line = process.exchange(start_request(), self._start_timeout, "no answer to start")
            return process, parse_hello(line)
        except KeyboardInterrupt:
            process.kill()  # interrupted mid-start: stop() cannot see this process yet
            raise
        except (Broken, ProtocolViolation) as error:
            status = process.popen.returncode
            stderr = process.kill()
            if self._shell and status in _SHELL_CANNOT_RUN:
                last = stderr.strip().splitlines()[-1:] or [f"the shell exited with {status}"]
                raise _StartFailed(last[0], stderr, startable=False) from None
            reason = error.reason if isinstance(error, Broken) else str(error)
            raise _StartFailed(reason, stderr) from None

    def roundtrip(self, document: str) -> Answer:
        """Send *document* with the next seq and return the answer.

        Never raises for the testee's misbehaviour: that is a `ProtocolFailure`, after
        which the testee is killed and, on the next call, started again.
        """
        raise_pending()  # a signal whose first raise was lost (see conformance.signals)
        process = self._ready()
        if isinstance(process, ProtocolFailure):
            return process
        seq = self._seq
        self._seq += 1
        cold, self._cold = self._cold, False
        # The request's size is the document's, give or take its escapes and envelope.
        wait = self.latency.deadline(self._request_timeout, cold=cold, size=len(document))
        sent = time.monotonic()
        try:
            # Built and encoded in the call, so no name keeps the text (megabytes, maybe)
            # while the answer comes in.
            process.send(roundtrip_request(seq, document).encode("ascii"), sent + wait, wait)
            line = process.receive(sent + wait, wait)
            self.latency.record(time.monotonic() - sent, cold=cold)
            return parse_answer(line, seq)
        except Broken as broken:
            failure = self._broken(broken, wait)
        except ProtocolViolation as violation:
            failure = ProtocolFailure(str(violation))
        self._process = None
        return ProtocolFailure(failure.reason, process.kill(), hung=failure.hung)

    def _broken(self, broken: Broken, wait: float) -> ProtocolFailure:
        if not broken.hung:
            return ProtocolFailure(broken.reason)
        self._hangs += 1
        if wait >= self._request_timeout:
            self.latency.hung_at_timeout = True
            return ProtocolFailure(broken.reason, hung=True)
        return ProtocolFailure(
            f"{broken.reason} (the adaptive deadline of a testee that hung before;"
            f" the full timeout is {seconds(self._request_timeout)})",
            hung=True,
        )

    def _ready(self) -> Process | ProtocolFailure:
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
            self._cold = True
        return self._process

    def stop(self) -> None:
        """Send ``stop``, wait for the exit, then kill every process it left; idempotent.

        Whatever escaped the process tree (a daemon whose parent died) is found by the
        marker in its environment and killed too.
        """
        already, self._stopped = self._stopped, True
        process, self._process = self._process, None
        if process is not None:
            process.stop(self._stop_grace)
        if not already:
            sweep(self._token)

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

    @property
    def hangs(self) -> int:
        """Always 0: a call in this process cannot be timed out."""
        return 0

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
            reason = clip(f"the handler raised {type(error).__name__}: {error}", 1000)
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
