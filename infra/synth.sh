#!/usr/bin/env bash
# Synthesizes the rotator's CloudFormation template into infra/cdk.out without AWS credentials or AWS
# calls: validates rotator.config.json, wires the workflow definition and checks that the app builds.
#
#   infra/synth.sh [FUNCTIONS_JAR]
#
# FUNCTIONS_JAR defaults to functions/target/functions-0.1.0-SNAPSHOT-lambda.jar
# (build it with `mvn -pl functions -am package -DskipTests`); any .jar file will do for a synth check.
set -euo pipefail
cd "$(dirname "$0")"

jar="${1:-../functions/target/functions-0.1.0-SNAPSHOT-lambda.jar}"
if [ ! -f "$jar" ]; then
  echo "synth.sh: the functions jar $jar does not exist; build it with" >&2
  echo "  mvn -pl functions -am package -DskipTests" >&2
  echo "from the repository root, or pass a jar: infra/synth.sh PATH/TO/ANY.jar" >&2
  exit 2
fi
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"

# No AWS: no credential lookups, no instance metadata, no notices or telemetry from the CLI.
export AWS_EC2_METADATA_DISABLED=true
export CDK_DISABLE_CLI_TELEMETRY=true
unset CDK_DEFAULT_ACCOUNT CDK_DEFAULT_REGION
# jsii (CDK for Java runs on Node) warns that Node 20 is past its end of life; harmless here.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1

npm ci --prefer-offline --no-audit --no-fund --loglevel=error
npx --no-install cdk synth --no-lookups --no-notices --quiet -c functionsJar="$jar" "${@:2}"
echo "synth.sh: template in $(pwd)/cdk.out"
