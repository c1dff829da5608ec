#!/usr/bin/env bash
# Microbenchmarks of the codecs, LZW and AES-GCM (bench/micro/Micro.java), JDK only, no dependency.
# Compiles Micro.java against the built module jars, then runs it once per JVM option set: by default
# the interpreter only (the agent's mode until 2026-12-05), C1 only (the agent's compiler since then)
# and the default tiered JIT, each with the launcher's heap and GC options, so the figures say what
# each mode costs per message.
#
#   bench/micro/run.sh                          # the three modes, 2 s per benchmark (about 2 minutes)
#   bench/micro/run.sh -s 5 "-Xint" ""          # chosen modes ("" = the JDK's default), 5 s each
#
# Builds the jars (./mvnw -B -q -o package -pl serf.agent -am -DskipTests) when they are missing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
seconds=2
if [ "${1-}" = "-s" ]; then seconds=$2; shift 2; fi
if [ $# -eq 0 ]; then set -- "-Xint" "-XX:TieredStopAtLevel=1" ""; fi
# The launcher's memory options (jlink/src/main/launcher/serf), so allocation costs what it costs there.
common="-XX:+UseSerialGC -Xms2m -Xmx32m -Xss256k -XX:-UsePerfData"

. "$repo/bench/modulepath.sh"   # JAVA_HOME (a JDK 21+) and $modulepath (the library jars)
access=(--module-path "$modulepath" --add-modules serf.wire,serf.crypto,serf.memberlist,serf.api
        --add-exports serf.memberlist/serf.memberlist.internal.msg=ALL-UNNAMED
        --add-exports serf.api/serf.api.internal.msg=ALL-UNNAMED)

classes=$(mktemp -d "${TMPDIR:-/tmp}/serf-micro.XXXXXX")
trap 'rm -rf "$classes"' EXIT
"$JAVA_HOME/bin/javac" -d "$classes" --release 21 "${access[@]}" "$repo/bench/micro/Micro.java"

for mode in "$@"; do
  echo "==> JVM options: ${mode:-(JDK default: tiered JIT)} $common"
  # shellcheck disable=SC2086 # option strings are split on purpose
  "$JAVA_HOME/bin/java" $common $mode "${access[@]}" -cp "$classes" Micro \
    "$repo/bench/micro/message-mix.txt" "$seconds"
  echo
done
