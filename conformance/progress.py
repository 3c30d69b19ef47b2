"""A one-line progress bar for the CLI on a terminal.

pytest's own progress prints a line per check, which says little while one check spends
a minute on a slow testee; the bar counts checks done and the cases of the check running.
It is drawn only when the CLI runs on a terminal without ``-v``, and only by the process
that owns the terminal (under xdist, the controller updates it as checks finish).
"""

from __future__ import annotations

import time
from typing import Any

import attrs

__all__ = ["Bar"]

_WIDTH = 24
_INTERVAL = 0.1


@attrs.define
class Bar:
    """Checks done of all, the check running, and how many cases it has sent."""

    reporter: Any
    capture: Any
    """pytest's capture manager: the bar is drawn with capturing suspended."""
    total: int
    done: int = 0
    failed: int = 0
    current: str = ""
    cases: int = 0
    _drawn_at: float = 0.0

    def start(self, check_id: str) -> None:
        """Show that a check begins."""
        self.current, self.cases = check_id, 0
        self.draw(force=True)

    def case(self, _: object = None) -> None:
        """One more case sent (an `observe` callback of the runner)."""
        self.cases += 1
        self.draw()

    def finish(self, check_id: str, failed: bool) -> None:
        """Count a check that ended."""
        self.done += 1
        self.failed += failed
        self.current = check_id
        self.draw(force=True)

    def draw(self, *, force: bool = False) -> None:
        """Redraw the line, at most ten times a second unless *force*."""
        now = time.monotonic()
        if not force and now - self._drawn_at < _INTERVAL:
            return
        self._drawn_at = now
        filled = _WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (_WIDTH - filled)
        failures = f", {self.failed} failed" if self.failed else ""
        self.reporter.rewrite(
            f"[{bar}] {self.done}/{self.total} checks{failures}  {self.current}  {self.cases} cases"
        )

    def close(self) -> None:
        """End the line so that the summary starts on a fresh one."""
        self.reporter.write_line("")
