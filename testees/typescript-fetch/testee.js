#!/usr/bin/env node
// Testee for realtime-conformance (protocol v1.1, docs/protocol.md): openapi-generator's
// typescript-fetch models, compiled by build.sh, called as their users call them on a
// response body: JSON.parse, RealtimeSessionCreateResponseFromJSON, then
// RealtimeSessionCreateResponseToJSON and JSON.stringify.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");

const built = path.join(__dirname, "build", "js");
const {
  RealtimeSessionCreateResponseFromJSON,
  RealtimeSessionCreateResponseToJSON,
} = require(path.join(built, "models", "RealtimeSessionCreateResponse.js"));

const START_REPLY = {
  protocol: 1,
  implementation: {
    name: "openapi-generator typescript-fetch models",
    version: `${fs.readFileSync(path.join(built, "generator-version.txt"), "utf8").trim()} (node ${process.versions.node})`,
    language: "typescript",
    homepage: "https://openapi-generator.tech/docs/generators/typescript-fetch",
  },
  // FromJSON copies the members it knows without checking them ("none") and leaves the
  // others behind ("drop").
  claims: { validation: "none", unknown_members: "drop" },
};

function roundtrip(seq, text) {
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // JSON.parse's SyntaxError is how a user's code learns that a body is not JSON.
    return { seq, ok: false, error: `${e.name}: ${e.message}` };
  }
  try {
    const model = RealtimeSessionCreateResponseFromJSON(json);
    return { seq, ok: true, document: JSON.stringify(RealtimeSessionCreateResponseToJSON(model)) };
  } catch (e) {
    // The generated code has no error of its own: a TypeError here is a crash.
    return { seq, ok: false, error: `${e?.name}: ${e?.message}`, crash: true };
  }
}

const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let stopped = false; // readline still emits lines it had buffered before close()

// Exiting from a write callback lets every earlier reply reach the pipe first.
function exit(code, why) {
  if (why) console.error(why);
  stopped = true;
  lines.close();
  process.stdout.write("", () => process.exit(code));
}

lines.on("line", (line) => {
  if (stopped) return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    return exit(1, `not a protocol line (${e.message}): ${line.slice(0, 200)}`);
  }
  switch (request?.cmd) {
    case "start":
      if (request.protocol !== 1) return exit(1, `unsupported protocol: ${line.slice(0, 200)}`);
      return send(START_REPLY);
    case "roundtrip":
      return send(roundtrip(request.seq, request.document));
    case "stop":
      return exit(0);
    default:
      return exit(1, `unknown command: ${line.slice(0, 200)}`);
  }
});

lines.on("close", () => stopped || exit(0)); // stdin ended without "stop"
