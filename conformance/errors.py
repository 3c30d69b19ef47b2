"""The errors the conformance package raises on purpose.

One base class, so that the CLI can turn every expected error into one clear sentence and
an exit status instead of a traceback. Whatever a testee does wrong while cases run is
not an error at all: the driver records it as a protocol failure and the run goes on.
"""

from __future__ import annotations

__all__ = [
    "ConformanceError",
    "HandshakeFailed",
    "ProtocolViolation",
    "TesteeNotStartable",
    "UsageError",
]


class ConformanceError(Exception):
    """Base of every error the suite raises on purpose; its message is one sentence."""

    exit_status = 1


class UsageError(ConformanceError):
    """A mistake of the user, such as a bad option or command: exit status 2."""

    exit_status = 2


class TesteeNotStartable(UsageError):  # noqa: N818 - reads as the condition it names
    """The testee command cannot be started at all: not found, or not executable."""

    __test__ = False  # its name starts with "Test": pytest must not collect it


class HandshakeFailed(ConformanceError):  # noqa: N818 - reads as the condition it names
    """The testee started but did not complete ``start``: exit status 1."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr
        """The tail of what the testee wrote to stderr, usually the real cause."""


class ProtocolViolation(ConformanceError):  # noqa: N818 - reads as the condition it names
    """A line from the testee does not match the message the protocol expects there."""
