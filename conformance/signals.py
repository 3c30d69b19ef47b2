"""SIGINT and SIGTERM during a run: the exception each raises, and a second chance to raise it.

CPython runs a Python signal handler at the next bytecode boundary of the main thread,
and that boundary may lie inside a garbage-collector callback (Hypothesis installs one).
An exception raised there is reported as unraisable and dropped: the interrupt is lost
and the run goes on to the end. So the handler also records the signal, and the driver
calls `raise_pending` before every request to the testee, where a lost interrupt is
raised again.

Signals belong to the process, so their state is the module's: `catching` installs the
handler and clears the record on the way in and out.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["EXIT_STATUS", "Terminated", "catching", "raise_pending", "received"]

EXIT_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}
"""The exit status of a run each signal ended (128 plus its number, as shells report)."""

_received: list[int] = []


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where SIGINT would raise KeyboardInterrupt, so pytest ends cleanly."""


def _interrupt(number: int) -> KeyboardInterrupt:
    return Terminated() if number == signal.SIGTERM else KeyboardInterrupt()


def _handle(number: int, frame: FrameType | None) -> None:
    del frame
    _received.append(number)
    raise _interrupt(number)


def received() -> int | None:
    """Return the first signal caught since `catching` began, if any."""
    return _received[0] if _received else None


def raise_pending() -> None:
    """Raise the interrupt of a signal caught earlier, in case its first raise was lost."""
    if _received:
        raise _interrupt(_received[0])


@contextmanager
def catching(numbers: tuple[int, ...] = tuple(EXIT_STATUS)) -> Iterator[tuple[int, ...]]:
    """Handle *numbers* while the block runs, unless another handler is in place already.

    Yields the numbers this call took over (none off the main thread, where Python
    cannot install handlers, and none already handled by someone else, such as the CLI
    around the pytest plugin).
    """
    if threading.current_thread() is not threading.main_thread():
        yield ()
        return
    taken = tuple(n for n in numbers if signal.getsignal(n) in (signal.SIG_DFL, _default(n)))
    previous = {number: signal.signal(number, _handle) for number in taken}
    if taken:
        _received.clear()
    try:
        yield taken
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if taken:
            _received.clear()


def _default(number: int) -> object:
    # Python's own SIGINT handler, which raises KeyboardInterrupt but records nothing.
    return signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL
