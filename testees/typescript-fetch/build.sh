#!/bin/sh
# Build the typescript-fetch testee into build/: generate the TypeScript models from the
# project's OpenAPI transcription with openapi-generator (the PyPI wheel bundles the jar,
# so it runs on java; it goes into a virtual environment of its own under build/), then
# compile them with the TypeScript that package-lock.json pins (npm ci, node_modules here).
# Usage: sh build.sh PYTHON, where PYTHON has realtime-conformance installed.
set -eu
PYTHON=${1:-python3}

fail() {
    echo "build.sh: $*" >&2
    exit 1
}

# The script works in its own folder: a relative PYTHON is made absolute first.
case $PYTHON in
    --*) ;;
    */*) [ -x "$PYTHON" ] || fail "$PYTHON is not an executable file."
         PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")" ;;
esac
cd "$(dirname "$0")"

for tool in node npm java "$PYTHON"; do
    command -v "$tool" >/dev/null 2>&1 || fail "building typescript-fetch needs $tool, which is not on PATH."
done
"$PYTHON" -c "import strategies" 2>/dev/null \
    || fail "$PYTHON cannot import strategies: give the Python that has realtime-conformance installed."

# The pins live in testee.json and package-lock.json; a run records them in results.json.
GENERATOR=$("$PYTHON" -c 'import json; print(json.load(open("testee.json"))["testees"][0]["versions"]["openapi-generator-cli"])')

npm ci --no-audit --no-fund --loglevel=error

if ! build/venv/bin/openapi-generator-cli version 2>/dev/null | grep -qx "$GENERATOR"; then
    rm -rf build/venv
    "$PYTHON" -m venv build/venv
    build/venv/bin/pip install -q "openapi-generator-cli==$GENERATOR"
fi

rm -rf build/generated build/js
"$PYTHON" -m strategies.schema --openapi > build/openapi.json
build/venv/bin/openapi-generator-cli generate --generator-name typescript-fetch \
    --input-spec build/openapi.json --output build/generated \
    --global-property models,modelDocs=false,modelTests=false,supportingFiles=runtime.ts \
    > build/generate.log 2>&1 || { cat build/generate.log >&2; fail "openapi-generator failed (log above)."; }

# runtime.ts (imported by the models for mapValues) types fetch, hence the DOM library.
node_modules/.bin/tsc --outDir build/js --module commonjs --target es2022 --lib es2022,dom \
    --strict --skipLibCheck build/generated/models/*.ts
echo "$GENERATOR" > build/js/generator-version.txt
