#!/usr/bin/env python3
"""Deterministic fake testees (protocol v1) for the harness' own tests.

Usage: fake.py MODE [ARG]

  echo            accept every document unchanged
  reject          reject every document
  crash [TEXT]    echo, but exit 3 when the document contains TEXT (default CRASH)
  hang [TEXT]     echo, but never answer when the document contains TEXT (default HANG)
  garbage         answer every roundtrip with a line that is not JSON
  wrong-seq       echo, answering with seq + 1
  slow-start [S]  sleep S seconds (default 5) before answering start, then echo
  no-start        exit 0 at once without answering start
  extra-member    echo, adding the unexpected member "x": 1 to every roundtrip reply

Modes for the run side (verdicts, records, signals); each answers as the reference does
unless it says otherwise:

  run-hostile             a correct SDK whose every text is hostile: ANSI escapes, NUL,
                          lone surrogates and markup in its hello, invalid UTF-8 and
                          escapes on stderr, and a lone surrogate echoed raw (json with
                          ensure_ascii=False) on the implementation-defined case
  run-hostile-reject      the hostile hello and stderr, rejecting everything with a
                          hostile multi-line error
  run-start-fails-in W    does not answer start in the pytest-xdist worker W (gw0, gw1...)
  run-start-once FILE     answers the first start (and creates FILE); later starts fail
  run-linger              ignores stop, end-of-file, SIGINT and SIGTERM, and answers
                          each request after 10 ms: only killing its group ends it
"""

import contextlib
import json
import os
import signal
import sys
import time
from pathlib import Path

MODES = {
    "echo": None,
    "reject": None,
    "crash": "CRASH",
    "hang": "HANG",
    "garbage": None,
    "wrong-seq": None,
    "slow-start": "5",
    "no-start": None,
    "extra-member": None,
}


def send(line):
    # The runner waits for each answer before it sends the next request.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def start_reply(mode):
    return {
        "protocol": 1,
        "implementation": {"name": f"fake-{mode}", "version": "0", "language": "python"},
        "claims": {"validation": "none", "unknown_members": "preserve"},
    }


def roundtrip_reply(mode, arg, seq, document):
    if mode == "crash" and arg in document:
        print(f"fake-crash: document contains {arg!r}, exiting with status 3", file=sys.stderr)
        sys.exit(3)
    if mode == "hang" and arg in document:
        while True:  # the runner's request timeout must end this
            time.sleep(3600)
    if mode == "garbage":
        return "this line is not JSON"
    if mode == "reject":
        return json.dumps({"seq": seq, "ok": False, "error": "fake-reject rejects everything"})
    reply = {"seq": seq + 1 if mode == "wrong-seq" else seq, "ok": True, "document": document}
    if mode == "extra-member":
        reply["x"] = 1
    return json.dumps(reply)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode in RUN_MODES:
        return run_main(mode, sys.argv[2] if len(sys.argv) > 2 else "")
    if mode not in MODES:
        print(f"fake.py: unknown mode {mode!r}; modes: {', '.join(MODES)}.", file=sys.stderr)
        return 2
    arg = sys.argv[2] if len(sys.argv) > 2 else MODES[mode]
    if mode == "no-start":
        return 0
    # Bytes in, ASCII out (json.dumps escapes everything else): no dependence on
    # the locale, and only "\n" ends a line (text mode would also split on "\r").
    while line := sys.stdin.buffer.readline():
        request = json.loads(line)
        if request["cmd"] == "stop":
            return 0
        if request["cmd"] == "start":
            if mode == "slow-start":
                time.sleep(float(arg))
            send(json.dumps(start_reply(mode)))
        elif request["cmd"] == "roundtrip":
            send(roundtrip_reply(mode, arg, request["seq"], request["document"]))
    return 0


# ---- Modes for the run side (verdicts, records, signals) ---------------------------

RUN_MODES = ("run-hostile", "run-hostile-reject", "run-start-fails-in", "run-start-once",
             "run-linger")  # fmt: skip
HOSTILE = "\x1b[31m\x1b]0;pwned\x07<b>&amp;</b>\x00\ud800\u202e\r"


def run_hello(mode):
    hello = {
        "protocol": 1,
        "implementation": {"name": f"fake-{mode}", "version": "0", "language": "python"},
        "claims": {"validation": "documented", "unknown_members": "preserve"},
    }
    if mode.startswith("run-hostile"):
        hello["implementation"] = {
            "name": f"{HOSTILE}name", "version": f"{HOSTILE}1", "language": f"py{HOSTILE}",
            "homepage": f"https://example.invalid/{HOSTILE}",
        }  # fmt: skip
    return hello


def run_answer(mode, seq, document):
    from conformance.reference import handler  # noqa: PLC0415 - only these modes need it

    if mode == "run-hostile-reject":
        return {"seq": seq, "ok": False, "error": f"{HOSTILE}\nsecond line {HOSTILE}"}
    if mode == "run-linger":
        time.sleep(0.01)
    if mode == "run-hostile" and "\\ud800" in document:
        with contextlib.suppress(ValueError, RecursionError):
            # What an SDK built on json with ensure_ascii=False answers: the raw surrogate.
            text = json.dumps(json.loads(document), ensure_ascii=False)
            return {"seq": seq, "ok": True, "document": text}
    ok, text = handler(document)
    return {"seq": seq, "ok": ok, ("document" if ok else "error"): text}


def run_start(mode, arg):
    """Answer start, or return an exit status when this mode must not."""
    if mode == "run-start-fails-in" and os.environ.get("PYTEST_XDIST_WORKER") == arg:
        print(f"fake: no start in worker {arg}", file=sys.stderr, flush=True)
        return 1
    if mode == "run-start-once":
        try:
            Path(arg).touch(exist_ok=False)
        except FileExistsError:
            print(f"fake: already started once ({arg} exists)", file=sys.stderr, flush=True)
            return 1
    if mode.startswith("run-hostile"):
        sys.stderr.buffer.write(b"\xff\xfe invalid UTF-8 \x1b[2J\x1b[31m red \x00\n")
        sys.stderr.buffer.flush()
    send(json.dumps(run_hello(mode)))
    return None


def run_main(mode, arg):
    if mode == "run-linger":
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_IGN)
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            if mode == "run-linger":
                time.sleep(3600)  # end-of-file is not an order to exit, for this testee
            return 0
        request = json.loads(line)
        if request["cmd"] == "stop" and mode != "run-linger":
            return 0
        if request["cmd"] == "start":
            status = run_start(mode, arg)
            if status is not None:
                return status
        elif request["cmd"] == "roundtrip":
            send(json.dumps(run_answer(mode, request["seq"], request["document"])))


if __name__ == "__main__":
    sys.exit(main())
