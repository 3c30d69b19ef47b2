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
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from strategies.codec import CONVERTER, structure, unstructure
from strategies.errors import DocumentError, MalformedDocument
from strategies.jsontext import dumps, parse
from strategies.model import MaxResponseOutputTokens

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


def _lower_case_voice(value):
    voice = value.get("voice")
    return {**value, "voice": voice.lower()} if isinstance(voice, str) else value


# Writing -------------------------------------------------------------------------------

_TOOL_MEMBERS = ("type", "name", "description", "parameters")
_SECRET_MEMBERS = ("value", "expires_at")


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
