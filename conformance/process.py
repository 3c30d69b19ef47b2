"""One run of a testee command: its pipes, one exchange at a time, and a kill that sticks.

The testee runs in a session (and process group) of its own, so that killing the group
also kills what a shell or a launcher script started. A process may still escape: a
daemon that calls ``setsid`` leaves the group, and a parent that exits hands its children
to init. So a kill walks the process tree first (psutil), and every process started for
this driver carries a marker in its environment, by which `sweep` finds the ones that
escaped the tree as well. POSIX only: process groups and ``/bin/sh`` are part of the
contract.
"""

from __future__ import annotations

import fcntl
import os
import queue
import select
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress

import psutil

from conformance.pipes import EXITED, Exited, Item, Tail, Unreadable, read_lines, watch
from conformance.protocol import show, stop_request

__all__ = ["MARKER", "Broken", "Process", "seconds", "sweep"]

MARKER = "REALTIME_CONFORMANCE_TESTEE"
"""The environment variable that tags every process started for one driver."""

_STOP_GRACE = 5.0
# After end-of-file on stdout the testee is normally exiting; its status names the fault.
_EXIT_GRACE = 1.0
# Reader threads end at end-of-file, which killing the group brings at once; a process
# that escaped the kill may keep a pipe open, and must not hang the runner.
_JOIN_GRACE = 2.0


class Broken(Exception):  # noqa: N818 - a signal to the driver, turned into a ProtocolFailure
    """The exchange failed; *hung* when the reason is that no answer came in time."""

    def __init__(self, reason: str, *, hung: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hung = hung


def seconds(timeout: float) -> str:
    """Say a duration the way failure reasons do."""
    return f"{timeout:g} s"


def _exit_description(status: int) -> str:
    if status >= 0:
        return f"the testee exited with status {status}"
    try:
        name = f" ({signal.Signals(-status).name})"
    except ValueError:
        name = ""
    return f"the testee was killed by signal {-status}{name}"


def _descendants(pid: int) -> list[psutil.Process]:
    with suppress(psutil.Error):
        return psutil.Process(pid).children(recursive=True)
    return []


def _kill_all(processes: Sequence[psutil.Process]) -> None:
    # psutil checks each process' start time first, so a reused pid is left alone.
    for process in processes:
        with suppress(psutil.Error):
            process.kill()


def sweep(token: str) -> None:
    """Kill every process of this user whose `MARKER` is *token*, or *token* extended.

    A driver's token may extend a run's (``RUN.DRIVER``): sweeping the run's token then
    kills the processes of every driver of the run.
    """
    found = []
    for process in psutil.process_iter():
        with suppress(psutil.Error):
            marker = process.environ().get(MARKER, "")
            mine = marker == token or marker.startswith(f"{token}.")
            if process.pid != os.getpid() and mine:
                found.append(process)
    _kill_all(found)


_PIPE_BYTES = 1 << 20
"""Pipe capacity asked for: a large document crosses in one write, not sixteen."""


def _widen(fd: int) -> None:
    """Ask Linux for a pipe of `_PIPE_BYTES` (elsewhere, or when refused, keep the default).

    A 64 KiB pipe splits a megabyte document into sixteen writes, each waiting for the
    other side to be scheduled and read; on a busy machine that wait is most of the
    transfer's cost.
    """
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is not None:
        with suppress(OSError):
            fcntl.fcntl(fd, set_size, _PIPE_BYTES)


class Process:
    """One run of the testee command, with its three pipe threads (`conformance.pipes`)."""

    def __init__(
        self,
        argv: Sequence[str],
        cwd: str | os.PathLike[str] | None,
        env: Mapping[str, str],
        max_line: int,
    ) -> None:
        # A session of its own: Ctrl-C in the terminal reaches the runner only, and the
        # group can be killed as one.
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
        for pipe in (stdin, stdout):
            _widen(pipe.fileno())
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
        """Send *request* and return the answer line, or raise `Broken` saying why not."""
        deadline = time.monotonic() + timeout
        self.send(request.encode("ascii"), deadline, timeout)
        return self.receive(deadline, timeout, what)

    def send(self, request: bytes, deadline: float, timeout: float) -> None:
        """Write *request* by *deadline* (*timeout* from now), or raise `Broken`.

        Apart from `receive` so that a caller can let a large request go before the
        answer, as large, comes in: the text need not stay in memory meanwhile.
        """
        self._expect_silence()
        try:
            self._write(request, deadline)
        except TimeoutError:  # before OSError, whose subclass it is
            raise Broken(
                f"the testee did not read the request within {seconds(timeout)}", hung=True
            ) from None
        except OSError:
            raise Broken(self._exit_reason("the testee closed its stdin")) from None

    def receive(self, deadline: float, timeout: float, what: str = "no answer") -> str:
        """Return the answer line by *deadline*, or raise `Broken` saying why not."""
        while True:
            try:
                item = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                if self._exited:
                    raise Broken(self._exit_reason("the testee exited")) from None
                raise Broken(f"{what} within {seconds(timeout)}", hung=True) from None
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
            raise Broken(self._exit_reason("the testee exited"))
        with suppress(queue.Empty):
            item = self.lines.get_nowait()
            if isinstance(item, str):
                raise Broken(
                    f"the testee wrote a line when no request was outstanding: {show(item)}"
                )
            self._line(item)

    def _line(self, item: Item) -> str:
        if item is None or isinstance(item, Exited):
            raise Broken(self._exit_reason("the testee closed its stdout"))
        if isinstance(item, Unreadable):
            raise Broken(item.reason)
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
        """Kill the group and every descendant, reap the testee, and return the stderr tail."""
        # Walked first: once the testee dies, its children belong to init and the tree
        # no longer leads to them. The leader is not reaped yet (`watch` waits with
        # WNOWAIT), so its id still names the group while any member lives.
        family = _descendants(self.popen.pid)
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        _kill_all(family)
        self.popen.wait()
        with suppress(OSError):
            self._stdin.close()
        for thread in self._threads:
            thread.join(_JOIN_GRACE)
        return self.stderr.text()

    def stop(self, grace: float = _STOP_GRACE) -> None:
        """Ask the testee to exit, wait up to *grace* seconds, then make sure of it."""
        deadline = time.monotonic() + grace
        with suppress(OSError, TimeoutError):
            self._write(stop_request().encode("ascii"), deadline)
        with suppress(OSError):
            self._stdin.close()  # end-of-file asks for exit too, for a testee that missed stop
        self._exit.wait(max(0.0, deadline - time.monotonic()))
        self.kill()
