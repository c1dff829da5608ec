#!/usr/bin/env bash
# Simulator benchmark (bench/sim/SimBench.java): N real Serf nodes in serf.sim, on a simulated network
# in virtual time, on one thread. Prints a line and a Markdown row (docs/benchmarks.md).
#
#   bench/sim/run.sh -n 1000                      # storm: all join node 0
#   bench/sim/run.sh --heap 20g -n 10000          # the 10,000-node run
#   bench/sim/run.sh -n 1000 -mode waves -loss 0.05
#   bench/sim/run.sh --heap 20g --java-opts "-Xms20g -Xmn3g" -n 10000 -mode converged -late 100 -steady 330 -compression off
#
# SimBench options: -n N, -mode storm|waves|converged (Simulation.converge: no joins), -steady SECONDS (quiet
# time before the events, member-failed events counted; 0), -late K (converged: K more nodes then join it, each
# to a random node of it; 0), -wave 50, -seed 1, -loss P, -view-timeout SECONDS (virtual,
# 600), -events K (3), -compression on|off (memberlist's LZW, on as in production; off saves CPU and
# changes nothing the simulation models: messages are chosen for a packet by their uncompressed size and
# no bandwidth is modelled). JVM: --heap (default 4g), --java-opts "...".
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
heap=4g
extra=""
while [ $# -gt 0 ]; do
  case "$1" in
    --heap) heap=$2; shift 2 ;;
    --java-opts) extra=$2; shift 2 ;;
    *) break ;;
  esac
done
. "$repo/bench/modulepath.sh"
access=(--module-path "$modulepath" --add-modules serf.wire,serf.crypto,serf.memberlist,serf.api,serf.sim)
classes=$(mktemp -d "${TMPDIR:-/tmp}/serf-sim.XXXXXX")
trap 'rm -rf "$classes"' EXIT
"$JAVA_HOME/bin/javac" -d "$classes" --release 21 "${access[@]}" "$repo/bench/sim/SimBench.java"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" -Xmx"$heap" -XX:+UseParallelGC $extra "${access[@]}" \
  -Djava.util.logging.config.file=/dev/null -cp "$classes" SimBench "$@"
