#!/usr/bin/env python3
"""Deterministic fake testees (protocol v1) for the harness' own tests.

Usage: fake.py MODE [ARG]

Faulty transports (they echo every document unless said otherwise):
  echo              accept every document unchanged
  reject            reject every document
  crash [TEXT]      exit 3 when the document contains TEXT (default CRASH)
  hang [TEXT]       never answer when the document contains TEXT (default HANG)
  garbage           answer every roundtrip with a line that is not JSON
  wrong-seq         answer with seq + 1
  duplicate         answer every request twice
  unsolicited       after each answer, answer the next seq before it was asked
  slow-start [S]    sleep S seconds (default 5) before answering start
  no-start          exit 0 at once without answering start
  extra-member      add the unexpected member "x": 1 to every roundtrip reply
  bad-utf8          write bytes that are not UTF-8 on stderr, and as the answer line
  linger            keep running after stop and end-of-file (a non-daemon thread)
  escape [TEXT]     start a process in a new session and an orphaned daemon; hang as hang
  hang-shape        validation "none" done right (accept what the json module reads, and
                    echo it), but never answer a document with an empty member name ("")

Correct implementations (the reference codec) with one trait:
  correct           nothing else: certifies
  hostile           hostile text in every hello field, error and on stderr; echoes lone
                    surrogates back (json with ensure_ascii=False): certifies
  slow [S]          sleep S seconds (default 0.2) before every answer: certifies
  crash-answer [T]  answer "crash": true for documents containing T (default: every one)
  huge [MIB]        pad every accepted document with MIB MiB of spaces (default 20),
                    and every error with as many characters

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
  run-claims REVISION     claims the revision of the object REVISION (claims.spec) and
                          answers as the reference of that revision does: with
                          2025-03-22, any voice string is accepted
"""

import contextlib
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

MODES = {
    "echo": None,
    "reject": None,
    "crash": "CRASH",
    "hang": "HANG",
    "garbage": None,
    "wrong-seq": None,
    "duplicate": None,
    "unsolicited": None,
    "slow-start": "5",
    "no-start": None,
    "extra-member": None,
    "bad-utf8": None,
    "linger": None,
    "escape": "HANG",
    "correct": None,
    "hostile": None,
    "slow": "0.2",
    "hang-shape": None,
    "crash-answer": "",
    "huge": "20",
}
CORRECT = ("correct", "hostile", "slow", "crash-answer", "huge")
# What real implementations put in their names and messages: terminal escapes, markup
# that breaks HTML and XML reports, NUL, a lone surrogate, a bidirectional override.
HOSTILE = "\x1b[31;1mred\x1b[0m\x07 <script>alert(1)</script> ]]> \x00 \ud800 \u202e \r"
BIG = "x" * (10 * 2**20)  # 10 MB of one string in the answer to start


def send(line):
    # The runner waits for each answer before it sends the next request.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def start_reply(mode):
    implementation = {"name": f"fake-{mode}", "version": "0", "language": "python"}
    claims = {"validation": "none", "unknown_members": "preserve"}
    if mode in CORRECT:
        claims = {"validation": "documented", "unknown_members": "preserve"}
    if mode == "hostile":
        implementation = {
            "name": f"fake-hostile {HOSTILE}",
            "version": HOSTILE,
            "language": "",
            "homepage": "javascript:alert(1)//" + BIG,
        }
    return {"protocol": 1, "implementation": implementation, "claims": claims}


def _has_empty_name(value):
    if isinstance(value, dict):
        return "" in value or any(_has_empty_name(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_empty_name(v) for v in value)
    return False


def _loose(document):
    """What an SDK built on the json module makes of text the reference refuses."""
    value = json.loads(document)  # keeps lone surrogates, duplicate names, 1e400...
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def reference_reply(seq, document):
    # Imported here: strategies pulls in Hypothesis, which the faulty modes do without,
    # so that their restarts stay quick.
    from strategies.codec import decode, encode  # noqa: PLC0415
    from strategies.errors import DocumentError, ImplementationDefinedInput  # noqa: PLC0415

    try:
        return {"seq": seq, "ok": True, "document": encode(decode(document))}
    except ImplementationDefinedInput as error:
        try:  # any answer is right here; a json-based SDK often accepts
            return {"seq": seq, "ok": True, "document": _loose(document)}
        except (ValueError, RecursionError):
            return {"seq": seq, "ok": False, "error": str(error)}
    except DocumentError as error:
        return {"seq": seq, "ok": False, "error": str(error)}


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def json_reply(seq, document):
    """Validation "none", quick to restart: accept any JSON text unchanged, reject the rest."""
    try:
        value = json.loads(document, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        return json.dumps({"seq": seq, "ok": False, "error": str(error)})
    try:
        hangs = _has_empty_name(value)
    except RecursionError:
        hangs = False
    if hangs:
        time.sleep(3600)  # the runner's deadline must end this
    return json.dumps({"seq": seq, "ok": True, "document": document})


def correct_reply(mode, arg, seq, document):
    if mode == "slow":
        time.sleep(float(arg))
    if mode == "crash-answer" and arg in document:
        return {"seq": seq, "ok": False, "crash": True, "error": "KeyError: 'voice'"}
    reply = reference_reply(seq, document)
    if mode == "hostile" and not reply["ok"]:
        reply["error"] += " " + HOSTILE
    if mode == "huge":
        padding = int(float(arg) * 2**20)
        if reply["ok"]:
            reply["document"] += " " * padding
        else:
            reply["error"] += "!" * padding
    return reply


def roundtrip_reply(mode, arg, seq, document):
    if mode in CORRECT:
        return json.dumps(correct_reply(mode, arg, seq, document))
    if mode == "hang-shape":
        return json_reply(seq, document)
    return faulty_reply(mode, arg, seq, document)


def faulty_reply(mode, arg, seq, document):
    if mode == "crash" and arg in document:
        print(f"fake-crash: document contains {arg!r}, exiting with status 3", file=sys.stderr)
        sys.exit(3)
    if mode in ("hang", "escape") and arg in document:
        while True:  # the runner's request timeout must end this
            time.sleep(3600)
    if mode == "garbage":
        return "this line is not JSON"
    if mode == "reject":
        return json.dumps({"seq": seq, "ok": False, "error": "fake-reject rejects everything"})
    reply = {"seq": seq + 1 if mode == "wrong-seq" else seq, "ok": True, "document": document}
    if mode == "extra-member":
        reply["x"] = 1
    line = json.dumps(reply)
    if mode == "duplicate":
        return line + "\n" + line
    if mode == "unsolicited":
        return line + "\n" + json.dumps({**reply, "seq": seq + 1})
    return line


def _daemon():
    """Sleep in a new session, outside the testee's process group."""
    os.setsid()
    time.sleep(3600)
    os._exit(0)


def escape():
    """Start a child in a new session, and an orphan whose parent exits at once."""
    child = os.fork()
    if child == 0:
        _daemon()
    middle = os.fork()
    if middle == 0:
        orphan = os.fork()
        if orphan == 0:
            _daemon()
        print(f"orphan={orphan}", file=sys.stderr, flush=True)
        os._exit(0)
    os.waitpid(middle, 0)
    print(f"child={child}", file=sys.stderr, flush=True)


def prepare(mode):
    if mode == "linger":
        # A non-daemon thread keeps the interpreter alive after main() returns.
        threading.Thread(target=time.sleep, args=(3600,), daemon=False).start()
    if mode == "escape":
        escape()
    if mode in ("bad-utf8", "hostile"):
        sys.stderr.buffer.write(b"stderr that is not UTF-8: \xff\xfe \xed\xa0\x80 \x1b[2J\n")
        sys.stderr.flush()


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
    prepare(mode)
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
        elif request["cmd"] == "roundtrip" and mode == "bad-utf8":
            sys.stdout.buffer.write(b'{"seq":0,"ok":true,"document":"\xff\xfe"}\n')
            sys.stdout.flush()
        elif request["cmd"] == "roundtrip":
            send(roundtrip_reply(mode, arg, request["seq"], request["document"]))
    return 0


# ---- Modes for the run side (verdicts, records, signals) ---------------------------

RUN_MODES = ("run-hostile", "run-hostile-reject", "run-start-fails-in", "run-start-once",
             "run-linger", "run-claims")  # fmt: skip
RUN_HOSTILE = "\x1b[31m\x1b]0;pwned\x07<b>&amp;</b>\x00\ud800\u202e\r"


def run_hello(mode, arg):
    hello = {
        "protocol": 1,
        "implementation": {"name": f"fake-{mode}", "version": "0", "language": "python"},
        "claims": {"validation": "documented", "unknown_members": "preserve"},
    }
    if mode == "run-claims":
        hello["claims"]["spec"] = arg
    if mode.startswith("run-hostile"):
        hello["implementation"] = {
            "name": f"{RUN_HOSTILE}name", "version": f"{RUN_HOSTILE}1",
            "language": f"py{RUN_HOSTILE}",
            "homepage": f"https://example.invalid/{RUN_HOSTILE}",
        }  # fmt: skip
    return hello


def run_answer(mode, arg, seq, document):
    from conformance.reference import handler, handler_for  # noqa: PLC0415 - these modes only

    if mode == "run-claims":
        handler = handler_for(arg)
    if mode == "run-hostile-reject":
        return {"seq": seq, "ok": False, "error": f"{RUN_HOSTILE}\nsecond line {RUN_HOSTILE}"}
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
    send(json.dumps(run_hello(mode, arg)))
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
            send(json.dumps(run_answer(mode, arg, request["seq"], request["document"])))


if __name__ == "__main__":
    sys.exit(main())
