# Shared by the build.sh of the testees whose models openapi-generator makes. Each sets
# TESTEE to its name and sources this file; the build's first argument is PYTHON. It
# checks that Python, enters the testee's folder and defines fail, require, pin, generate.
# shellcheck shell=sh

PYTHON=${1:-python3}

fail() {
    echo "build.sh: $*" >&2
    exit 1
}

# The build works in the testee's folder: a relative PYTHON is made absolute first.
case $PYTHON in
    --*) ;;
    */*) [ -x "$PYTHON" ] || fail "$PYTHON is not an executable file."
         PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")" ;;
esac
cd "$(dirname "$0")"

# require TOOL...: each must be on PATH, and PYTHON must have realtime-conformance.
require() {
    for tool in "$@" "$PYTHON"; do
        command -v "$tool" >/dev/null 2>&1 || fail "building $TESTEE needs $tool, which is not on PATH."
    done
    "$PYTHON" -c "import strategies" 2>/dev/null \
        || fail "$PYTHON cannot import strategies: give the Python that has realtime-conformance installed."
}

# pin NAME: the version testee.json pins (the one place a pin is written).
pin() {
    "$PYTHON" -c 'import json, sys; print(json.load(open("testee.json"))["testees"][0]["versions"][sys.argv[1]])' "$1"
}

# generate GENERATOR [ARGUMENTS...]: write the project's OpenAPI transcription and run the
# pinned openapi-generator on it into build/generated. The PyPI wheel bundles the jar (it
# runs on java) and goes into a virtual environment of the testee's own under build/.
generate() {
    version=$(pin openapi-generator-cli)
    if ! build/venv/bin/openapi-generator-cli version 2>/dev/null | grep -qx "$version"; then
        rm -rf build/venv
        "$PYTHON" -m venv build/venv
        build/venv/bin/pip install -q "openapi-generator-cli==$version"
    fi
    rm -rf build/generated
    "$PYTHON" -m strategies.schema --openapi > build/openapi.json
    generator=$1
    shift
    build/venv/bin/openapi-generator-cli generate --generator-name "$generator" \
        --input-spec build/openapi.json --output build/generated "$@" > build/generate.log 2>&1 \
        || { cat build/generate.log >&2; fail "openapi-generator failed (log above)."; }
}
