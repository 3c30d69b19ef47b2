"""Models, rulebook and Hypothesis strategies for RealtimeSessionCreateResponse."""

from strategies.broken import implementation_defined_documents, malformed_documents
from strategies.cases import Case
from strategies.invalid import invalid_documents
from strategies.model import RealtimeSessionCreateResponse
from strategies.rules import RULES, Level, Rule
from strategies.valid import valid_documents

__all__ = [
    "RULES",
    "Case",
    "Level",
    "RealtimeSessionCreateResponse",
    "Rule",
    "implementation_defined_documents",
    "invalid_documents",
    "malformed_documents",
    "valid_documents",
]
