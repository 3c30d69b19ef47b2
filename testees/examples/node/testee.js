#!/usr/bin/env node
// Example testee for realtime-conformance, speaking testee protocol v1 (see
// docs/protocol.md, which also shows how to replay a case by hand). Node.js 20,
// no dependencies. To test your own library, copy this file and make
// roundtrip() parse, validate and serialize with it instead of JSON.parse,
// validate() and JSON.stringify; keep the claims in START_REPLY honest.
"use strict";

const readline = require("node:readline");

const START_REPLY = {
  protocol: 1,
  implementation: { name: "node-example", version: "1.0.0", language: "javascript" },
  // "schema": every rule below is enforced. "preserve": JSON.parse keeps every member.
  claims: { validation: "schema", unknown_members: "preserve" },
};

// Deeper documents are refused before JSON.parse sees them, so neither the
// parser, the checks below nor JSON.stringify can overflow the call stack.
const MAX_DEPTH = 64;
const VOICES = ["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse"];

// typeof null === "object" and arrays are objects too: both must fail here.
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
// Booleans are not numbers in JS; Infinity never gets here (see checkValues).
const isNumber = (v) => typeof v === "number";
const isInteger = (v) => Number.isInteger(v); // cannot tell 1.0 from 1: both parse to 1
const isString = (v) => typeof v === "string";

// The library's own error type: a document it refuses. Any other exception is a
// bug of the library (a TypeError on a missing member, say), and is answered as a
// crash, not a rejection (protocol 1.1, docs/protocol.md).
class ValidationError extends Error {}

// Errors start with the rule id so a rejection can be traced to its rule.
const fail = (rule, detail) => {
  throw new ValidationError(`${rule}: ${detail}`);
};

// Every member is optional. Object.hasOwn, not `in`: a document without
// "constructor" must not find Object.prototype.constructor.
function member(obj, name, rule, test, expected) {
  if (!Object.hasOwn(obj, name)) return undefined;
  const value = obj[name];
  if (!test(value)) fail(rule, `${name} must be ${expected}`);
  return value;
}

// Schema-level rules. Members not named here are unknown: allowed and kept.
// null passes only where a test accepts it explicitly (the two nullable members).
function validate(doc) {
  if (!isObject(doc)) fail("document.type", "the top-level value must be an object");
  const secret = member(doc, "client_secret", "client_secret.type", isObject, "an object");
  if (secret) {
    member(secret, "value", "client_secret.value.type", isString, "a string");
    member(secret, "expires_at", "client_secret.expires_at.type", isInteger, "an integer");
  }
  const modalities = member(doc, "modalities", "modalities.type", Array.isArray, "an array");
  modalities?.forEach((m, i) => {
    if (m !== "text" && m !== "audio") fail("modalities.items.enum", `modalities[${i}] must be "text" or "audio"`);
  });
  member(doc, "instructions", "instructions.type", isString, "a string");
  member(doc, "voice", "voice.enum", (v) => VOICES.includes(v), `one of ${VOICES.join(", ")}`);
  member(doc, "input_audio_format", "input_audio_format.type", isString, "a string");
  member(doc, "output_audio_format", "output_audio_format.type", isString, "a string");
  const objectOrNull = (v) => v === null || isObject(v);
  const transcription = member(doc, "input_audio_transcription", "input_audio_transcription.type",
    objectOrNull, "an object or null");
  if (transcription) {
    member(transcription, "model", "input_audio_transcription.model.type", isString, "a string");
  }
  const turn = member(doc, "turn_detection", "turn_detection.type", objectOrNull, "an object or null");
  if (turn) {
    member(turn, "type", "turn_detection.type.type", isString, "a string");
    member(turn, "threshold", "turn_detection.threshold.type", isNumber, "a number");
    member(turn, "prefix_padding_ms", "turn_detection.prefix_padding_ms.type", isInteger, "an integer");
    member(turn, "silence_duration_ms", "turn_detection.silence_duration_ms.type", isInteger, "an integer");
  }
  const tools = member(doc, "tools", "tools.type", Array.isArray, "an array");
  tools?.forEach((tool, i) => {
    if (!isObject(tool)) fail("tools.items.type", `tools[${i}] must be an object`);
    member(tool, "type", "tools.items.type.enum", (v) => v === "function", '"function"');
    member(tool, "name", "tools.items.name.type", isString, "a string");
    member(tool, "description", "tools.items.description.type", isString, "a string");
    // Only the container is checked: what is inside "parameters" is data.
    member(tool, "parameters", "tools.items.parameters.type", isObject, "an object");
  });
  member(doc, "tool_choice", "tool_choice.type", isString, "a string");
  member(doc, "temperature", "temperature.type", isNumber, "a number");
  member(doc, "max_response_output_tokens", "max_response_output_tokens.oneOf",
    (v) => isInteger(v) || v === "inf", 'an integer or the string "inf"');
}

// Counts brackets outside strings; good enough even for malformed text,
// which JSON.parse rejects afterwards anyway.
function nestingExceeds(text, limit) {
  let depth = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++; // skip the escaped character, which may be a quote
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      if (++depth > limit) return true;
    } else if (c === "]" || c === "}") depth--;
  }
  return false;
}

// Values JSON.parse accepts but could not give back unchanged: a string with a
// lone surrogate ("\ud800") is not Unicode text (I-JSON forbids it), and a
// number beyond binary64 (1e400) parses to Infinity, which stringifies as null.
function checkValues(value) {
  if (typeof value === "string") {
    if (!value.isWellFormed()) fail("json.unicode", "string with a lone surrogate");
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) fail("json.number", "number outside the binary64 range");
  } else if (Array.isArray(value)) {
    value.forEach(checkValues);
  } else if (isObject(value)) {
    for (const [name, v] of Object.entries(value)) {
      checkValues(name);
      checkValues(v);
    }
  }
}

function roundtrip(text) {
  if (typeof text !== "string") fail("protocol", "document must be a string");
  if (nestingExceeds(text, MAX_DEPTH)) fail("json.depth", `nested deeper than ${MAX_DEPTH} levels`);
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    fail("json.syntax", e.message);
  }
  checkValues(doc); // before validate(), so it only ever sees finite numbers
  validate(doc);
  // Known limit of this example: JSON.parse turns integers beyond 2^53 into
  // doubles, so such a member comes back changed and the runner reports it.
  return JSON.stringify(doc);
}

const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let stopped = false; // readline still emits lines it had buffered before close()

// Exiting from a write callback lets every earlier reply reach the pipe first.
function exit(code, why) {
  if (why) console.error(why); // stdout is reserved for replies
  stopped = true;
  lines.close();
  process.stdout.write("", () => process.exit(code));
}

lines.on("line", (line) => {
  if (stopped) return;
  let request;
  try { request = JSON.parse(line); } catch (e) {
    return exit(1, `not a protocol line (${e.message}): ${line.slice(0, 200)}`);
  }
  switch (request?.cmd) {
    case "start":
      if (request.protocol !== 1) return exit(1, `unsupported protocol: ${line.slice(0, 200)}`);
      return send(START_REPLY);
    case "roundtrip":
      // Whatever goes wrong with one document is answered, never a crash of the
      // testee: a ValidationError is a rejection; anything else (a RangeError, a
      // TypeError) is the library failing, answered with crash: true.
      try {
        return send({ seq: request.seq, ok: true, document: roundtrip(request.document) });
      } catch (e) {
        if (e instanceof ValidationError) {
          return send({ seq: request.seq, ok: false, error: e.message });
        }
        return send({ seq: request.seq, ok: false, crash: true, error: String(e?.stack ?? e) });
      }
    case "stop":
      return exit(0);
    default:
      return exit(1, `unknown command: ${line.slice(0, 200)}`);
  }
});

lines.on("close", () => stopped || exit(0)); // stdin ended without "stop"
