"""Headless Chromium driven over the DevTools protocol on a pipe: no download, no port.

Chromium reads DevTools commands on fd 3 and writes replies and events on fd 4, each a
JSON text ended by NUL. That is all these tests need: load a page from file://, watch
every request it makes, evaluate an expression, take a screenshot.
"""

import base64
import contextlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
    "--window-size=1280,900",
)


def find():
    """Return the path of Debian's chromium, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One Chromium process with one page, spoken to over the DevTools pipe."""

    def __init__(self, executable, profile: Path):
        to_child_read, self._write = os.pipe()
        self._read, from_child_write = os.pipe()

        def arrange_fds():  # runs in the child, before exec
            os.dup2(to_child_read, 3)
            os.dup2(from_child_write, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=arrange_fds,  # noqa: PLW1509 - only this way do fds 3 and 4 become the pipe
            pass_fds=(3, 4),  # kept open in the child: after arrange_fds they are the pipe
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("CHROMIUM_DEBUG") else subprocess.DEVNULL,
        )
        os.close(to_child_read)
        os.close(from_child_write)
        self._buffer = b""
        self._next_id = 0
        self.events = []
        self.session = None
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        attached = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)
        self.session = attached["sessionId"]

    def _receive(self, deadline):
        chunks = [self._buffer]
        while b"\0" not in chunks[-1]:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed its DevTools pipe")
            chunks.append(chunk)
        message, self._buffer = b"".join(chunks).split(b"\0", 1)
        return json.loads(message)

    def call(self, method, timeout=30.0, **params):
        """Send one command; keep the events that arrive meanwhile; return its result."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, event, timeout=30.0):
        """Wait until *event* has arrived (or had arrived already)."""
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._receive(deadline))

    def load(self, path: Path):
        """Open *path* from file:// with network events on; return once it has loaded."""
        self.events.clear()
        self.call("Network.enable")
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression):
        """Return the value of a JavaScript *expression* in the page."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def requests(self):
        """Return the URL of every request the page made since it was loaded."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def screenshot(self, target: Path):
        """Write a PNG of what the window shows (the top of the page) to *target*."""
        data = self.call("Page.captureScreenshot", format="png")
        target.write_bytes(base64.b64decode(data["data"]))

    def close(self):
        """End Chromium."""
        with contextlib.suppress(OSError, EOFError, TimeoutError, RuntimeError):
            self.call("Browser.close", timeout=5.0)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        os.close(self._read)
