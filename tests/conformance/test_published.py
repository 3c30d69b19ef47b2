"""The committed certification records and expectation files agree with the suite.

`reports/published/<name>/results.json` is what `tox -e certify-<name>` wrote, and the
expectations file its ``testee.json`` names is the ratchet it ran with. A rule renamed in the
rulebook, or a record committed from a run with other expectations, shows up here in the
ordinary test run, without building a JVM or a Node project.
"""

from pathlib import Path

import pytest

from conformance.checks import checks_for
from conformance.expectations import load_expectations, match
from conformance.results import load_results
from conformance.testees import bundled
from strategies.revisions import SPECS

ROOT = Path(__file__).parents[2]
EXPECTATIONS = sorted(
    t.cwd / t.entry.expectations
    for t in bundled().values()
    if t.cwd and t.entry and t.entry.expectations
)
RECORDS = sorted((ROOT / "reports" / "published").glob("*/results.json"))
# A testee names the revision it targets in its claims; its expectations name checks of it.
EVERY_CHECK = {check for revision in SPECS for check in checks_for(revision)}


def expectations_of(name):
    """Return the expectations file that the manifest of testee *name* names."""
    entry = bundled()[name].entry
    assert entry is not None
    assert entry.expectations is not None
    return bundled()[name].cwd / entry.expectations


@pytest.mark.parametrize("path", EXPECTATIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_expected_failure_names_a_registered_check(path):
    """An entry that matches no check id would make its certify run fail as stale."""
    entries = load_expectations(path)
    assert entries, f"{path} lists no expected failure"
    stale = [e.pattern for e in entries if not any(e.matches(check) for check in EVERY_CHECK)]
    assert stale == []


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.parent.name)
def test_a_published_record_failed_exactly_its_testees_expectations(path):
    """The record loads, passed its ratchet, and its failures are the expected ones."""
    results = load_results(path.read_text(encoding="utf-8"))
    entries = load_expectations(expectations_of(path.parent.name))
    failed = {c.id for c in results.checks if c.outcome in ("failed", "xfailed")}
    expected = {c.id for c in results.checks if match(entries, c.id)}
    assert failed == expected
    # The ratchet passed (a record from before verdicts said so as "conformant").
    met = results.expectations_met
    assert met if met is not None else results.conformant
    assert {c.id for c in results.checks} == set(checks_for(results.spec))


def test_both_third_party_testees_are_published():
    """certify-java-openapi-generator and certify-typescript-fetch each left a record."""
    assert {p.parent.name for p in RECORDS} >= {"java-openapi-generator", "typescript-fetch"}
