"""A testee (protocol v1) whose every piece of text is hostile to the reports.

It names itself, answers, rejects and crashes with text holding markup and script,
CDATA ends, javascript: links, Markdown table breakers, ANSI escapes, NUL and other
control characters, and lone surrogates, so the report tests see what a careless or
malicious testee can send. Usage: hostile_testee.py
"""

import json
import sys

HOSTILE = (
    '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    ' ]]> <a href="javascript:window.__pwned = 3">click</a> [link](javascript:alert(1))'
    " | cell | \n# heading\n`tick` ``` \x1b[31mRED\x1b[0m \x00NUL \x07\x08\x0b\x0c\r \x7f\x9b"
    " \udc80 \ud800 \u202eevil\u202c \ufffe"
)


def send(message):
    # json.dumps escapes lone surrogates and controls: the line itself is valid JSON.
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def answer(seq, document):
    try:
        value = json.loads(document)
    except ValueError:
        return {"seq": seq, "ok": False, "error": f"not JSON {HOSTILE}"}
    if not isinstance(value, dict):
        return {"seq": seq, "ok": True, "document": document}
    transcription = value.get("input_audio_transcription")
    if transcription is not None and not isinstance(transcription, dict):  # invalid documents
        sys.stderr.buffer.write(f"crashing {HOSTILE}".encode("utf-8", "surrogatepass"))
        sys.stderr.buffer.write(b" invalid UTF-8: \xff\xfe\n")
        sys.stderr.flush()
        sys.exit(3)
    if "voice" in value:
        return {"seq": seq, "ok": False, "error": f"rejected {HOSTILE}"}
    if "tools" in value:  # an answer that is not even JSON
        return {"seq": seq, "ok": True, "document": HOSTILE}
    if value:
        value[HOSTILE] = HOSTILE
    return {"seq": seq, "ok": True, "document": json.dumps(value)}


def main():
    hello = {
        "protocol": 1,
        "implementation": {
            "name": f"hostile {HOSTILE}",
            "version": f"1.0 {HOSTILE}",
            "language": f"python {HOSTILE}",
            "homepage": f"javascript:window.__pwned = 4 {HOSTILE}",
        },
        "claims": {"validation": "none", "unknown_members": "preserve"},
    }
    for line in sys.stdin.buffer:
        request = json.loads(line)
        if request["cmd"] == "stop":
            return 0
        if request["cmd"] == "start":
            send(hello)
        elif request["cmd"] == "roundtrip":
            send(answer(request["seq"], request["document"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
