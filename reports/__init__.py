"""Pure renderers of run results: results in, text out (no I/O).

One module per format, each with ``render``; `FILES` names the file of each format in a
report directory, and `render_all` renders them all from one record.
"""

from collections.abc import Callable

from conformance.results import RunResults
from reports import badge, html, json, junit, markdown, matrix

__all__ = ["FILES", "FORMATS", "matrix", "render_all"]

FORMATS: dict[str, Callable[[RunResults], str]] = {
    "json": json.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "html": html.render,
    "badge": badge.render,
}
"""Every format of one run, by the name ``report --format`` takes."""

FILES = {
    "json": "results.json",
    "junit": "junit.xml",
    "markdown": "report.md",
    "html": "report.html",
    "badge": "badge.svg",
}
"""The file each format is written to in a report directory."""


def render_all(results: RunResults) -> dict[str, str]:
    """Render every format of *results*, by file name."""
    return {FILES[name]: render(results) for name, render in FORMATS.items()}
