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

A ``testee.json`` (`conformance.manifest`, ``docs/testees.md``) names the commands its
folder offers, how each is built and what it wraps; ``{python}`` in a command stands for
the running interpreter. A name defined twice is a mistake, reported as such. Nothing
here imports a testee: it only turns a name into a command line.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

import attrs

from conformance.errors import UsageError
from conformance.manifest import Entry, read_manifest

__all__ = [
    "SEARCH_PATH",
    "Bundled",
    "MissingTool",
    "bundled",
    "interpret",
    "resolve",
    "run_facts",
]


class MissingTool(UsageError):  # noqa: N818 - reads as the condition it names
    """A program a testee needs (to build or to run) is not on PATH."""


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
    entry: Entry | None = None
    """The manifest entry it was read from: kind, build steps, tools, versions."""

    @property
    def command(self) -> str:
        """The command as one shell line, runnable from the current directory.

        A folder under the current directory is named relative to it, so that a record
        made from a clone (its replay commands, ``results.json``) holds no machine path.
        """
        if self.cwd is None:
            return shlex.join(self.argv)
        folder = Path(os.path.relpath(self.cwd))
        folder = self.cwd if folder.parts[:1] == ("..",) else folder
        return f"cd {shlex.quote(str(folder))} && exec {shlex.join(self.argv)}"

    @property
    def stamp(self) -> Path:
        """The file a successful build writes, named after its steps.

        Testees of one folder with the same steps share a build; a changed step (a new
        pin) names another file, so the testee reads as not built until built again.
        """
        steps = json.dumps(self.entry.build if self.entry else ())
        digest = hashlib.sha256(steps.encode()).hexdigest()[:16]
        return (self.cwd or Path()) / "build" / f"built-{digest}"

    @property
    def built(self) -> bool:
        """True when there is nothing to build, or the current build steps all succeeded."""
        return not (self.entry and self.entry.build) or self.stamp.is_file()

    def missing_tool(self) -> str | None:
        """Return the first program the testee requires that is not on PATH."""
        tools = self.entry.requires if self.entry else ()
        return next((tool for tool in tools if shutil.which(tool) is None), None)


def interpret(argv: tuple[str, ...]) -> tuple[str, ...]:
    """Replace ``{python}`` by the running interpreter."""
    return tuple(sys.executable if a == "{python}" else a for a in argv)


def _built_in() -> list[Bundled]:
    return [
        Bundled(
            "reference",
            "The attrs/cattrs reference implementation "
            "(validates documented rules, keeps unknown members).",
            (sys.executable, "-m", "conformance.reference_testee"),
            entry=Entry("reference", "reference", "The reference.", ("{python}",)),
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
    return [
        Bundled(
            entry.name,
            entry.description,
            interpret(entry.command),
            manifest.parent,
            str(manifest),
            entry,
        )
        for entry in read_manifest(manifest)
    ]


def _manifests(folder: Path) -> list[Path]:
    """Every ``testee.json`` under *folder*, not looking inside build output."""
    found = []
    for parent, children, files in os.walk(folder):
        # A build tree (a virtual environment, node_modules) holds thousands of files.
        children[:] = [c for c in children if c not in _NOT_SEARCHED]
        found += [Path(parent) / "testee.json"] if "testee.json" in files else []
    return sorted(found)


_NOT_SEARCHED = frozenset(("build", "node_modules", "__pycache__"))


def bundled() -> dict[str, Bundled]:
    """Return every testee known by name, in name order."""
    found: dict[str, Bundled] = {}
    manifests = [m for folder in _folders() for m in _manifests(folder)]
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
    if testee not in known:
        return testee
    found = known[testee]
    if tool := found.missing_tool():
        raise MissingTool(f"testee {testee} needs {tool}, which is not on PATH")
    if not found.built:
        raise UsageError(f"testee {testee} is not built: run realtime-conformance build {testee}")
    return found.command


def run_facts(testee: str | None) -> dict[str, Any]:
    """Return what ``results.json`` records of a named testee: kind and pinned versions.

    *testee* is a name, or the command a name resolved to (what the CLI hands pytest).
    """
    known = bundled()
    found = known.get(testee or "") or next(
        (t for t in known.values() if t.command == testee), None
    )
    if found is None or found.entry is None:
        return {}
    return {"kind": found.entry.kind, "versions": dict(found.entry.versions)}
