"""Pure renderers of run results: results in, text out (no I/O)."""

from reports.json import render

__all__ = ["render"]
