#!/usr/bin/env bash
# Start-to-joined CPU of one agent, ours against Go's (issue 11's budget: 0.1 s):
#
#   bench/startcpu.sh                          # 7 of ours and 7 Go agents, interleaved, plain
#   bench/startcpu.sh --repeats 11 --encrypt   # with -encrypt
#   SERF_JAVA_OPTS=-Xshare:off bench/startcpu.sh --kinds ours    # our agent with other JVM options
#   bench/startcpu.sh --kinds ours --classes /tmp/cl   # also -Xlog:class+load into /tmp/cl.N
#   bench/startcpu.sh --help
#
# Each measured agent joins its own fresh Go seed on 127.0.0.1 (`-join`); utime+stime of its process is
# read from /proc the moment it logs the completed join. Median and all figures; docs/benchmarks.md
# (start-up) has what was measured with it. Needs python3 (standard library) and both agents: Go's at
# /usr/bin/serf (apt-get install serf), ours in jlink/target/image (see bench/cluster.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
exec python3 "$repo/bench/startcpu.py" "$@"
