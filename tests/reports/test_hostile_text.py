"""A testee whose every text is hostile gets reports that stay well-formed, inert and readable.

The record comes from a real run of ``hostile_testee.py``: its name, version, language
and homepage, its answers, its rejections and its stderr all hold markup, script, CDATA
ends, javascript: links, Markdown table breakers, ANSI escapes, NUL and other control
characters, and lone surrogates.
"""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import junitparser
from conftest import record
from hostile_testee import HOSTILE

from reports import matrix

# What no report may hold raw: C0 controls but tab and newline, DEL, C1, lone surrogates,
# and the bidirectional override the testee sends.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202e]")


def test_results_json_keeps_the_hostile_text_losslessly(hostile_dir):
    results = record(hostile_dir)
    assert results.implementation["name"] == f"hostile {HOSTILE}"
    assert results.implementation["homepage"].endswith(HOSTILE)
    answers = [c.failure.answer for c in results.checks if c.failure]
    assert f"rejected: rejected {HOSTILE}" in answers
    assert f"accepted: {HOSTILE}" in answers
    assert json.loads((hostile_dir / "results.json").read_text())["implementation"]["version"] == (
        f"1.0 {HOSTILE}"
    )


def test_the_hostile_text_reached_every_place_a_testee_writes(hostile_dir):
    """Name, answers, rejection errors and stderr: else the tests below would prove little."""
    failures = [c.failure for c in record(hostile_dir).checks if c.failure]
    assert any(f.answer.startswith("accepted: {") and "<script>" in f.answer for f in failures)
    assert any(f.answer.startswith("rejected: ") and "<script>" in f.answer for f in failures)
    # stderr is bytes: the harness decodes it, so a lone surrogate arrives as U+FFFD.
    assert any("crashing <script>" in f.stderr and "\x1b[31mRED" in f.stderr for f in failures)


def test_every_report_holds_no_raw_control_character_or_lone_surrogate(hostile_dir):
    for name in ("junit.xml", "report.md", "report.html", "badge.svg"):
        text = (hostile_dir / name).read_text(encoding="utf-8")
        assert RAW.findall(text) == [], name


def test_junit_stays_well_formed_and_shows_the_text_escaped(hostile_dir):
    root = ET.parse(hostile_dir / "junit.xml").getroot()  # noqa: S314 - our renderer's XML
    name = root.find("testsuite").get("name")
    assert "<script>window.__pwned = 1</script>" in name
    assert "]]>" in name
    assert "\\x1b[31mRED\\x1b[0m \\x00NUL \\x07\\x08\\x0b\\x0c\\x0d" in name  # visible, not dropped
    assert "\\ud800" in name
    assert "\\udc80" in name
    suite = next(iter(junitparser.JUnitXml.fromfile(str(hostile_dir / "junit.xml"))))
    texts = [r.text for case in suite for r in case.result]
    assert any("<img src=x onerror=" in t for t in texts)


class _Elements(HTMLParser):
    """Every element and attribute of a page, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.text.append(data)


def _parse(html):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def _assert_inert_and_visible(html):
    page = _parse(html)
    assert page.tags.count("script") == 1  # ours, the copy buttons, at the end
    assert "img" not in page.tags
    assert [a for a in page.attributes if a[1].startswith("on")] == []
    links = [value for tag, name, value in page.attributes if name == "href"]
    assert links
    assert all(link.startswith("#") for link in links)
    text = "".join(page.text)
    assert '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">' in text
    assert "[link](javascript:alert(1))" in text
    assert "\\x1b[31mRED" in text


def test_html_shows_the_hostile_text_as_text_and_runs_none_of_it(hostile_dir):
    _assert_inert_and_visible((hostile_dir / "report.html").read_text(encoding="utf-8"))


def test_the_html_matrix_shows_the_hostile_text_as_text_and_runs_none_of_it(hostile_dir, mixed_dir):
    _assert_inert_and_visible(matrix.render([record(mixed_dir), record(hostile_dir)], "html"))


def _unescaped_pipes(line):
    return len(re.findall(r"(?<!\\)(?:\\\\)*\|", line))


def _raw_markup(markdown):
    """Every ``<`` that is not backslash-escaped, other than the renderer's own <code> tags."""
    return re.findall(r"(?<!\\)<(?!/?code>)", markdown)


def _assert_rows_intact(markdown):
    """Every table row has as many cells as its header, and no line turned into a heading."""
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(("| ---", "|---")):
            width = _unescaped_pipes(line)
            assert _unescaped_pipes(lines[index - 1]) == width
            for row in lines[index + 1 :]:
                if not row.startswith("|"):
                    break
                assert _unescaped_pipes(row) == width, row
    headings = [line for line in lines if line.startswith("#")]
    assert all(h.startswith(("# Conformance: ", "## ", "# RealtimeSession")) for h in headings)


def test_markdown_breaks_no_table_row_and_shows_the_text_inert(hostile_dir):
    text = (hostile_dir / "report.md").read_text(encoding="utf-8")
    _assert_rows_intact(text)
    assert _raw_markup(text) == []
    assert "\\<script\\>window\\.\\_\\_pwned \\= 1\\<\\/script\\>" in text
    assert "\\[link\\]\\(javascript\\:alert\\(1\\)\\)" in text
    assert "\\`tick\\` \\`\\`\\`" in text
    assert " ⏎ \\# heading ⏎ " in text  # newlines shown, the heading inert


def test_the_markdown_matrix_breaks_no_table_row(hostile_dir, mixed_dir):
    text = matrix.render([record(mixed_dir), record(hostile_dir)], "markdown")
    _assert_rows_intact(text)
    assert _raw_markup(text) == []
