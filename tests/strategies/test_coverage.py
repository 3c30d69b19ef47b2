"""Coverage: within the default number of examples, every rule, enum value, oneOf branch
and bound is reached, and every kind of text-level variation appears.

Each feature is also reported with `hypothesis.event`, so ``pytest --hypothesis-show-statistics``
shows how often each is drawn.
"""

from collections import Counter

import attrs
import pytest
from hypothesis import event, given, settings

from strategies import (
    RULES,
    Level,
    implementation_defined_documents,
    invalid_documents,
    malformed_documents,
    valid_documents,
)
from strategies.model import ABSENT, AUDIO_FORMATS, MODALITIES, NULL, VOICES
from strategies.valid import TEMPERATURE_PINS, THRESHOLD_PINS, TOKEN_PINS

# Not yet the default number of examples: see the closing note of the issue.
DEFAULT_EXAMPLES = 600


def _members(document):
    for field in attrs.fields(type(document)):
        if field.name != "unknown":
            value = getattr(document, field.name)
            state = "absent" if value is ABSENT else "null" if value is NULL else "present"
            yield f"{field.name}:{state}"


def features(case):
    """Name what a valid case exercises."""
    d = case.model
    found = set(_members(d))
    found |= {f"voice={d.voice}", f"input_audio_format={d.input_audio_format}"}
    found |= {f"output_audio_format={d.output_audio_format}"}
    found |= {f"modalities={m}" for m in (d.modalities if d.modalities is not ABSENT else ())}
    if d.max_response_output_tokens is not ABSENT:
        limit = d.max_response_output_tokens.value
        found.add("tokens=inf" if limit == "inf" else "tokens=integer")
        found.add(f"tokens={limit}")
    found.add(f"temperature={d.temperature!r}")
    if d.turn_detection not in (ABSENT, NULL):
        found.add(f"threshold={d.turn_detection.threshold!r}")
    if d.unknown:
        found.add("unknown:top")
    style = case.style
    found |= {f"whitespace={c!r}" for c in style.whitespace if style.max_run}
    found |= {f"escapes={style.escape_rate}", f"order={style.order}"}
    found.add(f"numbers={'varied' if style.vary_numbers else 'shortest'}")
    return found


def _required_valid_features():
    needed = {f"voice={v}" for v in VOICES} | {f"modalities={m}" for m in MODALITIES}
    needed |= {f"input_audio_format={f}" for f in AUDIO_FORMATS}
    needed |= {f"tokens={t}" for t in ("inf", "integer", *TOKEN_PINS)}
    needed |= {f"temperature={t!r}" for t in TEMPERATURE_PINS}
    needed |= {f"threshold={t!r}" for t in (0.0, 1.0, THRESHOLD_PINS[-2])}
    needed |= {f"whitespace={c!r}" for c in " \t\n\r"} | {"unknown:top", "numbers=varied"}
    needed |= {"escapes=1.0", "order=shuffled"}
    for name in ("client_secret", "modalities", "instructions", "voice", "tools", "temperature"):
        needed |= {f"{name}:absent", f"{name}:present"}
    for name in ("turn_detection", "input_audio_transcription"):
        needed |= {f"{name}:absent", f"{name}:present", f"{name}:null"}
    return needed


@pytest.mark.xfail(
    strict=False,
    reason="known gap: a few pinned bounds are not reached reliably within the examples;"
    " the pins must move into explicit boundary documents",
)
def test_valid_documents_reach_every_enum_value_branch_bound_and_spelling():
    seen = Counter()

    @settings(max_examples=DEFAULT_EXAMPLES)
    @given(valid_documents())
    def draw(case):
        for feature in features(case):
            event(feature)
            seen[feature] += 1

    draw()
    missing = _required_valid_features() - set(seen)
    assert not missing, f"not reached in {DEFAULT_EXAMPLES} examples: {sorted(missing)}"


def _reached(strategy, examples=4 * DEFAULT_EXAMPLES):
    seen = Counter()

    @settings(max_examples=examples)
    @given(strategy)
    def draw(case):
        event(case.rule)
        seen[case.rule] += 1

    draw()
    return seen


def test_invalid_documents_reach_every_object_rule():
    needed = {r.id for r in RULES.values() if r.level in (Level.SCHEMA, Level.DOCUMENTED)}
    seen = _reached(invalid_documents())
    assert needed - set(seen) == set()


def test_malformed_and_implementation_defined_documents_reach_every_kind():
    needed = {r.id for r in RULES.values() if r.level in (Level.MALFORMED,)}
    assert needed - set(_reached(malformed_documents())) == set()
    needed = {r.id for r in RULES.values() if r.level is Level.IMPLEMENTATION_DEFINED}
    assert needed - set(_reached(implementation_defined_documents())) == set()
