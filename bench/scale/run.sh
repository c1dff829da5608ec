#!/usr/bin/env bash
# Scale benchmark (bench/scale/ScaleBench.java), JDK only: N Serf nodes on real loopback UDP/TCP in one
# JVM through the public API. Compiles ScaleBench.java against the built module jars and runs it once
# with the given options; the last lines printed are a Markdown table row (docs/benchmarks.md).
#
#   bench/scale/run.sh -n 100                              # waves of 50, LAN profile, 60 s steady
#   bench/scale/run.sh -n 1000 -steady 300                 # the full run of issue 10
#   bench/scale/run.sh -n 500 -mode storm                  # all join node 0 at once
#   bench/scale/run.sh --heap 4g --gc serial -n 300        # JVM heap ceiling / collector (before the options)
#   bench/scale/run.sh --jfr /tmp/scale.jfr -n 300         # with a JFR recording (profile: jfr print --events jdk.ExecutionSample)
#
# ScaleBench options: -n N, -mode waves|storm, -wave 50, -compression on|off (on), -steady SECONDS (60), -view-timeout SECONDS (300),
# -event-timeout SECONDS (30), -profile lan|local (lan: Serf's defaults), -seed 1, -log-level INFO,
# -retry-failed-joins true, -note TEXT, -settle SECONDS (0: waves back to back; else wait up to that long
# after each wave until every node joined so far sees all of them alive).
# JVM: --heap (default 2g, -Xmx), --gc serial|g1 (default g1: SerialGC's young pauses of 100-550 ms
# at a few hundred nodes reach the 500 ms probe timeout; docs/benchmarks.md), --java-opts "...".
# Builds the jars (./mvnw -B -q -o package -pl serf.api -am -DskipTests) when they are missing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
heap=2g
gc=g1
extra=""
jfr=""
while [ $# -gt 0 ]; do
  case "$1" in
    --heap) heap=$2; shift 2 ;;
    --gc) gc=$2; shift 2 ;;
    --java-opts) extra=$2; shift 2 ;;
    --jfr) jfr=$2; shift 2 ;;
    *) break ;;
  esac
done
case "$gc" in
  serial) gcopt="-XX:+UseSerialGC" ;;
  g1) gcopt="-XX:+UseG1GC" ;;
  parallel) gcopt="-XX:+UseParallelGC" ;;
  zgc) gcopt="-XX:+UseZGC" ;;
  *) echo "--gc serial|g1|parallel|zgc" >&2; exit 2 ;;
esac

. "$repo/bench/modulepath.sh"   # JAVA_HOME (a JDK 21+) and $modulepath (the library jars)
access=(--module-path "$modulepath" --add-modules serf.wire,serf.crypto,serf.memberlist,serf.api)

classes=$(mktemp -d "${TMPDIR:-/tmp}/serf-scale.XXXXXX")
trap 'rm -rf "$classes"' EXIT
"$JAVA_HOME/bin/javac" -d "$classes" --release 21 "${access[@]}" "$repo/bench/scale/ScaleBench.java"

jfropt=""
if [ -n "$jfr" ]; then jfropt="-XX:StartFlightRecording=filename=$jfr,settings=profile"; fi
# Each node opens a UDP and a TCP socket and a few connections at a time: 1,000 nodes need more
# descriptors than the usual soft limit of 1024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# shellcheck disable=SC2086 # option strings are split on purpose
exec "$JAVA_HOME/bin/java" -Xmx"$heap" $gcopt $extra $jfropt "${access[@]}" -cp "$classes" ScaleBench "$@"
