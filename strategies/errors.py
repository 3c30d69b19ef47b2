"""Why the reference refuses a document: one base exception, one subclass per reason."""

from __future__ import annotations

import attrs

__all__ = [
    "DocumentError",
    "ImplementationDefinedInput",
    "MalformedDocument",
    "RuleViolations",
    "Violation",
]


class DocumentError(Exception):
    """A document the reference implementation does not accept."""

    rules: tuple[str, ...] = ()


class MalformedDocument(DocumentError):  # noqa: N818 - named for the verdict a report prints
    """The text is not one JSON text as RFC 8259 defines it."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not a JSON text: {reason}")


class ImplementationDefinedInput(DocumentError):  # noqa: N818 - named for the verdict a report prints
    """The text is JSON, but outside what every parser must handle; the reference refuses it."""

    def __init__(self, rule_id: str, reason: str) -> None:
        super().__init__(f"{rule_id}: {reason}")
        self.rules = (rule_id,)


@attrs.frozen
class Violation:
    """One broken rule, and where: a JSON Pointer into the document."""

    rule: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule} at {self.pointer or '/'}: {self.message}"


class RuleViolations(DocumentError):  # noqa: N818 - named for the verdict a report prints
    """The document is JSON but breaks rules of the rulebook."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__("; ".join(map(str, violations)))
        self.violations = tuple(violations)
        self.rules = tuple(v.rule for v in violations)
