"""Bundled testees, found by name: the core knows implementations only as commands.

Each folder under ``testees/`` may hold a ``testee.json`` naming the commands it offers;
``{python}`` in a command stands for the running interpreter. Nothing here imports a
testee: it only turns a name into a command line and a working directory.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import attrs

from conformance.errors import UsageError

__all__ = ["Bundled", "bundled", "find_root", "resolve"]


@attrs.frozen
class Bundled:
    """A testee shipped with the suite."""

    name: str
    description: str
    argv: tuple[str, ...]
    cwd: Path

    @property
    def command(self) -> str:
        """The command as one shell line, runnable from any directory."""
        return f"cd {shlex.quote(str(self.cwd))} && exec {shlex.join(self.argv)}"


def find_root() -> Path | None:
    """Return the folder holding ``testees/``: beside the source tree, or the current one."""
    for candidate in (Path(__file__).resolve().parent.parent, Path.cwd()):
        if (candidate / "testees").is_dir():
            return candidate
    return None


def bundled() -> dict[str, Bundled]:
    """Return every bundled testee by name, in name order."""
    root = find_root()
    found: dict[str, Bundled] = {}
    if root is None:
        return found
    for manifest in sorted((root / "testees").glob("**/testee.json")):
        for entry in json.loads(manifest.read_text(encoding="utf-8"))["testees"]:
            argv = tuple(sys.executable if a == "{python}" else a for a in entry["command"])
            found[entry["name"]] = Bundled(
                entry["name"], entry["description"], argv, manifest.parent
            )
    return dict(sorted(found.items()))


def resolve(testee: str) -> str:
    """Turn ``--testee`` into a shell command: a bundled name, or the command itself."""
    if not testee.strip():
        raise UsageError("--testee needs a command or the name of a bundled testee")
    known = bundled()
    return known[testee].command if testee in known else testee
