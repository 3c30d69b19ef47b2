#!/bin/sh
# Build the typescript-fetch testee into build/: generate the TypeScript models from the
# project's OpenAPI transcription with openapi-generator, then compile them with the
# TypeScript that package-lock.json pins (npm ci, into node_modules here).
# Usage: sh build.sh PYTHON, where PYTHON has realtime-conformance installed.
set -eu
TESTEE=typescript-fetch
. "$(dirname "$0")/../openapi-generator.sh"
require node npm java

npm ci --no-audit --no-fund --loglevel=error
mkdir -p build
generate typescript-fetch \
    --global-property models,modelDocs=false,modelTests=false,supportingFiles=runtime.ts

# runtime.ts (imported by the models for mapValues) types fetch, hence the DOM library.
rm -rf build/js
node_modules/.bin/tsc --outDir build/js --module commonjs --target es2022 --lib es2022,dom \
    --strict --skipLibCheck build/generated/models/*.ts
pin openapi-generator-cli > build/js/generator-version.txt
