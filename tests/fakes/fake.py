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
"""

import json
import sys
import time

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


if __name__ == "__main__":
    sys.exit(main())
