"""Certify implementations of RealtimeSessionCreateResponse: protocol, checks, runner."""

from conformance.checks import CHECKS, Check
from conformance.errors import ConformanceError
from conformance.results import CheckResult, RunResults

__all__ = ["CHECKS", "Check", "CheckResult", "ConformanceError", "RunResults"]
