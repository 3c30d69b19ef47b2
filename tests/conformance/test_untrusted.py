"""Untrusted text is shown escaped and kept bounded, whatever it holds."""

from __future__ import annotations

import pytest

from conformance.untrusted import clip, printable

HOSTILE = [
    "\x1b[31mred\x1b[0m",
    "nul\x00byte",
    "lone \ud800 surrogate",
    "right-to-left \u202e override",
    "bell\x07 and del\x7f",
    "c1 \x9b control",
    "line\u2028separator",
    "tag \U000e0001 character",
    "carriage\rreturn",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_printable_leaves_no_control_character_and_encodes_as_utf8(text):
    shown = printable(text)
    assert shown.isprintable()
    shown.encode("utf-8")  # a lone surrogate would raise here
    assert "\x1b" not in shown


def test_printable_uses_readable_escapes():
    assert printable("a\x1b[1mb") == "a\\x1b[1mb"
    assert printable("\ud800") == "\\ud800"
    assert printable("\U000e0001") == "\\U000e0001"
    assert printable("tab\tnew\nline") == "tab\\tnew\\nline"


def test_printable_leaves_printable_text_unchanged():
    text = "caf\u00e9 \U0001f600 <script>alert(1)</script> ]]> \\x1b"
    assert printable(text) is text


def test_printable_keeps_newlines_only_when_asked_and_never_a_carriage_return():
    assert printable("a\nb\rc\x1b", keep_newlines=True) == "a\nb\\rc\\x1b"
    assert printable("a\nb", keep_newlines=False) == "a\\nb"


def test_printable_handles_a_10_mb_string():
    text = "x" * 10_000_000 + "\x1b"
    shown = printable(text)
    assert shown.endswith("x\\x1b")
    assert len(shown) == 10_000_004


def test_clip_keeps_short_text_and_says_how_much_it_cut():
    assert clip("abc", 3) == "abc"
    assert clip("abcdef", 3) == "abc… [cut 3 of 6 characters]"
    assert clip("abcdef", 2, keep="tail") == "[cut 4 of 6 characters] …ef"
    with pytest.raises(ValueError, match="0 or more"):
        clip("abc", -1)
