"""What every generator yields: a case, ready to send to an implementation."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from strategies.jsontext import TextStyle
from strategies.model import JSONValue

__all__ = ["Case", "Kind"]

Kind = Literal["valid", "invalid", "malformed", "implementation-defined"]


@attrs.frozen
class Case:
    """One document to send, with what a conforming implementation must do with it."""

    kind: Kind
    text: str
    """The JSON text (or, for malformed cases, the text that is not JSON) to send."""
    rule: str | None
    """The rule the case breaks; None for a valid case."""
    expected: JSONValue | None = None
    """For a valid case, the value a preserving implementation returns; for an invalid case,
    the value it must return if it accepts the document at all; else None."""
    model: Any = None
    """The model of a valid case, or of the valid document an invalid case was made from."""
    mutation: str = ""
    """For an invalid or other broken case, what was changed, in words."""
    style: TextStyle | None = None
    """How the text was spelled, where it was spelled from a value."""
    base: Case | None = None
    """For a case made by breaking a valid document, that valid document as a case.

    It is sent first, and the case says something about its rule only when the testee
    accepts the base: a rejection of both is a rejection for some other reason.
    """
