"""``realtime-conformance build``: run a bundled testee's build steps, once, in its folder.

A testee that wraps an SDK installs that SDK into an environment of its own (a virtual
environment, a classpath, ``node_modules``) under its ``build/`` folder, so the harness'
environment never holds an SDK's dependencies. The steps' output is shown as it comes,
because a build can take minutes; a failure is one sentence naming the step.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from typing import TextIO

from conformance.errors import ConformanceError, UsageError
from conformance.testees import Bundled, MissingTool, bundled, interpret

__all__ = ["BuildFailed", "build", "build_all", "listing"]


class BuildFailed(ConformanceError):  # noqa: N818 - reads as the condition it names
    """A build step could not start or exited with a non-zero status."""


def build(testee: Bundled, log: TextIO = sys.stdout) -> None:
    """Run the build steps of *testee* and write its stamp; raise in one sentence."""
    if tool := testee.missing_tool():
        raise MissingTool(f"building {testee.name} needs {tool}, which is not on PATH")
    steps = testee.entry.build if testee.entry else ()
    testee.stamp.unlink(missing_ok=True)
    for step in steps:
        print(f"[{testee.name}] $ {shlex.join(step)}", file=log, flush=True)
        try:
            status = subprocess.run(interpret(step), cwd=testee.cwd, check=False).returncode
        except OSError as error:
            raise BuildFailed(
                f"building {testee.name} failed: {step[0]} cannot be run ({error.strerror})"
            ) from None
        if status:
            raise BuildFailed(
                f"building {testee.name} failed: `{shlex.join(step)}` exited with status {status}"
            )
    if steps:
        testee.stamp.parent.mkdir(parents=True, exist_ok=True)
        testee.stamp.write_text(json.dumps(steps) + "\n", encoding="utf-8")


def build_all(names: list[str], log: TextIO = sys.stdout) -> int:
    """Build the named bundled testees in order; return 0, or raise at the first failure."""
    known = bundled()
    if unknown := [name for name in names if name not in known]:
        raise UsageError(f"{unknown[0]} is not a bundled testee (see realtime-conformance testees)")
    for name in names:
        build(known[name], log)
        print(f"[{name}] built", file=log, flush=True)
    return 0


def listing(testees: dict[str, Bundled]) -> str:
    """Return the ``testees`` table, a line each: name, kind, built or not, versions, what."""
    lines = []
    for name, testee in testees.items():
        entry = testee.entry
        versions = " ".join(f"{k}=={v}" for k, v in entry.versions.items()) if entry else ""
        state = ("built" if testee.built else "not built") if entry and entry.build else "no build"
        kind = entry.kind if entry else "?"
        lines.append(f"{name:<26} {kind:<9} {state:<9}  {versions or '-'}  {testee.description}")
    return "".join(f"{line}\n" for line in lines)
