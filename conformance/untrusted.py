r"""Text from a testee is data: show it escaped, keep a bounded amount of it.

A testee is someone else's program, and whatever it writes (its name in the answer to
``start``, an error message, stderr, a document) may hold lone surrogates, NUL, ANSI
escape sequences, bidirectional overrides or megabytes of anything. Two helpers, used
wherever such text is kept or shown:

- `printable` turns any ``str`` into text that is safe to write to a terminal and to
  encode as UTF-8: every character ``str.isprintable`` refuses (control characters, ESC,
  format characters such as U+202E, lone surrogates, unassigned code points, separators
  other than the ASCII space) is written as a Python-style escape, ``\x1b``, ``\u202e``,
  ``\U000e0001``. A backslash is left as it is, so the escapes are for reading, not for
  decoding: the lossless copy is the one in ``results.json``.
- `clip` keeps at most a given number of characters and says how many were cut, so a
  reader never mistakes a clipped text for the whole of it.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["clip", "printable"]

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Text is checked a slice at a time: str.isprintable passes a clean slice at C speed,
# and only a slice that holds something to escape is walked character by character.
_SLICE = 256


def _escape(character: str) -> str:
    if character.isprintable():
        return character
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _escaped(text: str) -> str:
    parts = []
    for start in range(0, len(text), _SLICE):
        part = text[start : start + _SLICE]
        parts.append(part if part.isprintable() else "".join(map(_escape, part)))
    return "".join(parts)


def printable(text: str, *, keep_newlines: bool = False) -> str:
    r"""Return *text* with every unprintable character escaped (``\x1b``, ``\ud800``).

    The result holds no control character, no escape sequence and no lone surrogate, so
    it can be written to any terminal or UTF-8 file as it is. With *keep_newlines*,
    ``\n`` stays a line break (for multi-line text such as stderr); ``\r`` is always
    escaped, since it would let a line overwrite the one before it.
    """
    if text.isprintable():
        return text
    if not keep_newlines:
        return _escaped(text)
    return "\n".join(map(_escaped, text.split("\n")))


def clip(text: str, limit: int, keep: Literal["head", "tail"] = "head") -> str:
    """Return at most *limit* characters of *text*, and a marker when anything was cut.

    The marker reads ``… [cut N of M characters]`` and comes after a kept head, or
    before a kept tail (the end of stderr is where a crash explains itself).
    """
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    if len(text) <= limit:
        return text
    marker = f"[cut {len(text) - limit} of {len(text)} characters]"
    if keep == "tail":
        return f"{marker} …{text[len(text) - limit :]}"
    return f"{text[:limit]}… {marker}"
