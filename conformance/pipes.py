r"""The threads that keep a testee's pipes moving, apart from the protocol they carry.

A testee that writes while nobody reads blocks on a full pipe, and one that writes without
end must not grow the runner's memory, so each stream gets a thread of its own with a hard
bound: stdout is split into lines (on ``\n`` only, since U+2028 is legal raw inside a JSON
line) without ever holding more than the line cap of one line, stderr keeps only its last
`STDERR_TAIL` bytes, and a third thread waits for the exit, which end-of-file alone misses
when the testee's children keep stdout open. The driver reads only what these put on the
queue, so the lockstep logic never touches a file descriptor.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from contextlib import suppress
from typing import IO, TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    import queue
    import subprocess

__all__ = ["EXITED", "STDERR_TAIL", "Exited", "Item", "Tail", "Unreadable", "read_lines", "watch"]

STDERR_TAIL = 64 * 1024
"""How much of a testee's stderr is kept: the end is where a crash explains itself."""

_CHUNK = 256 * 1024
# In lockstep at most one line is ever waiting. More is a failure already, and keeping
# every line would let a testee that floods stdout grow the runner's memory without bound.
_MAX_QUEUED_LINES = 2


@attrs.frozen
class Unreadable:
    """A line the reader could not deliver: too long, or not UTF-8."""

    reason: str


class Exited:
    """The process has exited; children it left behind may still hold its stdout open."""


EXITED = Exited()
"""The one `Exited` that `watch` puts on the queue."""

Item = str | Unreadable | Exited | None
"""A line, a line that could not be read, the exit, or None for end-of-file."""


def _size(n: int) -> str:
    for unit, name in ((2**20, "MiB"), (2**10, "KiB")):
        if n % unit == 0:
            return f"{n // unit} {name}"
    return f"{n} bytes"


def _too_long(max_line: int) -> str:
    return f"the answer line is longer than {_size(max_line)}"


def _decode(line: bytearray) -> str | Unreadable:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as error:
        # Shown, not raised: surrogateescape keeps every byte (0xff becomes U+DCFF), and
        # the ASCII JSON notation of the preview names the bad bytes as \udcff escapes.
        around = bytes(line[max(0, error.start - 20) : error.start + 20])
        preview = json.dumps(around.decode("utf-8", errors="surrogateescape"))
        return Unreadable(
            f"the answer is not UTF-8 ({error.reason} at byte {error.start}, near {preview})"
        )


def read_lines(stream: IO[bytes], lines: queue.SimpleQueue[Item], max_line: int) -> None:
    r"""Split *stream* on b"\n" into *lines*; never keep more than *max_line* bytes of one."""
    pending = bytearray()
    discarding = False
    fd = stream.fileno()

    def deliver(item: str | Unreadable) -> None:
        if lines.qsize() < _MAX_QUEUED_LINES:
            lines.put(item)

    try:
        while chunk := os.read(fd, _CHUNK):
            view = memoryview(chunk)
            start = 0
            while (end := chunk.find(b"\n", start)) != -1:
                if not discarding:
                    pending += view[start:end]
                    too_long = len(pending) > max_line
                    deliver(Unreadable(_too_long(max_line)) if too_long else _decode(pending))
                pending.clear()
                discarding = False
                start = end + 1
            if not discarding:
                pending += view[start:]
                if len(pending) > max_line:
                    # Reported at once: an endless line must not wait for its end.
                    deliver(Unreadable(_too_long(max_line)))
                    pending.clear()
                    discarding = True
    except OSError:
        pass  # the pipe broke: for the driver it is the same as end-of-file
    finally:
        lines.put(None)
        stream.close()


def watch(
    popen: subprocess.Popen[bytes], exited: threading.Event, lines: queue.SimpleQueue[Item]
) -> None:
    """Report the exit of *popen*, which end-of-file alone misses when children hold stdout."""
    if sys.platform != "darwin":
        # WNOWAIT leaves the reaping to Popen, whose bookkeeping stays right, and keeps
        # the process group id taken until kill() is done with it.
        with suppress(ChildProcessError):
            os.waitid(os.P_PID, popen.pid, os.WEXITED | os.WNOWAIT)
    else:  # pragma: no cover - macOS has no waitid
        popen.wait()
    exited.set()
    lines.put(EXITED)


class Tail:
    """The last `STDERR_TAIL` bytes of a stream, drained by a thread of its own."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._lock = threading.Lock()

    def drain(self, stream: IO[bytes]) -> None:
        """Read *stream* to its end, keeping only the tail; closes it."""
        fd = stream.fileno()
        try:
            while chunk := os.read(fd, _CHUNK):
                with self._lock:
                    self._data += chunk
                    del self._data[: max(0, len(self._data) - STDERR_TAIL)]
        except OSError:
            pass
        finally:
            stream.close()

    def text(self) -> str:
        r"""Return the tail so far as text; bytes that are not UTF-8 become lone surrogates.

        surrogateescape, not replace: the record keeps every byte (0xff is U+DCFF, which
        ``results.json`` writes as the escape ``\udcff``), and the cut at the start of
        the tail may fall inside a character without losing the rest.
        """
        with self._lock:
            return self._data.decode("utf-8", errors="surrogateescape")
