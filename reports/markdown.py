"""``report.md``: a certificate to paste into a README.

The verdict, who was tested and what it claims, counts per level, and a table of the
failing checks with their minimal document and answer (clipped; report.html has them
whole). Untrusted text goes through `text` or `code`, which keep it inert (no markup,
link or HTML) and keep every table row one row.
"""

from __future__ import annotations

import re

from conformance.results import CheckResult, RunResults
from reports.common import (
    LEVELS,
    clip,
    counts,
    implementation_line,
    outcome_label,
    outcome_order,
    tally,
    verdict,
    visible,
)

__all__ = ["code", "render", "text"]

_CELL_LIMIT = 80
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _one_line(value: str) -> str:
    return visible(value).replace("\r\n", "\n").replace("\n", " ⏎ ").replace("\t", " ")


def text(value: object) -> str:
    """Plain untrusted text: every ASCII punctuation character is backslash-escaped.

    CommonMark reads a backslash before any ASCII punctuation as that character, so no
    emphasis, link, heading, HTML tag, entity or table cell boundary can start here.
    """
    return _PUNCTUATION.sub(r"\\\1", _one_line(str(value)))


def code(value: object, limit: int = _CELL_LIMIT) -> str:
    """Untrusted text, clipped, in monospace; safe in a table cell.

    Not a code span: inside one a backslash is literal, and a GFM table would still
    split a row at a pipe after a backslash. Escaped `text` in ``<code>`` has neither flaw.
    """
    return f"<code>{text(clip(str(value), limit))}</code>"


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _claims(results: RunResults) -> str:
    return ", ".join(f"{text(k)}: {text(v)}" for k, v in sorted(results.claims.items())) or "none"


def _summary(results: RunResults) -> list[str]:
    impl = results.implementation
    homepage = impl.get("homepage")
    return [
        _row("", ""),
        _row("---", "---"),
        _row("Implementation", text(implementation_line(results))),
        *([_row("Homepage", code(homepage))] if homepage else []),
        _row("Claims", _claims(results)),
        _row(
            "Object",
            f"RealtimeSessionCreateResponse, revision {text(results.spec)}"
            f" ({text(results.spec_chosen_by)}), OpenAPI {text(results.spec_version)}",
        ),
        _row(
            "Suite",
            f"realtime\\-conformance {text(results.suite_version)}, protocol {results.protocol}"
            f", profile {text(results.profile)}, seed {results.seed}",
        ),
        _row(
            "Run",
            f"{text(results.started)}, {results.seconds:.1f} s"
            f", Python {text(results.python_version or 'unknown')}"
            f", Hypothesis {text(results.hypothesis_version or 'unknown')}",
        ),
    ]


def _counts(results: RunResults) -> list[str]:
    per_level = counts(results)
    outcomes = sorted({o for c in per_level.values() for o in c}, key=outcome_order)
    levels = (*LEVELS, *sorted(set(per_level) - set(LEVELS)))
    return [
        _row("Level", *outcomes),
        _row("---", *("---:" for _ in outcomes)),
        *(_row(text(level), *(str(per_level[level][o]) for o in outcomes)) for level in levels),
    ]


def _failure_row(check: CheckResult) -> str:
    failure = check.failure
    if failure is None:
        return _row(code(check.id), text(outcome_label(check)), "", "", "")
    long = max(len(failure.document), len(failure.answer)) > _CELL_LIMIT
    answer = code(failure.answer) + (" (whole text in report.html)" if long else "")
    return _row(
        code(check.id),
        text(outcome_label(check)),
        code(failure.rule) if failure.rule else "",
        code(failure.document),
        answer,
    )


def render(results: RunResults) -> str:
    """Render *results* as a Markdown certificate."""
    shown = [c for c in results.checks if c.outcome not in ("passed", "xfailed")]
    lines = [
        f"# Conformance: {text(clip(implementation_line(results), 100))}",
        "",
        f"**Verdict: {text(verdict(results))}** ({tally(results)})",
        "",
        *_summary(results),
        "",
        "## Checks per level",
        "",
        *_counts(results),
        "",
    ]
    if shown:
        lines += [
            "## Checks that did not pass",
            "",
            _row("Check", "Outcome", "Rule", "Minimal document", "Answer"),
            _row("---", "---", "---", "---", "---"),
            *map(_failure_row, shown),
            "",
        ]
    expected = [c for c in results.checks if c.outcome == "xfailed"]
    if expected:
        lines += ["## Expected failures", "", _row("Check", "Reason"), _row("---", "---")]
        lines += [_row(code(c.id), text(c.reason)) for c in expected] + [""]
    lines += [f"Unmatched expectation: {code(e)}" for e in results.unmatched_expectations]
    return "\n".join(lines).rstrip("\n") + "\n"
