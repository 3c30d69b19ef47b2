"""The lossless JSON record of a run (``results.json``), which other renderers read back."""

from __future__ import annotations

from conformance.results import RunResults, dump_results

__all__ = ["render"]


def render(results: RunResults) -> str:
    """Render *results* as the JSON record."""
    return dump_results(results)
