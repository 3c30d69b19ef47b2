"""Testees found by name: the core knows implementations only as commands.

Names come from three places, in this order:

1. ``reference``, the reference implementation that ships in the package
   (``python -m conformance.reference_testee``), so that an installed suite is whole;
2. every ``testee.json`` under ``testees/`` of a clone (beside the source tree, or in the
   current directory);
3. every ``testee.json`` under the folders listed in the environment variable
   ``REALTIME_CONFORMANCE_TESTEES`` (separated like ``PATH``); the harness' own tests
   put their fakes and mutants there, which keeps those fixtures out of the list a user
   sees.

A ``testee.json`` names the commands its folder offers; ``{python}`` in a command stands
for the running interpreter. A name defined twice is a mistake, reported as such.
Nothing here imports a testee: it only turns a name into a command line.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import attrs

from conformance.errors import UsageError

__all__ = ["SEARCH_PATH", "Bundled", "bundled", "resolve"]

SEARCH_PATH = "REALTIME_CONFORMANCE_TESTEES"
"""The environment variable listing extra folders of ``testee.json`` files."""


@attrs.frozen
class Bundled:
    """A testee known by name."""

    name: str
    description: str
    argv: tuple[str, ...]
    cwd: Path | None = None
    """The folder the command runs in; None for a command that runs anywhere."""
    origin: str = "built in"
    """Where the name was defined, for messages."""

    @property
    def command(self) -> str:
        """The command as one shell line, runnable from any directory."""
        if self.cwd is None:
            return shlex.join(self.argv)
        return f"cd {shlex.quote(str(self.cwd))} && exec {shlex.join(self.argv)}"


def _built_in() -> list[Bundled]:
    return [
        Bundled(
            "reference",
            "The attrs/cattrs reference implementation "
            "(validates documented rules, keeps unknown members).",
            (sys.executable, "-m", "conformance.reference_testee"),
        )
    ]


def _folders() -> list[Path]:
    roots = (Path(__file__).resolve().parent.parent, Path.cwd())
    folders = [root / "testees" for root in roots if (root / "testees").is_dir()]
    extra = os.environ.get(SEARCH_PATH, "")
    folders += [Path(part) for part in extra.split(os.pathsep) if part]
    unique: dict[Path, None] = {}
    for folder in folders:
        unique.setdefault(folder.resolve(), None)
    return list(unique)


def _read(manifest: Path) -> list[Bundled]:
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))["testees"]
        return [
            Bundled(
                entry["name"],
                entry["description"],
                tuple(sys.executable if a == "{python}" else a for a in entry["command"]),
                manifest.parent,
                str(manifest),
            )
            for entry in entries
        ]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UsageError(
            f"the testee manifest {manifest} is not readable as documented: {error!r}"
        ) from None


def bundled() -> dict[str, Bundled]:
    """Return every testee known by name, in name order."""
    found: dict[str, Bundled] = {}
    manifests = [m for folder in _folders() for m in sorted(folder.glob("**/testee.json"))]
    for testee in _built_in() + [t for m in manifests for t in _read(m)]:
        if testee.name in found:
            raise UsageError(
                f"the testee name {testee.name!r} is defined twice: "
                f"{found[testee.name].origin} and {testee.origin}"
            )
        found[testee.name] = testee
    return dict(sorted(found.items()))


def resolve(testee: str) -> str:
    """Turn ``--testee`` into a shell command: a name, or the command itself."""
    if not testee.strip():
        raise UsageError("--testee needs a command or the name of a bundled testee")
    known = bundled()
    return known[testee].command if testee in known else testee
