"""The rulebook page is generated from the catalogue and must not go stale."""

from pathlib import Path

from strategies.rulebook import render
from strategies.rules import RULES, Level

PAGE = Path(__file__).parents[2] / "docs" / "rules.md"


def test_the_committed_rules_page_matches_the_catalogue():
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/rules.md is stale: run python -m strategies.rulebook > docs/rules.md"
    )


def test_every_rule_has_a_level_a_source_and_a_sentence():
    for rule in RULES.values():
        assert rule.level in Level
        assert rule.source
        assert rule.sentence
