"""The default profile catches every mutant: the reference with one realistic SDK bug.

Each mutant (tests/mutants/) runs through the real CLI, restricted with ``-k`` to the
family of checks that must catch its bug, and the failure is checked on its shrunk
document. The reference passes the same selections, so every failure is the bug's doing.
"""

import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

# The suite's power (does a default run catch each bug?) depends on what Hypothesis
# draws, not on the interpreter: one Python version runs it (see tox.ini).
pytestmark = pytest.mark.power

ROOT = Path(__file__).parents[2]
Failure = dict


class Caught(NamedTuple):
    """Where a bug must show: the checks selected, those that fail, and on what document."""

    keyword: str
    checks: tuple[str, ...]
    shows: Callable[[Failure], bool]
    options: tuple[str, ...] = ()


def difference_has(*parts: str) -> Callable[[Failure], bool]:
    return lambda failure: any(part in (failure["difference"] or "") for part in parts)


def document_has(*parts: str) -> Callable[[Failure], bool]:
    return lambda failure: any(part in failure["document"] for part in parts)


def member(*path: str, test: Callable[[object], bool]) -> Callable[[Failure], bool]:
    def shows(failure: Failure) -> bool:
        value = json.loads(failure["document"])
        for name in path:
            value = value[name]
        return test(value)

    return shows


def more_than_six_digits(failure: Failure) -> bool:
    floats: list[float] = []
    json.loads(failure["document"], parse_float=lambda spelling: floats.append(float(spelling)))
    return any(float(f"{number:.6g}") != number for number in floats)


def crashed_deeper_than_1000(failure: Failure) -> bool:
    return "RecursionError" in failure["stderr"] and failure["document"].count("[") > 1000


def hung_on_u2028(failure: Failure) -> bool:
    document = failure["document"]
    return "no answer" in failure["message"] and (
        "\u2028" in document or "\\u2028" in document.lower()
    )


def has_string(test: Callable[[str], bool]) -> Callable[[Failure], bool]:
    def strings(value):
        if isinstance(value, dict):
            for name, member in value.items():
                yield name
                yield from strings(member)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, str):
            yield value

    return lambda failure: any(test(text) for text in strings(json.loads(failure["document"])))


def changed_by_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) != text


def has_format_control(text: str) -> bool:
    return any(unicodedata.category(c) == "Cf" for c in text)


def has_noncharacter(text: str) -> bool:
    return any(0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE for c in text)


def has_json5_space(failure: Failure) -> bool:
    return any(c in failure["document"] for c in "\x0b\x0c\xa0\u2028\u2029\u3000\ufeff")


ROUNDTRIP = ("required.valid.roundtrip",)
ACCEPTED = ("required.valid.accepted",)
# A hang costs one request timeout per shrink step; 2 s is still far above any answer time.
SHORT_TIMEOUT = ("--timeout", "2")

MUTANTS = {
    "drop-unknown-nested": Caught(
        "valid.roundtrip", ROUNDTRIP, difference_has("/tools/", "/client_secret:")
    ),
    "null-as-absent": Caught(
        "valid.roundtrip", ROUNDTRIP, difference_has("member 'turn_detection' is missing")
    ),
    "absent-as-null": Caught(
        "valid.roundtrip", ROUNDTRIP,
        difference_has("member 'input_audio_transcription' was added"),
    ),
    "inject-default": Caught(
        "valid.roundtrip", ROUNDTRIP, difference_has("member 'temperature' was added")
    ),
    "float32": Caught(
        "valid.roundtrip", ROUNDTRIP, difference_has("/temperature:", "/turn_detection/threshold:")
    ),
    "int32-expires": Caught(
        "valid.roundtrip", ROUNDTRIP, difference_has("/client_secret/expires_at:")
    ),
    "off-by-one-tokens": Caught(
        "invalid.max_response_output_tokens",
        ("required.invalid.max_response_output_tokens.range",),
        member("max_response_output_tokens", test=lambda v: v == 4097),
    ),
    "exclusive-temperature": Caught(
        "valid.accepted", ACCEPTED, member("temperature", test=lambda v: v in (0.6, 1.2))
    ),
    "coerce-numbers": Caught(
        "invalid.temperature", ("required.invalid.temperature.type",),
        member("temperature", test=lambda v: isinstance(v, str)),
    ),
    "bool-as-int": Caught(
        "invalid.client_secret", ("required.invalid.client_secret.expires_at.type",),
        member("client_secret", "expires_at", test=lambda v: isinstance(v, bool)),
    ),
    "lenient-json": Caught(
        "malformed.trailing-comma or malformed.comment",
        ("required.malformed.trailing-comma", "required.malformed.comment"),
        lambda failure: re.search(r",[ \t\n\r]*[]}]", failure["document"]) is not None,
    ),
    "nan-ok": Caught(
        "malformed.non-finite", ("required.malformed.non-finite",),
        document_has("NaN", "Infinity"),
    ),
    "crash-deep": Caught(
        "implementation-defined", ("required.implementation-defined.nesting-depth",),
        crashed_deeper_than_1000,
    ),
    "hang-on-u2028": Caught("valid.accepted", ACCEPTED, hung_on_u2028, SHORT_TIMEOUT),
    "modalities-as-set": Caught("valid.roundtrip", ROUNDTRIP, difference_has("/modalities")),
    "voice-case-insensitive": Caught(
        "invalid.voice", ("required.invalid.voice.enum",),
        member("voice", test=lambda v: isinstance(v, str) and v.lower() == "alloy"),
    ),
    "round-floats": Caught("valid.roundtrip", ROUNDTRIP, more_than_six_digits),
    "truncate-long-strings": Caught(
        "valid.roundtrip", ROUNDTRIP, lambda failure: len(failure["document"]) > 65536
    ),
    "empty-array-dropped": Caught(
        "valid.roundtrip", ROUNDTRIP, difference_has("member 'tools' is missing")
    ),
    "nul-truncates": Caught("malformed.nul", ("required.malformed.nul",), document_has("\x00")),
    "json5-whitespace": Caught(
        "malformed.bad-whitespace", ("required.malformed.bad-whitespace",), has_json5_space
    ),
    "openai-strict": Caught(
        "invalid.tool_choice", ("required.invalid.tool_choice.type",),
        member("tool_choice", test=lambda v: v is None),
    ),
    "exclude-none": Caught("valid.roundtrip", ROUNDTRIP, difference_has("is missing")),
    "float-as-int": Caught(
        "invalid.client_secret", ("required.invalid.client_secret.expires_at.type",),
        member("client_secret", "expires_at", test=lambda v: isinstance(v, float)),
    ),
    "unknown-enum-dropped": Caught(
        "invalid.voice", ("required.invalid.voice.enum",),
        member("voice", test=lambda v: isinstance(v, str)),
    ),
    "omit-empty": Caught("valid.roundtrip", ROUNDTRIP, difference_has("is missing")),
    "dedupe-tools": Caught("valid.roundtrip", ROUNDTRIP, difference_has("/tools")),
    "default-turn-type": Caught(
        "valid.roundtrip", ROUNDTRIP, difference_has("member 'type' was added")
    ),
    "nfc-strings": Caught("valid.roundtrip", ROUNDTRIP, has_string(changed_by_nfc)),
    "strip-format-controls": Caught("valid.roundtrip", ROUNDTRIP, has_string(has_format_control)),
    "noncharacters-replaced": Caught("valid.roundtrip", ROUNDTRIP, has_string(has_noncharacter)),
}  # fmt: skip


def run(testee, keyword, report_dir, *options):
    command = [sys.executable, "-m", "conformance", "run", "--testee", testee, "--profile",
               "default", "--report-dir", str(report_dir), "-k", keyword, *options]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300,
                               check=False)  # fmt: skip
    results = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    return completed, {check["id"]: check for check in results["checks"]}


def test_every_registered_mutant_has_a_row():
    manifest = json.loads((ROOT / "tests/mutants/testee.json").read_text(encoding="utf-8"))
    assert sorted(entry["name"] for entry in manifest["testees"]) == sorted(
        f"mutant-{name}" for name in MUTANTS
    )


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_the_default_profile_catches_the_mutant_on_a_document_that_shows_its_bug(name, tmp_path):
    caught = MUTANTS[name]
    completed, checks = run(f"mutant-{name}", caught.keyword, tmp_path, *caught.options)
    assert completed.returncode == 1, completed.stdout[-3000:]
    for check_id in caught.checks:
        assert checks[check_id]["outcome"] == "failed", f"{check_id} missed the bug"
    failure = checks[caught.checks[0]]["failure"]
    assert caught.shows(failure), {k: str(v)[:300] for k, v in failure.items()}


SELECTIONS = sorted({caught.keyword for caught in MUTANTS.values()})


@pytest.mark.parametrize("keyword", SELECTIONS)
def test_the_reference_passes_every_selection_that_catches_a_mutant(keyword, tmp_path):
    """One run per selection: each stays short, and xdist spreads them."""
    completed, checks = run("reference", keyword, tmp_path)
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert {check["outcome"] for check in checks.values()} == {"passed"}
    for caught in MUTANTS.values():
        if caught.keyword == keyword:
            assert set(caught.checks) <= checks.keys()


# The invalid checks an SDK that refuses documents without a complete client_secret
# (openai-python's validating mode) used to pass or fail by the seed's luck.
# One rule it breaks and one it keeps, to stay fast; the full table is benchmarks/mutants.py.
STRICT_SELECTION = "invalid.tool_choice or invalid.voice"
STRICT_VERDICTS = {
    "required.invalid.tool_choice.type": "failed",
    "required.invalid.voice.enum": "passed",
}


@pytest.mark.parametrize("seed", range(10))
def test_a_strict_sdk_gets_the_same_invalid_verdicts_at_every_seed(seed, tmp_path):
    """Every case is judged on a base the SDK accepts, so the verdicts do not move."""
    _, checks = run("mutant-openai-strict", STRICT_SELECTION, tmp_path, "--seed", str(seed))
    assert {check_id: c["outcome"] for check_id, c in checks.items()} == STRICT_VERDICTS
    assert all(c["conclusive"] >= 10 for c in checks.values())
