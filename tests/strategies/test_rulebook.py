"""The rulebook pages are generated from the catalogue of each revision and must not go stale."""

from pathlib import Path

import pytest

from strategies.revisions import SPECS
from strategies.rulebook import index, pages
from strategies.rules import Level

DOCS = Path(__file__).parents[2] / "docs"


@pytest.mark.parametrize("name", list(pages()))
def test_the_committed_rules_pages_match_the_catalogue(name):
    assert (DOCS / name).read_text(encoding="utf-8") == pages()[name], (
        f"docs/{name} is stale: run python -m strategies.rulebook docs"
    )


def test_the_index_lists_every_revision_with_the_rules_it_adds_and_drops():
    text = index()
    for revision in SPECS:
        assert f"[{revision}](rules/{revision}.md)" in text
    row = next(line for line in text.splitlines() if line.startswith("| [2025-03-22]"))
    assert row.endswith("| `voice.type` | `voice.enum` |")


@pytest.mark.parametrize("revision", list(SPECS))
def test_every_rule_has_a_level_a_source_and_a_sentence(revision):
    for rule in SPECS[revision].rulebook.values():
        assert rule.level in Level
        assert rule.source
        assert rule.sentence
