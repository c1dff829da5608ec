#!/usr/bin/env bash
# CPU per user event: one of our agents between two Go agents (all on 127.0.0.1, each with an event
# handler that reads its input), N user events sent to the Go seed 0.2 s apart. Prints, for our agent
# and for the second Go agent, the agent's own CPU per event (its idle CPU over the same time taken
# off) and the CPU of its handler processes per event (the children's utime+stime), from
# /proc/PID/stat. Figures are in 10 ms ticks summed over N events: use N >= 100.
#
#   bench/eventcpu.sh                       # 150 events, the image of this tree
#   N=300 SERF_JAVA_OPTS='-Xlog:gc:file=/tmp/gc.log' bench/eventcpu.sh
#   IMG=/path/to/image bench/eventcpu.sh    # another image
#   HANDLER_EVENTS=query bench/eventcpu.sh  # handlers only for queries: the agents' cost of a user event alone
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
IMG=${IMG:-$repo/jlink/target/image}
N=${N:-150}
GO=${SERF_BENCH_GO:-/usr/bin/serf}
filter=${HANDLER_EVENTS:+$HANDLER_EVENTS=}   # e.g. "query=": the -event-handler filter of all three agents
[ -x "$IMG/bin/serf" ] || { echo "no image at $IMG (./mvnw -B -q package -pl jlink -am -DskipTests)" >&2; exit 2; }
[ -x "$GO" ] || { echo "no Go agent at $GO (apt-get install serf)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/serf-eventcpu.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
printf '#!/bin/sh\ncat > /dev/null\n' > "$work/h.sh"; chmod +x "$work/h.sh"
"$GO" agent -node=g1 -bind=127.0.0.1:27501 -rpc-addr=127.0.0.1:27601 -event-handler="$filter$work/h.sh" > "$work/g1.log" 2>&1 &
pids+=($!)
sleep 0.5
"$GO" agent -node=g2 -bind=127.0.0.1:27502 -rpc-addr=127.0.0.1:27602 -join=127.0.0.1:27501 -event-handler="$filter$work/h.sh" > "$work/g2.log" 2>&1 &
pids+=($!); gpid=$!
"$IMG/bin/serf" agent -node=j1 -bind=127.0.0.1:27503 -rpc-addr=127.0.0.1:27603 -join=127.0.0.1:27501 -event-handler="$filter$work/h.sh" > "$work/j1.log" 2>&1 &
pids+=($!); jpid=$!   # the launcher execs the JVM: same pid
for _ in $(seq 1 300); do grep -q "Join completed" "$work/j1.log" 2>/dev/null && break; sleep 0.1; done
grep -q "Join completed" "$work/j1.log" || { echo "our agent did not join; log in $work" >&2; exit 1; }
sleep 10   # settle
ticks() { awk '{print $14+$15, $16+$17}' "/proc/$1/stat"; }
read -r j0 jc0 < <(ticks "$jpid"); read -r g0 gc0 < <(ticks "$gpid")
sleep 10   # idle window
read -r j1 jc1 < <(ticks "$jpid"); read -r g1 gc1 < <(ticks "$gpid")
t0=$(date +%s.%N)
for i in $(seq 1 "$N"); do "$GO" event -rpc-addr=127.0.0.1:27601 -coalesce=false "ev$i" > /dev/null; sleep 0.2; done
sleep 5
t1=$(date +%s.%N)
read -r j2 jc2 < <(ticks "$jpid"); read -r g2 gc2 < <(ticks "$gpid")
got=$(grep -c "Received event: user-event" "$work/j1.log" || true)
python3 - "$N" "$t0" "$t1" "$j0" "$j1" "$j2" "$jc1" "$jc2" "$g0" "$g1" "$g2" "$gc1" "$gc2" "$got" <<'PY'
import sys
n, t0, t1 = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
j0, j1, j2, jc1, jc2, g0, g1, g2, gc1, gc2, got = map(int, sys.argv[4:15])
dur = t1 - t0
for name, a0, a1, a2, c1, c2 in (("ours", j0, j1, j2, jc1, jc2), ("go", g0, g1, g2, gc1, gc2)):
    idle = (a1 - a0) / 100 / 10          # CPU-seconds per second
    agent = ((a2 - a1) / 100 - idle * dur) * 1000 / n
    print(f"{name:5s} idle {idle*1000:.1f} ms/s; per event: agent {agent:.2f} ms (idle taken off), handler processes {(c2 - c1) * 10 / n:.2f} ms")
print(f"our agent logged {got} of {n} events")
PY
