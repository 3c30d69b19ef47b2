"""The HTML reports as a person sees them: headless Chromium, loaded from file://.

Debian's chromium, driven over its DevTools pipe (nothing is downloaded). These tests
and the matrix of real testees run in the ``reports`` tox environment only; where
Chromium cannot be installed they are skipped with the reason. The screenshots are kept
beside the reports they show, in the test run's report folders.
"""

import os

import pytest
from chromium import Browser, find
from conftest import certify, record

from reports import matrix

pytestmark = pytest.mark.reports

# Set by each copy button once clicked; checked to show the page's own script runs.
PWNED = "typeof window.__pwned === 'undefined'"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = find()
    if executable is None:
        pytest.skip("chromium is not installed: apt-get install chromium (.ci/run does this)")
    chromium = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def real_matrix(tmp_path_factory, mixed_dir, hostile_dir):
    """Render the matrix of the reference, the Node example and three fakes, from real runs."""
    some = ["-k", "required.valid or malformed.comment or trailing-comma or implementation-defined"]
    runs = [
        certify(tmp_path_factory.mktemp("reference"), "reference"),
        certify(tmp_path_factory.mktemp("echo"), "fake-echo", *some),
        certify(tmp_path_factory.mktemp("extra"), "fake-extra-member", *some),
        mixed_dir,
        hostile_dir,
    ]
    if os.system("node --version >/dev/null 2>&1") == 0:  # noqa: S605, S607 - a fixed probe
        runs.insert(1, certify(tmp_path_factory.mktemp("node"), "node-example"))
    folder = tmp_path_factory.mktemp("matrix")
    records = [record(r) for r in runs]
    (folder / "matrix.html").write_text(matrix.render(records, "html"), encoding="utf-8")
    (folder / "matrix.md").write_text(matrix.render(records, "markdown"), encoding="utf-8")
    return folder, records


def _visible(browser, selector):
    return browser.evaluate(
        f"(() => {{ const e = document.querySelector({selector!r});"
        " if (!e) return null; const r = e.getBoundingClientRect();"
        " const s = getComputedStyle(e);"
        " return {text: e.innerText, top: r.top, height: r.height, shown: s.visibility"
        " === 'visible' && s.display !== 'none' && r.height > 0 && r.top < innerHeight}; })()"
    )


def _assert_offline_and_inert(browser, page):
    assert browser.requests() == [page.resolve().as_uri()]  # the page itself, nothing else
    assert browser.evaluate(PWNED) is True


def test_the_hostile_report_shows_its_verdict_first_runs_no_testee_script_and_stays_offline(
    browser, hostile_dir
):
    page = hostile_dir / "report.html"
    browser.load(page)
    verdict = _visible(browser, "#verdict")
    assert verdict["shown"]
    assert verdict["top"] < 100  # at the top, above the testee's (long) name
    assert verdict["text"].startswith("not conformant (")
    _assert_offline_and_inert(browser, page)
    shown = browser.evaluate("document.body.innerText")
    assert '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">' in shown


def test_the_copy_button_runs_under_the_pages_content_security_policy(browser, mixed_dir):
    """Only the page's own script may run: the CSP hash must match it, or copying breaks."""
    page = mixed_dir / "report.html"
    browser.load(page)
    before = browser.evaluate("document.querySelector('button[data-copy]').textContent")
    browser.evaluate("document.querySelector('button[data-copy]').click()")
    after = browser.evaluate("document.querySelector('button[data-copy]').textContent")
    assert (before, after) == ("copy", "copied")
    _assert_offline_and_inert(browser, page)


def test_the_matrix_of_real_testees_shows_every_verdict_and_marks_disagreement(
    browser, real_matrix
):
    folder, records = real_matrix
    page = folder / "matrix.html"
    browser.load(page)
    head = _visible(browser, "#verdict")
    assert head["shown"]
    assert head["text"].count("not conformant") == sum(r.conformant is False for r in records)
    assert "realtime-conformance-reference" in head["text"]
    assert browser.evaluate("document.querySelectorAll('tr.disagree').length") > 0
    # Every link of a cell leads to an element of the same page.
    assert browser.evaluate(
        "[...document.querySelectorAll('a[href^=\"#\"]')]"
        ".every(a => document.getElementById(a.getAttribute('href').slice(1)))"
    )
    _assert_offline_and_inert(browser, page)


def test_the_markdown_matrix_names_every_implementation(real_matrix):
    folder, records = real_matrix
    text = (folder / "matrix.md").read_text()
    header = next(line for line in text.splitlines() if line.startswith("| | Check |"))
    assert header.count("|") == 4 + len(records)
    assert "node\\-example" in header or len(records) == 5


def test_screenshots_of_the_report_and_the_matrix_are_kept_in_the_report_folders(
    browser, mixed_dir, real_matrix
):
    for page in (mixed_dir / "report.html", real_matrix[0] / "matrix.html"):
        browser.load(page)
        shot = page.with_suffix(".png")
        browser.screenshot(shot)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
