"""The reference testee with one realistic SDK bug injected, to show the suite catches it.

Usage: mutant.py BUG

Each bug changes one stage of the reference's pipeline (read the text, look at the parsed
object, validate, write the output) and nothing else, so a mutant claims what the
reference claims and differs from it only where its bug shows. tests/conformance/
test_mutants.py proves the default profile catches every one; benchmarks/mutants.py
runs the full profile against all of them.
"""

import contextlib
import json
import math
import re
import struct
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from strategies.codec import CONVERTER, structure, unstructure
from strategies.errors import DocumentError, MalformedDocument
from strategies.jsontext import dumps, parse
from strategies.model import VOICES, MaxResponseOutputTokens

HELLO = {
    "protocol": 1,
    "implementation": {"name": "realtime-conformance-mutant", "version": "0.1.0",
                       "language": "python"},
    "claims": {"validation": "documented", "unknown_members": "preserve"},
}  # fmt: skip


def _same(value):
    return value


def _nothing():
    pass


@dataclass(frozen=True)
class Bug:
    """Where the bug sits; every stage not given is the reference's own."""

    description: str
    setup: Callable[[], None] = _nothing  # changes the strict converter, once
    read: Callable[[str], object] = parse  # text to JSON value
    before: Callable[[dict], dict] = _same  # the parsed object, before validation
    after: Callable[[dict], dict] = _same  # the validated object, before writing
    write: Callable[[object], str] = dumps


# Reading -------------------------------------------------------------------------------

# JSONC: strings are kept whole, so "//" inside a string is left alone.
_JSONC = re.compile(r'("(?:[^"\\]++|\\.)*+")|//[^\n]*|/\*.*?\*/|,(?=[ \t\n\r]*[]}])', re.DOTALL)


def _read_jsonc(text):
    return parse(_JSONC.sub(lambda m: m.group(1) or "", text))


def _read_nan(text):
    try:
        return parse(text)
    except MalformedDocument as error:
        refusal = error
    try:
        return json.loads(text)  # json's default takes NaN, Infinity and -Infinity
    except (ValueError, RecursionError):  # a refusal for another reason stands
        raise refusal from None


def _read_deep(text):
    # A first pass that catches ValueError only: past ~1000 levels the decoder's
    # RecursionError escapes and kills the process (the main loop catches DocumentError).
    with contextlib.suppress(ValueError):
        json.loads(text)
    return parse(text)


def _read_until_nul(text):
    # A C string ends at the first NUL: whatever follows is never seen.
    return parse(text.split("\x00", 1)[0])


# JSON5 whitespace beyond JSON's four: VT, FF, NBSP, BOM, U+2028/9 and the Zs spaces.
_JSON5_SPACE = re.compile(
    r'("(?:[^"\\]++|\\.)*+")|[\x0b\x0c\xa0\ufeff\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'
)


def _read_json5_whitespace(text):
    return parse(_JSON5_SPACE.sub(lambda m: m.group(1) or " ", text))


def _strings(value) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack += [*item, *item.values()]
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str):
            yield item


def _hang_on_line_separator(value):
    if any("\u2028" in text for text in _strings(value)):
        while True:  # the runner's request timeout must end this
            time.sleep(3600)
    return value


# Validating ----------------------------------------------------------------------------


def _lenient(kind, first):
    """Return a setup that lets *first* see each value of *kind* before the strict hook.

    *first* returns what it lets through, or None to leave the value to the reference.
    """

    def setup():
        strict = CONVERTER.get_structure_hook(kind)

        def hook(value, cls):
            found = first(value)
            return strict(value, cls) if found is None else found

        CONVERTER.register_structure_hook(kind, hook)

    return setup


def _tokens_upper_bound_off_by_one(value):
    return MaxResponseOutputTokens(value) if type(value) is int and value == 4097 else None


def _bool_as_int(value):
    return int(value) if isinstance(value, bool) else None


def _non_finite_float(value):
    return value if isinstance(value, float) and not math.isfinite(value) else None


def _exclusive_temperature(value):
    if value.get("temperature") in (0.6, 1.2):
        raise DocumentError(f"temperature.range: {value['temperature']} is outside (0.6, 1.2)")
    return value


def _coerce_temperature(value):
    temperature = value.get("temperature")
    if not isinstance(temperature, str):
        return value
    try:
        return {**value, "temperature": float(temperature)}
    except ValueError:
        return value


# Members openai-python's model reads as null rather than refusing, kept through the
# strict codec under a name no document uses, and put back as null on the way out.
_NULL_TOLERATED = ("tool_choice", "output_audio_format")
_HIDDEN = "\x00null:"


def _openai_strict(value):
    secret = value.get("client_secret")
    if not (isinstance(secret, dict) and "value" in secret and "expires_at" in secret):
        raise DocumentError("client_secret: a complete client_secret is required")
    for name in _NULL_TOLERATED:
        if name in value and value[name] is None:
            value = {**value, _HIDDEN + name: None}
            del value[name]
    return value


def _restore_nulls(out):
    for name in _NULL_TOLERATED:
        if _HIDDEN + name in out:
            del out[_HIDDEN + name]
            out[name] = None
    return out


def _unknown_voice_dropped(value):
    voice = value.get("voice")
    if isinstance(voice, str) and voice not in VOICES:
        return {name: member for name, member in value.items() if name != "voice"}
    return value


def _float_as_int(value):
    return int(value) if isinstance(value, float) and math.isfinite(value) else None


def _lower_case_voice(value):
    voice = value.get("voice")
    return {**value, "voice": voice.lower()} if isinstance(voice, str) else value


# Writing -------------------------------------------------------------------------------

_TOOL_MEMBERS = ("type", "name", "description", "parameters")
_SECRET_MEMBERS = ("value", "expires_at")
_KNOWN = (
    "client_secret", "modalities", "instructions", "voice", "input_audio_format",
    "output_audio_format", "input_audio_transcription", "turn_detection", "tools",
    "tool_choice", "temperature", "max_response_output_tokens",
)  # fmt: skip
_NESTED_KNOWN = {
    "client_secret": _SECRET_MEMBERS,
    "input_audio_transcription": ("model",),
    "turn_detection": ("type", "threshold", "prefix_padding_ms", "silence_duration_ms"),
}


def _known_only(value, names):
    return {name: member for name, member in value.items() if name in names}


def _drop_unknown_nested(out):
    if "tools" in out:
        out["tools"] = [_known_only(tool, _TOOL_MEMBERS) for tool in out["tools"]]
    if "client_secret" in out:
        out["client_secret"] = _known_only(out["client_secret"], _SECRET_MEMBERS)
    return out


def _null_as_absent(out):
    if "turn_detection" in out and out["turn_detection"] is None:
        del out["turn_detection"]
    return out


def _float32(number):
    return struct.unpack("f", struct.pack("f", number))[0]


def _single_precision(out):
    if "temperature" in out:
        out["temperature"] = _float32(out["temperature"])
    if isinstance(out.get("turn_detection"), dict) and "threshold" in out["turn_detection"]:
        out["turn_detection"]["threshold"] = _float32(out["turn_detection"]["threshold"])
    return out


def _int32_expires(out):
    secret = out.get("client_secret", {})
    if "expires_at" in secret:
        secret["expires_at"] = (secret["expires_at"] + 2**31) % 2**32 - 2**31
    return out


def _map_leaves(value, change):
    if isinstance(value, dict):
        return {name: _map_leaves(member, change) for name, member in value.items()}
    if isinstance(value, list):
        return [_map_leaves(item, change) for item in value]
    return change(value)


def _round_float(value):
    return float(f"{value:.6g}") if isinstance(value, float) else value


def _truncate_string(value):
    return value[:65536] if isinstance(value, str) else value


def _sorted_modalities(out):
    if "modalities" in out:
        out["modalities"] = sorted(set(out["modalities"]))
    return out


def _drop_empty_tools(out):
    if out.get("tools") == []:
        del out["tools"]
    return out


def _without_nulls(value):
    if isinstance(value, dict):
        return {name: _without_nulls(m) for name, m in value.items() if m is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def _is_empty(value):
    return value in ("", 0, [], {})  # 0 == 0.0 == False: Go's zero values


def _omit_empty(out):
    # Go's omitempty applies to the struct's own fields, at every level of the model.
    out = {name: m for name, m in out.items() if name not in _KNOWN or not _is_empty(m)}
    for name, known in _NESTED_KNOWN.items():
        if isinstance(out.get(name), dict):
            out[name] = {k: m for k, m in out[name].items() if k not in known or not _is_empty(m)}
    if isinstance(out.get("tools"), list):
        out["tools"] = [
            {k: m for k, m in tool.items() if k not in _TOOL_MEMBERS or not _is_empty(m)}
            for tool in out["tools"]
        ]
    return out


def _dedupe_tools(out):
    if isinstance(out.get("tools"), list):
        unique = []
        for tool in out["tools"]:
            if tool not in unique:
                unique.append(tool)
        out["tools"] = unique
    return out


def _default_turn_type(out):
    if isinstance(out.get("turn_detection"), dict):
        out["turn_detection"].setdefault("type", "server_vad")
    return out


def _nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _no_format_controls(value):
    if not isinstance(value, str):
        return value
    return "".join(c for c in value if unicodedata.category(c) != "Cf")


def _noncharacters_replaced(value):
    if not isinstance(value, str):
        return value
    return "".join("\ufffd" if 0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE else c
                   for c in value)  # fmt: skip


BUGS = {
    "drop-unknown-nested": Bug(
        "drops unknown members inside tools items and client_secret",
        after=_drop_unknown_nested,
    ),
    "null-as-absent": Bug(
        "a turn_detection of null comes back without the member", after=_null_as_absent
    ),
    "absent-as-null": Bug(
        "an absent input_audio_transcription comes back as null",
        after=lambda out: {"input_audio_transcription": None, **out},
    ),
    "inject-default": Bug(
        "an absent temperature comes back as 0.8", after=lambda out: {"temperature": 0.8, **out}
    ),
    "float32": Bug("temperature and threshold pass through a float32", after=_single_precision),
    "int32-expires": Bug("expires_at wraps to signed 32-bit", after=_int32_expires),
    "off-by-one-tokens": Bug(
        "accepts max_response_output_tokens 4097",
        setup=_lenient(MaxResponseOutputTokens, _tokens_upper_bound_off_by_one),
    ),
    "exclusive-temperature": Bug(
        "rejects temperature exactly 0.6 or 1.2", before=_exclusive_temperature
    ),
    "coerce-numbers": Bug(
        'accepts a string such as "0.8" for temperature and returns the number',
        before=_coerce_temperature,
    ),
    "bool-as-int": Bug(
        "accepts true and false as integers, returning 1 and 0",
        setup=_lenient(int, _bool_as_int),
    ),
    "lenient-json": Bug("accepts trailing commas and comments", read=_read_jsonc),
    "nan-ok": Bug(
        "accepts NaN, Infinity and -Infinity",
        setup=_lenient(float, _non_finite_float),
        read=_read_nan,
        write=lambda out: json.dumps(out, ensure_ascii=False, separators=(",", ":")),
    ),
    "crash-deep": Bug(
        "crashes with a traceback on nesting deeper than about 1000", read=_read_deep
    ),
    "hang-on-u2028": Bug(
        "never answers when a string contains U+2028", before=_hang_on_line_separator
    ),
    "modalities-as-set": Bug(
        "returns modalities de-duplicated and sorted", after=_sorted_modalities
    ),
    "voice-case-insensitive": Bug(
        'accepts "ALLOY" and returns it lower-cased', before=_lower_case_voice
    ),
    "round-floats": Bug(
        "writes numbers rounded to 6 significant digits",
        after=lambda out: _map_leaves(out, _round_float),
    ),
    "truncate-long-strings": Bug(
        "cuts strings longer than 65536 characters",
        after=lambda out: _map_leaves(out, _truncate_string),
    ),
    "empty-array-dropped": Bug(
        "an empty tools array comes back without the member", after=_drop_empty_tools
    ),
    "nul-truncates": Bug(
        "reads the text only up to its first NUL, as a C string", read=_read_until_nul
    ),
    "json5-whitespace": Bug(
        "takes JSON5 whitespace (VT, FF, NBSP, U+2028, ...) between tokens",
        read=_read_json5_whitespace,
    ),
    "openai-strict": Bug(
        "rejects every document without a complete client_secret, and takes null for"
        " tool_choice and output_audio_format",
        before=_openai_strict,
        after=_restore_nulls,
    ),
    "exclude-none": Bug(
        "drops every member whose value is null, at every level", after=_without_nulls
    ),
    "float-as-int": Bug(
        "accepts a float for an integer member, truncating it", setup=_lenient(int, _float_as_int)
    ),
    "unknown-enum-dropped": Bug(
        "accepts an unknown voice and leaves the member out", before=_unknown_voice_dropped
    ),
    "omit-empty": Bug(
        "leaves out known members that are empty strings, zeros, false or empty",
        after=_omit_empty,
    ),
    "dedupe-tools": Bug("returns tools with duplicates removed", after=_dedupe_tools),
    "default-turn-type": Bug(
        "an absent turn_detection.type comes back as server_vad", after=_default_turn_type
    ),
    "nfc-strings": Bug(
        "returns strings normalized to NFC", after=lambda out: _map_leaves(out, _nfc)
    ),
    "strip-format-controls": Bug(
        "removes format and bidi controls (Unicode category Cf) from strings",
        after=lambda out: _map_leaves(out, _no_format_controls),
    ),
    "noncharacters-replaced": Bug(
        "replaces noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF) with U+FFFD",
        after=lambda out: _map_leaves(out, _noncharacters_replaced),
    ),
}


def roundtrip(bug, text):
    value = bug.read(text)
    if isinstance(value, dict):
        value = bug.before(value)
    return bug.write(bug.after(unstructure(structure(value))))


def answer(bug, request):
    if request.get("cmd") == "start":
        return HELLO
    seq = request["seq"]
    try:
        return {"seq": seq, "ok": True, "document": roundtrip(bug, request["document"])}
    except DocumentError as error:
        return {"seq": seq, "ok": False, "error": str(error)}


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in BUGS:
        print(f"mutant.py: unknown bug {name!r}; bugs: {', '.join(BUGS)}.", file=sys.stderr)
        return 2
    bug = BUGS[name]
    bug.setup()
    # Bytes in, ASCII out (json.dumps escapes everything else): only "\n" ends a line.
    while line := sys.stdin.buffer.readline():
        request = json.loads(line)
        if request.get("cmd") == "stop":
            return 0
        sys.stdout.write(json.dumps(answer(bug, request)) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
