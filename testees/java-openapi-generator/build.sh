#!/bin/sh
# Build the java-openapi-generator testee into build/: generate the Java models from the
# project's OpenAPI transcription with openapi-generator (../openapi-generator.sh), then
# compile them and Testee.java against Debian's Jackson jars.
# Usage: sh build.sh PYTHON, where PYTHON has realtime-conformance installed;
#        sh build.sh --system-packages installs only the Debian packages (CI does it first).
set -eu
TESTEE=java-openapi-generator
. "$(dirname "$0")/../openapi-generator.sh"

# The Debian package of each library the models and the testee compile against, and the
# name of its jar under /usr/share/java, which is also its key in testee.json's versions.
JARS="libjackson2-databind-java:jackson-databind libjackson2-core-java:jackson-core
libjackson2-annotations-java:jackson-annotations libjakarta-annotation-api-java:jakarta-annotation-api"
install_system_packages() {
    missing=""
    for item in $JARS; do
        [ -f "/usr/share/java/${item#*:}.jar" ] || missing="$missing ${item%%:*}"
    done
    if [ -n "$missing" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            # shellcheck disable=SC2086 # one word per package
            { apt-get install -y -q $missing || { apt-get update -q && apt-get install -y -q $missing; }; } >&2 \
                || fail "apt-get could not install$missing."
        else
            fail "building java-openapi-generator needs the Debian packages$missing (run: apt-get install$missing as root)."
        fi
    fi
}

if [ "$PYTHON" = --system-packages ]; then
    install_system_packages
    exit 0
fi
require java javac
install_system_packages

rm -rf build/lib build/classes
mkdir -p build/lib build/classes
for item in $JARS; do
    # Upstream version of the package: 2.14.0-1+deb12u1 is 2.14.0.
    version=$(dpkg-query -W -f '${Version}' "${item%%:*}" | sed 's/-[^-]*$//')
    want=$(pin "${item#*:}")
    [ "$version" = "$want" ] || fail "${item%%:*} is $version, but testee.json pins $want."
    cp "/usr/share/java/${item#*:}.jar" build/lib/
done

# jaxrs-spec models need nothing but Jackson and the Generated annotation once the
# Swagger, bean-validation and jackson-databind-nullable extras are off.
# containerDefaultToNull gives the seed's `List<ModalitiesEnum> modalities = null`.
generate jaxrs-spec --global-property models,modelDocs=false,modelTests=false \
    --additional-properties openApiNullable=false,useSwaggerAnnotations=false,useBeanValidation=false,useJakartaEe=true,hideGenerationTimestamp=true,containerDefaultToNull=true

find build/generated -name '*.java' > build/sources.txt
echo Testee.java >> build/sources.txt
javac --release 17 -nowarn -encoding UTF-8 -d build/classes -cp 'build/lib/*' @build/sources.txt
pin openapi-generator-cli > build/classes/generator-version.txt
