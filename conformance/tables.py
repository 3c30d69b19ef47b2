"""Hypothesis' Unicode tables, built by a short-lived child beside the run's start-up.

Hypothesis builds two tables (the categories of every code point, and which of them
UTF-8 can encode) the first time a run draws text into a new Hypothesis home; the report
folder is a new home on every run. Built in the runner they cost some 200 MB that it
keeps to its end (many small objects: the memory is not given back), on top of what the
testee's answers need; read from the files Hypothesis caches them in, a few MB.

So a child builds them, as soon as the home is known (the CLI starts it before the
testee's handshake), while the rest of the run starts: the testee, and under pytest-xdist
the workers. Only drawing needs the tables, so the process that started the child waits
for it before its first check (`ready`), and every xdist worker waits for the file the
child leaves when it ends (`done_marker`). Best effort: if the child fails, Hypothesis
builds the tables in the runner as before.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path

__all__ = ["done_marker", "ready", "start"]

_WAIT = 120.0
"""Seconds to wait for the tables; after that Hypothesis builds its own."""
_CODE = (
    "import sys\n"
    "from pathlib import Path\n"
    "try:\n"
    "    from hypothesis import find, settings, strategies as st\n"
    "    from hypothesis.configuration import set_hypothesis_home_dir\n"
    "    set_hypothesis_home_dir(sys.argv[1])\n"
    # One text drawn through the public API builds both tables.
    "    text = st.text(st.characters(codec='utf-8'), min_size=1)\n"
    "    find(text, lambda _: True, settings=settings(database=None))\n"
    "finally:\n"
    "    Path(sys.argv[2]).touch()\n"
)
_children: dict[Path, tuple[subprocess.Popen[bytes], Path]] = {}


def start(home: Path) -> None:
    """Start the child that builds the tables into *home*, unless they are there or coming."""
    if home in _children or (home / "unicode_data").exists():
        return
    folder = Path(tempfile.mkdtemp(prefix="realtime-conformance-tables-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    done = folder / "built"
    with suppress(OSError):
        child = subprocess.Popen(
            [sys.executable, "-c", _CODE, str(home), str(done)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _children[home] = (child, done)


def done_marker(home: Path) -> Path | None:
    """Return the file our child for *home* creates when it ends (None: no child of ours)."""
    entry = _children.get(home)
    return entry[1] if entry else None


def ready(home: Path | None = None, marker: Path | None = None) -> None:
    """Wait until the tables are built: for our own child of *home*, or for *marker*."""
    entry = _children.get(home) if home is not None else None
    if entry is not None:
        child, _ = entry
        try:
            child.wait(timeout=_WAIT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return
    if marker is not None:
        end = time.monotonic() + _WAIT
        while not marker.exists() and time.monotonic() < end:
            time.sleep(0.02)
