"""The testee manifest, ``testee.json``: how a testee is built and run, in any language.

A manifest is read by people and by tools in other repositories, so it is checked field
by field and a malformed one is refused with one sentence naming the file and the field.
The harness learns nothing about a language from it: a testee is a command, an optional
list of build steps (argv lists run once in the testee's folder), the tools both need,
and the pinned versions of what it wraps, which a run records in ``results.json``.
``docs/testees.md`` is the description of the format.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, cast

import attrs

from conformance.errors import UsageError

__all__ = ["KINDS", "Entry", "ManifestError", "read_manifest"]

Kind = Literal["sdk", "example", "reference", "fixture"]
KINDS: tuple[Kind, ...] = ("sdk", "example", "reference", "fixture")


class ManifestError(UsageError):
    """A ``testee.json`` does not follow the manifest format."""


@attrs.frozen
class Entry:
    """One testee of a manifest, as written (``{python}`` not yet replaced)."""

    name: str
    kind: Kind
    description: str
    command: tuple[str, ...]
    build: tuple[tuple[str, ...], ...] = ()
    """Argument lists run in order, in the testee's folder, by ``realtime-conformance build``."""
    requires: tuple[str, ...] = ()
    """Programs that must be on PATH to build and to run it (``java``, ``node``...)."""
    versions: dict[str, str] = attrs.Factory(dict)
    """The pinned versions of what the testee wraps, recorded in ``results.json``."""
    expectations: str | None = None
    """The testee's expectations file, relative to its folder."""


def read_manifest(path: Path) -> list[Entry]:
    """Read the entries of one ``testee.json``; raise `ManifestError` in one sentence."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"{path} cannot be read as JSON: {error}") from None
    testees = data.get("testees") if isinstance(data, dict) else None
    if not isinstance(testees, list) or not testees:
        raise ManifestError(f'{path} needs a non-empty array "testees"')
    return [_entry(path, f"testees[{i}]", item) for i, item in enumerate(testees)]


def _entry(path: Path, where: str, item: object) -> Entry:
    if not isinstance(item, dict):
        raise ManifestError(f"{path}: {where} must be an object")
    for field in sorted(item):
        if field not in _FIELDS:
            raise ManifestError(f"{path}: {where}.{field} is not a manifest field")
    for field, (valid, expected, default) in _FIELDS.items():
        if not valid(item.get(field, default)):
            raise ManifestError(f"{path}: {where}.{field} must be {expected}")
    return Entry(
        name=item["name"],
        kind=cast("Kind", item["kind"]),
        description=item["description"],
        command=tuple(item["command"]),
        build=tuple(tuple(step) for step in item.get("build", ())),
        requires=tuple(item.get("requires", ())),
        versions=dict(item.get("versions", {})),
        expectations=item.get("expectations"),
    )


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _argv(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_text(a) for a in value)


def _steps(value: Any) -> bool:
    return isinstance(value, list) and all(_argv(step) for step in value)


def _names(value: Any) -> bool:
    return isinstance(value, list) and all(_text(name) for name in value)


def _versions(value: Any) -> bool:
    return isinstance(value, dict) and all(_text(v) for v in value.values())


_MISSING = object()
_FIELDS: dict[str, tuple[Callable[[Any], bool], str, Any]] = {
    # field: (check, what it must be, the value when absent; _MISSING means required)
    "name": (_text, "a non-empty string", _MISSING),
    "kind": (lambda kind: kind in KINDS, "one of " + ", ".join(KINDS), _MISSING),
    "description": (_text, "a non-empty string", _MISSING),
    "command": (_argv, "a non-empty array of strings", _MISSING),
    "build": (_steps, "an array of non-empty arrays of strings", []),
    "requires": (_names, "an array of program names", []),
    "versions": (_versions, "an object of strings", {}),
    "expectations": (lambda name: name is None or _text(name), "a file name", None),
}
