"""``badge.svg``: a status badge for a README (``conformant``, or ``N failures``)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from conformance.results import RunResults
from reports.common import failing, verdict, visible

__all__ = ["render"]

_LABEL = "realtime conformance"
_CHAR_WIDTH = 7  # px per character of 11px Verdana, rounded up: the text never overflows
_GREEN, _RED = "#2e7d32", "#c62828"


def _status(results: RunResults) -> str:
    words = verdict(results)
    if words != "not conformant":
        return words
    count = sum(map(failing, results.checks))
    return f"{count} failure{'s' * (count != 1)}" if count else words


def _x(text: str) -> str:
    """Escape *text* for the SVG: the one place text enters it (a record may be edited)."""
    return escape(visible(text), {'"': "&quot;"})


def render(results: RunResults) -> str:
    """Render the badge of *results* as an SVG document."""
    status = _status(results)
    colour = _GREEN if status == "conformant" else _RED
    left = len(_LABEL) * _CHAR_WIDTH + 10
    right = len(status) * _CHAR_WIDTH + 10
    width = left + right
    label, value = _x(_LABEL), _x(status)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img"'
        f' aria-label="{label}: {value}">\n'
        f"  <title>{label}: {value}</title>\n"
        f'  <rect width="{left}" height="20" fill="#555"/>\n'
        f'  <rect x="{left}" width="{right}" height="20" fill="{colour}"/>\n'
        '  <g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif"'
        ' font-size="11">\n'
        f'    <text x="{left / 2}" y="14">{label}</text>\n'
        f'    <text x="{left + right / 2}" y="14">{value}</text>\n'
        "  </g>\n</svg>\n"
    )
