"""``report.html``: one self-contained page a person reads, from ``file://`` too.

No network and no external asset: the style and the one script (the copy buttons) are
inline, and a Content-Security-Policy allows exactly those two by hash, so even markup
that slipped through could neither load nor run anything. Untrusted text enters the page
through `escape` only, and never becomes an attribute that links or acts.
"""

from __future__ import annotations

import base64
import hashlib
import html

from conformance.results import CheckResult, Failure, Observation, RunResults
from reports.common import (
    KINDS,
    LEVELS,
    clip,
    counts,
    failing,
    implementation_line,
    outcome_label,
    outcome_order,
    tally,
    verdict,
    visible,
)

__all__ = ["anchor", "escape", "failure_details", "observations", "outcome_class", "page", "render"]

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;
color:#1b1f24;background:#fff}
h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}
.verdict{font-size:1.6rem;font-weight:700;padding:.8rem 1rem;border-radius:6px;margin:.5rem 0}
.good{background:#dafbe1;color:#0b5a1c}.bad{background:#ffebe9;color:#8c1111}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right}
pre,code{font:13px/1.4 ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
h1,p,.u{overflow-wrap:anywhere}td.id code{white-space:nowrap}
table.matrix{width:auto}
th.impl{min-width:8rem;max-width:14rem;overflow-wrap:anywhere;font-weight:400}
th.impl b{display:block}
tr.group th{background:#eaeef2;text-align:left}
pre{background:#f6f8fa;padding:.5rem;margin:.2rem 0;max-height:24rem;overflow:auto}
mark{background:#ffd33d;color:inherit}
.o-passed{color:#0b5a1c}.o-failing{color:#8c1111;font-weight:600}.o-soft{color:#7d4e00}
tr.disagree td:first-child{border-left:4px solid #bf8700}
section.failure{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
dt{font-weight:600;margin-top:.4rem}dd{margin:0}button{margin:.2rem 0}
"""

SCRIPT = """
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var source = document.getElementById(button.getAttribute("data-copy"));
    function done() { button.textContent = "copied"; }
    function select() {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand("copy");
      done();
    }
    if (navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent).then(done, select);
    } else {
      select();
    }
  });
});
"""


def escape(value: object) -> str:
    """Escape untrusted text for HTML (the one place it enters): visible, then markup-escaped."""
    return html.escape(visible(str(value)), quote=True)


def anchor(*parts: str) -> str:
    """Return an element id made of *parts*, safe in ``id`` and ``href`` whatever they hold."""
    return "-".join(
        "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "_" for c in part)
        for part in parts
    )


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def page(title: str, body: str) -> str:
    """Wrap *body* (HTML) in a self-contained page; *title* is untrusted text."""
    policy = (
        f"default-src 'none'; style-src {_hash(STYLE)}; script-src {_hash(SCRIPT)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style></head>\n"
        f"<body>\n{body}\n<script>{SCRIPT}</script>\n</body></html>\n"
    )


def _verdict_banner(results: RunResults) -> str:
    words = verdict(results)
    tone = "good" if words == "conformant" else "bad"
    return f'<p class="verdict {tone}" id="verdict">{escape(f"{words} ({tally(results)})")}</p>'


def _object(results: RunResults) -> str:
    return (
        f"RealtimeSessionCreateResponse, revision {results.spec}"
        f" ({results.spec_chosen_by}), OpenAPI {results.spec_version}"
    )


def _summary(results: RunResults) -> str:
    impl = results.implementation
    rows = [
        ("Implementation", implementation_line(results)),
        ("Homepage", impl.get("homepage") or "none given"),
        ("Claims", ", ".join(f"{k}: {v}" for k, v in sorted(results.claims.items())) or "none"),
        ("Object", _object(results)),
        ("Testee command", results.testee),
        ("Suite", f"realtime-conformance {results.suite_version}, protocol {results.protocol}"),
        ("Profile and seed", f"{results.profile}, seed {results.seed}"),
        ("Started", f"{results.started}, {results.seconds:.1f} s"),
        ("Python", results.python_version or "unknown"),
        ("Hypothesis", results.hypothesis_version or "unknown"),
        *(("Unmatched expectation", e) for e in results.unmatched_expectations),
    ]  # fmt: skip
    cells = "".join(f'<tr><th>{escape(k)}</th><td class="u">{escape(v)}</td></tr>' for k, v in rows)
    return f'<table class="summary">{cells}</table>'


def _counts(results: RunResults) -> str:
    per_level = counts(results)
    outcomes = sorted({o for c in per_level.values() for o in c}, key=outcome_order)
    head = "".join(f"<th>{escape(o)}</th>" for o in outcomes)
    rows = "".join(
        f"<tr><th>{escape(level)}</th>"
        + "".join(f'<td class="n">{per_level[level][o]}</td>' for o in outcomes)
        + "</tr>"
        for level in per_level
        if level in LEVELS or per_level[level]
    )
    return f"<table><tr><th>level</th>{head}</tr>{rows}</table>"


def outcome_class(check: CheckResult) -> str:
    """Return the CSS class of *check*'s outcome."""
    if check.outcome in ("passed", "xfailed"):
        return "o-passed"
    return "o-failing" if failing(check) else "o-soft"


def _kind_table(results: RunResults, kind: str) -> str:
    rows = []
    for check in (c for c in results.checks if c.kind == kind):
        label = escape(outcome_label(check))
        if check.failure is not None or check.observations:
            label = f'<a href="#{anchor("check", check.id)}">{label}</a>'
        rows.append(
            f'<tr><td class="id"><code>{escape(check.id)}</code></td><td>{escape(check.level)}</td>'
            f'<td class="{outcome_class(check)}">{label}</td>'
            f'<td class="n">{check.examples}</td><td class="n">{check.seconds:.2f}</td>'
            f'<td class="u">{escape(check.reason or check.description)}</td></tr>'
        )
    if not rows:
        return ""
    head = "<tr><th>check</th><th>level</th><th>outcome</th><th>cases</th><th>s</th><th></th></tr>"
    return f"<h2>{escape(kind)} checks</h2><table>{head}{''.join(rows)}</table>"


def _common(left: str, right: str) -> int:
    """Return the length of the common start of two texts, code point by code point."""
    return next((i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b),
                min(len(left), len(right)))  # fmt: skip


def _highlight(expected: str, answer: str) -> tuple[str, str]:
    """Escape both texts, marking the part where they differ."""
    left, right = visible(expected), visible(answer)
    prefix = _common(left, right)
    suffix = _common(left[prefix:][::-1], right[prefix:][::-1])

    def marked(text: str) -> str:
        middle = text[prefix : len(text) - suffix]
        return (
            escape(text[:prefix])
            + (f"<mark>{escape(middle)}</mark>" if middle else "")
            + escape(text[len(text) - suffix :])
        )

    return marked(left), marked(right)


def failure_details(failure: Failure, copy_id: str, description: str = "") -> str:
    """Return the definition list of one failure, the differing part highlighted.

    The note is left out when it only repeats the check's *description*, shown above it.
    """
    expected, answer = escape(failure.expected or ""), escape(failure.answer)
    prefix = "accepted: "
    if failure.expected is not None and failure.answer.startswith(prefix):
        expected, answer = _highlight(failure.expected, failure.answer[len(prefix) :])
        answer = escape(prefix) + answer
    items = [
        ("message", escape(failure.message)),
        ("rule", escape(failure.rule or "")),
        ("mutation", escape(failure.mutation)),
        ("minimal document", f"<pre>{escape(failure.document)}</pre>"),
        ("expected", f"<pre>{expected}</pre>" if failure.expected is not None else ""),
        ("answer", f"<pre>{answer}</pre>"),
        ("difference", f"<pre>{escape(failure.difference)}</pre>" if failure.difference else ""),
        ("stderr", f"<pre>{escape(failure.stderr)}</pre>" if failure.stderr else ""),
        ("note", escape(failure.note) if failure.note != description else ""),
    ]
    body = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in items if value)
    replay = (
        f'<dt>replay</dt><dd><pre id="{copy_id}">{escape(failure.replay)}</pre>'
        f'<button type="button" data-copy="{copy_id}">copy</button></dd>'
    )
    return f"<dl>{body}{replay}</dl>"


def observations(found: tuple[Observation, ...]) -> str:
    """Return the table of implementation-defined answers as recorded."""
    rows = "".join(
        f"<tr><td><code>{escape(o.case)}</code></td>"
        f"<td>{'accepted' if o.accepted else 'rejected'}</td>"
        f'<td class="u"><code>{escape(o.answer)}</code></td></tr>'
        for o in found
    )
    return f"<table><tr><th>case</th><th>answer</th><th>how</th></tr>{rows}</table>"


def _details(check: CheckResult) -> str:
    parts = [f'<section class="failure" id="{anchor("check", check.id)}">',
             f"<h3><code>{escape(check.id)}</code>: {escape(outcome_label(check))}</h3>",
             f"<p>{escape(check.description)}</p>"]  # fmt: skip
    if check.reason:
        parts.append(f"<p>expected to fail: {escape(check.reason)}</p>")
    if check.failure is not None:
        parts.append(failure_details(check.failure, anchor("replay", check.id), check.description))
    if check.observations:
        parts.append(observations(check.observations))
    return "".join(parts) + "</section>"


def render(results: RunResults) -> str:
    """Render *results* as one self-contained HTML page."""
    title = f"Conformance of {clip(implementation_line(results), 100)}"
    detailed = [c for c in results.checks if c.failure is not None]
    defined = [c for c in results.checks if c.observations and c.failure is None]
    body = [
        _verdict_banner(results),
        f"<h1>{escape(title)}</h1>",
        _summary(results),
        _counts(results),
        *(_kind_table(results, kind) for kind in KINDS),
        *(
            _kind_table(results, kind)
            for kind in sorted({c.kind for c in results.checks} - set(KINDS))
        ),
        "<h2>Failures</h2>" if detailed else "",
        *map(_details, detailed),
        "<h2>Implementation-defined behaviour, as recorded</h2>" if defined else "",
        *map(_details, defined),
    ]
    return page(title, "\n".join(part for part in body if part))
