"""Fuzz mode: share a time budget between the checks, count cases, show the progress.

``realtime-conformance fuzz --duration S`` (and ``pytest --testee CMD --fuzz S``) runs the
selected checks as a run does, but each check searches until its share of the time is
spent rather than for a fixed number of cases (`conformance.runner.FUZZ`).

How the time is shared: each check has a weight, by kind (`KIND_WEIGHTS`). When a check
starts, it gets ``remaining * workers * weight / unstarted`` seconds, at most what remains:
*remaining* is the time left until the end of the fuzz and *unstarted* the weight of the
checks no process has started yet, this one included. The checks with little to search
go first, so the time they do not use (a check ends early when it fails, or when a round
of its search ran out of cases to draw) goes to those that come after. Under pytest-xdist
the processes mark the checks they start in a shared folder, so that every worker
computes its shares from the same list.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

import attrs

from conformance.runner import Deadline

__all__ = ["KIND_WEIGHTS", "Display", "Schedule", "Tally", "weight"]

KIND_WEIGHTS = {"valid": 10.0, "invalid": 1.0, "malformed": 1.0, "implementation-defined": 1.0}
"""A check's weight by kind. Of the 31 bugs of tests/mutants, the 5 valid checks catch 19
(about 4 a check), the 63 other checks 12 (about 0.2 a check): a valid check is worth ten
times the time of another. The valid checks' space is also the largest by far."""

_SHARED = "fuzz-started"
_TALLY = "fuzz-cases-"
_WRITE_EVERY = 0.5


def weight(check_id: str) -> float:
    """Return the weight of a check (by its kind), in any revision of the object.

    A check id is ``<level>.<kind>.<name>``: its kind is read from it, since a later
    revision has checks the default revision's registry does not (``tracing.oneOf``).
    """
    return KIND_WEIGHTS.get(check_id.split(".")[1], 1.0)


def fuzz_order(check_ids: Iterable[str]) -> list[str]:
    """Order checks for fuzzing: the lightest first, so unused time flows to the heaviest."""
    return sorted(check_ids, key=weight)


@attrs.define
class Schedule:
    """The time of one process' checks, out of the run's budget."""

    end: float
    """When the fuzz ends, on the wall clock (the same in every process)."""
    workers: int
    selected: tuple[str, ...] = ()
    shared: Path | None = None
    """A folder where every process marks the checks it started (None: this one only)."""
    started: set[str] = attrs.Factory(set)

    def _started_anywhere(self) -> set[str]:
        if self.shared is None:
            return self.started
        with suppress(OSError):
            return self.started | {p.name for p in self.shared.iterdir()}
        return self.started

    def plan(self, check_id: str) -> tuple[Deadline, float]:
        """Start *check_id*: return its deadline and the seconds of search it is given."""
        others = self._started_anywhere()
        self.started.add(check_id)
        if self.shared is not None:
            with suppress(OSError):
                self.shared.mkdir(exist_ok=True)
                (self.shared / check_id).touch()
        unstarted = weight(check_id) + sum(
            weight(c) for c in self.selected if c not in others and c != check_id
        )
        remaining = max(0.0, self.end - time.time())
        share = min(remaining, remaining * self.workers * weight(check_id) / unstarted)
        now = time.monotonic()
        return Deadline(search=now + share, shrink=now + remaining), round(share, 3)


def shared_folder(ledger: Path | None) -> Path | None:
    """Return the folder where the processes of a run mark the checks they started."""
    return ledger / _SHARED if ledger is not None else None


@attrs.define
class Tally:
    """Cases sent by this process, written now and then where the display reads them."""

    path: Path | None = None
    cases: int = 0
    _written_at: float = 0.0

    def case(self, _: object = None) -> None:
        """Count one case (an `observe` callback of the runner)."""
        self.cases += 1
        if self.path is not None and time.monotonic() - self._written_at >= _WRITE_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write the count for the display of another process."""
        self._written_at = time.monotonic()
        if self.path is not None:
            with suppress(OSError):
                self.path.write_text(str(self.cases), encoding="ascii")


def tally_path(ledger: Path | None, worker: str) -> Path | None:
    """Return where the process named *worker* writes its count of cases."""
    return ledger / f"{_TALLY}{worker}" if ledger is not None else None


def counted(ledger: Path | None, local: Tally) -> int:
    """Return the cases sent so far by every process of the run."""
    total = local.cases
    if ledger is not None:
        for path in ledger.glob(f"{_TALLY}*"):
            if path == local.path:
                continue
            with suppress(OSError, ValueError):
                total += int(path.read_text(encoding="ascii") or 0)
    return total


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@attrs.define
class Display:
    """The progress of a fuzz: a line redrawn on a terminal, or a line a minute in a log.

    It reads the counts the processes of the run write (`Tally`). In one process the
    checks draw it between cases (`tick`), in the thread that owns pytest's output
    capture; under xdist the controller runs no check, and a thread of its own draws it.
    """

    write: Callable[[str], None]
    """Writes one line: redrawn in place on a terminal, appended in a log."""
    start: float
    """When the fuzz started, on the wall clock."""
    end: float
    cases: Callable[[], int]
    failures: Callable[[], int]
    redraw: bool = False
    """On a terminal: the line is redrawn twice a second; else written once a minute."""
    _stop: threading.Event = attrs.Factory(threading.Event)
    _thread: threading.Thread | None = None
    _drawn_at: float = attrs.Factory(time.monotonic)

    @property
    def interval(self) -> float:
        """Seconds between two lines."""
        return 0.5 if self.redraw else 60.0

    def tick(self) -> None:
        """Draw the line if it is time to."""
        if time.monotonic() - self._drawn_at >= self.interval:
            self._drawn_at = time.monotonic()
            with suppress(Exception):  # a display never ends a run
                self.write(self.line())

    def line(self) -> str:
        """Return the progress line."""
        now = time.time()
        elapsed = max(now - self.start, 1e-9)
        cases = self.cases()
        failures = self.failures()
        return (
            f"fuzz: {_clock(elapsed)} elapsed, {_clock(self.end - now)} left, {cases} cases,"
            f" {cases / elapsed:.0f} cases/s, {failures} failing check{'s' * (failures != 1)}"
        )

    def begin_thread(self) -> None:
        """Draw from a thread of its own (a process that runs no check)."""
        self._thread = threading.Thread(target=self._loop, name="fuzz-display", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval / 5):
            self.tick()

    def close(self) -> None:
        """Stop drawing."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def summary(cases: int, seconds: float, duration: float) -> str:
    """Return the closing line of a fuzz: its cases and their rate."""
    rate = cases / seconds if seconds > 0 else 0.0
    return f"fuzz: {cases} cases in {seconds:.1f} s ({duration:g} s asked), {rate:.1f} cases/s"
