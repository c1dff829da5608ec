#!/usr/bin/env bash
# A wave of agents started one after another (or at once), Go's and ours: what the cluster does while
# it absorbs them (CPU, suspicions, failures, datagrams, ours' CPU per thread). Prints a markdown table.
#
#   bench/startwave.sh                      # 128 agents, one every 0.3 s, Go then ours (minutes)
#   bench/startwave.sh --gap 0 --kinds ours # the start storm
#   bench/startwave.sh --smoke              # 4 agents, ~40 s; exit 1 if something did not work (CI)
#   bench/startwave.sh --help               # every option
#
# Needs the Go agent (apt-get install serf; bench/cluster.sh installs it) and the runtime image
# (./mvnw -B package -pl jlink -am -DskipTests). bench/startwave.py does the work (python3, standard library).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
exec python3 "$repo/bench/startwave.py" "$@"
