"""Coverage: a default certification reaches every rule, enum value, branch and bound.

Every kind of text-level variation appears too.

Each feature is also reported with `hypothesis.event`, so ``pytest --hypothesis-show-statistics``
shows how often each is drawn.
"""

import math
from collections import Counter

import attrs
import pytest
from hypothesis import event, given, settings

from conformance.checks import CHECKS
from conformance.driver import InProcess
from conformance.reference import HELLO as REFERENCE_HELLO
from conformance.reference import handler as reference_handler
from conformance.runner import PROFILES, run_check
from strategies import RULES, valid_documents
from strategies.model import ABSENT, AUDIO_FORMATS, MODALITIES, NULL, VOICES
from strategies.valid import TEMPERATURE_PINS, THRESHOLD_PINS, TOKEN_PINS

DEFAULT_EXAMPLES = settings.default.max_examples
# A certification run is seeded, so coverage is a fact about the seeded run: derandomize.
SEEDED = settings(max_examples=DEFAULT_EXAMPLES, derandomize=True, database=None)


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


def test_valid_documents_report_their_features_as_statistics():
    """``pytest --hypothesis-show-statistics`` shows how often each feature is drawn."""
    seen = Counter()

    @SEEDED
    @given(valid_documents())
    def draw(case):
        for feature in features(case):
            event(feature)
            seen[feature] += 1

    draw()
    assert seen["voice:present"] > 0
    assert seen["turn_detection:null"] > 0


def _certification_cases():
    """Every case a default-profile certification of the reference sends, check by check."""
    sent = {}
    testee = InProcess(reference_handler, REFERENCE_HELLO)
    testee.start()
    for check in CHECKS.values():
        cases = sent.setdefault(check.kind, [])
        result = run_check(check, testee, PROFILES["default"], 0, observe=cases.append)
        assert result.outcome == "passed", result.failure
    return sent


@pytest.mark.power
def test_a_default_certification_reaches_every_rule_enum_value_branch_and_bound():
    """Statistics per feature are reported with event(), inside each check's search."""
    sent = _certification_cases()
    seen = Counter(f for case in sent["valid"] for f in features(case))
    missing = _required_valid_features() - set(seen)
    assert not missing, f"valid features not reached: {sorted(missing)}"
    rules = Counter(
        case.rule
        for kind in ("invalid", "malformed", "implementation-defined")
        for case in sent[kind]
    )
    assert set(RULES) - set(rules) == set()
    pins = {
        case.expected.get("temperature")
        for case in sent["invalid"]
        if case.rule == "temperature.range" and isinstance(case.expected, dict)
    }
    assert {math.nextafter(0.6, 0), math.nextafter(1.2, 2)} <= pins
    limits = {
        case.expected.get("max_response_output_tokens")
        for case in sent["invalid"]
        if case.rule == "max_response_output_tokens.range"
    }
    assert {0, 4097} <= limits


def test_every_check_sends_its_boundaries_first():
    """Bounds are sent before the search by every check, so no run leaves them to luck."""
    for check in CHECKS.values():
        cases = list(check.explicit(()))
        assert cases, check.id
        rule = check.id.removeprefix("required.").removeprefix("recommended.")
        expected = {None} if check.kind == "valid" else {rule.removeprefix("invalid.")}
        assert {c.rule for c in cases} == expected, check.id
