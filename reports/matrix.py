"""The comparison matrix: many implementations side by side, in HTML or Markdown.

Rows are checks, grouped by kind and by rule (or fault); columns are implementations.
A row where implementations disagree is marked. An implementation-defined cell says how
that implementation answered (accepted, rejected, a protocol failure, or a mix), and in
HTML every failing or implementation-defined cell links to that implementation's minimal
document or answers, further down the same page. Records made by different suite or spec
versions are shown together, with the difference stated at the top.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from conformance.results import CheckResult, Observation, RunResults
from reports import html as h
from reports import markdown as md
from reports.common import KINDS, clip, implementation_line, outcome_label, verdict

__all__ = ["differences", "render"]

_COMPARED = (
    ("the revision of the object, so their checks differ", "spec"),
    ("suite version", "suite_version"),
    ("spec version", "spec_version"),
    ("protocol", "protocol"),
    ("profile", "profile"),
    ("seed", "seed"),
)


def differences(records: Sequence[RunResults]) -> list[str]:
    """Return one sentence per setting in which *records* differ (suite, spec, profile...)."""
    found = []
    for words, field in _COMPARED:
        values = [str(getattr(r, field)) for r in records]
        if len(set(values)) > 1:
            each = ", ".join(f"{i}: {v}" for i, v in enumerate(values, 1))
            found.append(f"These records differ in {words} ({each}).")
    return found


def _rows(records: Sequence[RunResults]) -> list[str]:
    """Every check id of any record, grouped by kind, then by rule or fault."""
    ids = {c.id: c for r in records for c in r.checks}
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(ids, key=lambda i: (order.get(ids[i].kind, len(KINDS)), ids[i].subject, i))


def _how(observation: Observation) -> str:
    if observation.accepted:
        return "accepted"
    return "rejected" if observation.answer.startswith("rejected") else "protocol failure"


def _cell(check: CheckResult | None) -> str:
    """Return the words of one cell: the outcome, or for implementation-defined, the answers."""
    if check is None:
        return "not run"
    label = outcome_label(check)
    if check.kind == "implementation-defined" and check.observations:
        how = " / ".join(sorted({_how(o) for o in check.observations}))
        return how if check.outcome == "passed" else f"{label}; {how}"
    return label


def _table(records: Sequence[RunResults]) -> list[tuple[str, CheckResult, list[str], bool]]:
    """Per row: check id, a check result to describe it, the cells, and whether they disagree."""
    lookup = [{c.id: c for c in r.checks} for r in records]
    table = []
    for check_id in _rows(records):
        found = [checks.get(check_id) for checks in lookup]
        cells = [_cell(c) for c in found]
        sample = next(c for c in found if c is not None)
        ran = {cell for cell in cells if cell != "not run"}
        table.append((check_id, sample, cells, len(ran) > 1))
    return table


def _head_fields(record: RunResults) -> list[str]:
    """Name, version, language, claims and verdict of a column, each clipped (untrusted)."""
    impl = record.implementation
    fields = [impl.get("name") or "unnamed", impl.get("version") or "", impl.get("language") or ""]
    fields += [f"{k}: {v}" for k, v in sorted(record.claims.items())]
    fields.append(f"revision {record.spec}")
    return [clip(str(field), 60) for field in fields if field] + [verdict(record)]


def _markdown(records: Sequence[RunResults]) -> str:
    heads = [md.text(f"{i}. " + "; ".join(_head_fields(r))) for i, r in enumerate(records, 1)]
    lines = [
        "# RealtimeSessionCreateResponse conformance matrix",
        "",
        *(md.text(sentence) + "\n" for sentence in differences(records)),
        "Rows marked ≠ are checks on which the implementations disagree.",
        "",
        "| | Check | Level | " + " | ".join(heads) + " |",
        "|---|---|---|" + "---|" * len(records),
    ]
    for check_id, sample, cells, disagree in _table(records):
        row = ["≠" if disagree else "", md.code(check_id), md.text(sample.level)]
        lines.append("| " + " | ".join(row + [md.text(c) for c in cells]) + " |")
    return "\n".join(lines) + "\n"


def _html_cell(index: int, check: CheckResult | None, words: str) -> str:
    if check is None:
        return f"<td>{h.escape(words)}</td>"
    text = h.escape(words)
    if check.failure is not None or check.observations:
        text = f'<a href="#{h.anchor("impl", str(index), check.id)}">{text}</a>'
    return f'<td class="{h.outcome_class(check)}">{text}</td>'


def _html_details(index: int, record: RunResults) -> str:
    parts = []
    for check in record.checks:
        if check.failure is None and not check.observations:
            continue
        where = h.anchor("impl", str(index), check.id)
        parts.append(
            f'<section class="failure" id="{where}"><h3>{index}. '
            f"{h.escape(implementation_line(record))}: <code>{h.escape(check.id)}</code>"
            f" {h.escape(outcome_label(check))}</h3>"
        )
        if check.failure is not None:
            replay = h.anchor("replay", str(index), check.id)
            parts.append(h.failure_details(check.failure, replay, check.description))
        if check.observations:
            parts.append(h.observations(check.observations))
        parts.append("</section>")
    return "".join(parts)


def _html_head(index: int, record: RunResults) -> str:
    name, *rest = _head_fields(record)
    words = verdict(record)
    tone = "o-passed" if words == "conformant" else "o-failing"
    lines = "<br>".join(h.escape(field) for field in rest[:-1])
    return (
        f'<th class="impl"><b>{index}. {h.escape(name)}</b>{lines}'
        f'<br><span class="{tone}">{h.escape(words)}</span></th>'
    )


def _html(records: Sequence[RunResults]) -> str:
    lookup = [{c.id: c for c in r.checks} for r in records]
    heads = "".join(_html_head(i, r) for i, r in enumerate(records, 1))
    rows, kind = [], None
    for check_id, sample, cells, disagree in _table(records):
        if sample.kind != kind:
            kind = sample.kind
            rows.append(f'<tr class="group"><th colspan="{len(records) + 2}">'
                        f"{h.escape(kind)} checks</th></tr>")  # fmt: skip
        tds = "".join(
            _html_cell(i, lookup[i - 1].get(check_id), words) for i, words in enumerate(cells, 1)
        )
        marker = ' class="disagree"' if disagree else ""
        rows.append(
            f'<tr{marker} title="{h.escape(check_id)}">'
            f'<td class="id"><code>{h.escape(sample.subject)}</code>{" ≠" if disagree else ""}'
            f"</td><td>{h.escape(sample.level.lower())}</td>{tds}</tr>"
        )
    notes = "".join(f'<p class="verdict bad">{h.escape(s)}</p>' for s in differences(records))
    body = (
        "<h1>RealtimeSessionCreateResponse conformance matrix</h1>"
        f"{notes}<p>Rows marked ≠ are checks on which the implementations disagree;"
        " a linked cell leads to the minimal failing document or the recorded answers.</p>"
        f"<table class='matrix'><tr id='verdict'><th>check</th><th>level</th>{heads}</tr>"
        f"{''.join(rows)}</table><h2>Minimal failing documents and recorded answers</h2>"
        + "".join(_html_details(i, r) for i, r in enumerate(records, 1))
    )
    return h.page("Conformance matrix", body)


def render(records: Sequence[RunResults], form: Literal["html", "markdown"] = "html") -> str:
    """Render the comparison matrix of *records* (two or more) in HTML or Markdown."""
    return _html(records) if form == "html" else _markdown(records)
