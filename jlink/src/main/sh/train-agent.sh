#!/bin/sh
# Trains the image's start-up cache on a real agent lifecycle (build-image.sh calls it):
#   train-agent.sh IMAGE_DIR WORK_DIR JVM_OPTION
# JVM_OPTION is what makes the trained JVM record, e.g. -XX:AOTCacheOutput=serf.aot (JDK 25+) or
# -XX:DumpLoadedClassList=serf.classlist (JDK 21-24), with a path relative to WORK_DIR, where the
# trained agent runs (so no path with blanks goes into SERF_JAVA_OPTS) and where the cache is written.
#
# On 127.0.0.1, with free ports: a seed agent B, then the trained agent A, encrypted, with an event
# handler, a query handler, a snapshot and tags, joins B with -join (the path whose start-up CPU the
# cache is for); B joins A back (A answers a push/pull); user events and queries are sent from both
# sides (A runs its handlers for its own and for gossiped ones); the CLI runs members, info, event,
# query, tags, keys (list, install, remove) and monitor against A; then `serf leave` makes A leave
# and its JVM exit normally, which is when the JVM writes the cache. Every agent and CLI runs through
# the image's own launcher, so with its exact JVM options (a cache fits only the options it was
# made with); only A gets JVM_OPTION on top. Every wait is bounded, and a watchdog kills everything
# this script started after $SERF_TRAIN_TIMEOUT seconds (default 300: on a loaded build machine the
# run took over 3 minutes, and an image that loses the agent cache starts agents on 1.4 times the CPU).
# Exit status 0 when A exited by itself after its leave (a step that got no answer in time, which
# happens on a loaded machine, is reported and only narrows what the cache covers); the caller checks
# the cache file and falls back otherwise.
set -u

image=$1 work=$2 record=$3
serf=$image/bin/serf
timeout=${SERF_TRAIN_TIMEOUT:-300}
start=$(date +%s)

rm -rf "$work"
mkdir -p "$work" || exit 1
work=$(cd "$work" && pwd -P) || exit 1
pids=$work/pids
: >"$pids"

say() { echo "train-agent: [$(elapsed)s] $*"; }
elapsed() { echo $(($(date +%s) - start)); }
# Kills what this script started (agents, CLI runs). Were A killed while its JVM writes the cache,
# the writing could go on in a child JVM, but only into WORK_DIR, which the caller then ignores.
kill_all() {
  while read -r p; do kill -9 "$p" 2>/dev/null; done <"$pids"
}
# The watchdog: a subshell that sleeps in short steps so that it ends soon after we do.
(
  while [ "$(elapsed)" -lt "$timeout" ]; do
    sleep 1
    kill -0 $$ 2>/dev/null || exit 0
  done
  echo "train-agent: watchdog: still running after ${timeout}s, killing the training run" >&2
  kill_all
  if [ -f "$work/image.aot" ]; then mv "$work/image.aot" "$image/lib/serf.aot"; fi
  kill -9 $$ 2>/dev/null
) &
watchdog=$!
trap 'kill_all; kill "$watchdog" 2>/dev/null; restore_cache' EXIT
restore_cache() { :; }

# Waits until FILE contains PATTERN (a fixed string), at most SECONDS; fails when PID died first.
wait_for() { # FILE PATTERN SECONDS [PID]
  end=$(($(date +%s) + $3))
  while [ "$(date +%s)" -le "$end" ]; do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    if [ $# -ge 4 ] && ! kill -0 "$4" 2>/dev/null; then
      grep -qF -- "$2" "$1" 2>/dev/null && return 0
      return 1
    fi
    sleep 0.05
  done
  return 1
}
# Runs a CLI command of the image, at most SECONDS; output to the log (stdout).
cli() { # SECONDS ARGS...
  limit=$1; shift
  say "serf $*"
  "$serf" "$@" &
  p=$!; echo "$p" >>"$pids"
  end=$(($(date +%s) + limit))
  while kill -0 "$p" 2>/dev/null; do
    if [ "$(date +%s)" -gt "$end" ]; then
      kill -9 "$p" 2>/dev/null
      say "serf $1: no answer within ${limit}s"
      return 1
    fi
    sleep 0.05
  done
  wait "$p"
}

# Four free ports from 20000-31999 (under Linux's ephemeral range): a random block of four that
# /proc/net does not list as bound (where there is no /proc, a random block: a clash fails the run,
# and the caller falls back).
port_in_use() {
  [ -r /proc/net/tcp ] || return 1
  hex=$(printf ':%04X ' "$1")
  cat /proc/net/tcp /proc/net/udp /proc/net/tcp6 /proc/net/udp6 2>/dev/null | grep -q "$hex"
}
pick_ports() {
  tries=0
  while [ $tries -lt 50 ]; do
    tries=$((tries + 1))
    r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    base=$((20000 + (r % 2999) * 4))
    if ! port_in_use $base && ! port_in_use $((base + 1)) && ! port_in_use $((base + 2)) \
       && ! port_in_use $((base + 3)); then
      return 0
    fi
  done
  return 1
}
pick_ports || { say "no free ports"; exit 1; }
a_bind=127.0.0.1:$base a_rpc=127.0.0.1:$((base + 1))
b_bind=127.0.0.1:$((base + 2)) b_rpc=127.0.0.1:$((base + 3))

# A fixed key: the run is on loopback and its traffic is thrown away; the second key is installed
# and removed again through the keyring queries.
key=QmVpbmcgYSBsb2NhbCB0cmFpbmluZyBrZXkgb25seS4=
key2=U2Vjb25kIGtleSBmb3IgYSBrZXlyaW5nIHF1ZXJ5ISE=
cat >"$work/event.sh" <<'EOS'
#!/bin/sh
# Training event handler: reads the payload, records the event.
payload=$(cat)
echo "$SERF_EVENT ${SERF_USER_EVENT:-} ${SERF_QUERY_NAME:-} $payload" >>"$TRAIN_EVENTS"
EOS
cat >"$work/query.sh" <<'EOS'
#!/bin/sh
# Training query handler: answers with the payload it got.
cat >/dev/null
echo "pong from $SERF_SELF_NAME"
EOS
chmod 755 "$work/event.sh" "$work/query.sh"
TRAIN_EVENTS=$work/events.txt
export TRAIN_EVENTS
: >"$TRAIN_EVENTS"

say "ports $base-$((base + 3)), watchdog ${timeout}s, recording with $record"
"$serf" agent -node=train-b -bind="$b_bind" -rpc-addr="$b_rpc" -encrypt="$key" \
  >"$work/agent-b.log" 2>&1 &
b=$!; echo "$b" >>"$pids"
wait_for "$work/agent-b.log" "Serf agent running" 90 "$b" || { say "agent B did not start"; exit 1; }

# A JVM cannot use one cache and write another: a cache already in the image (the `serf version` one,
# which B and the CLI runs use) is moved aside while A's launcher starts, and back once A's JVM runs.
cache=$image/lib/serf.aot
if [ -f "$cache" ]; then mv "$cache" "$work/image.aot" || exit 1; fi
restore_cache() { if [ -f "$work/image.aot" ]; then mv "$work/image.aot" "$cache"; fi; }
(cd "$work" && SERF_JAVA_OPTS=$record exec "$serf" agent -node=train-a -bind="$a_bind" -rpc-addr="$a_rpc" \
  -encrypt="$key" -event-handler="$work/event.sh" -event-handler="query:train-ping=$work/query.sh" \
  -snapshot="$work/a.snapshot" -tag role=train -tag dc=build -join="$b_bind") \
  >"$work/agent-a.log" 2>&1 &
a=$!; echo "$a" >>"$pids"
wait_for "$work/agent-a.log" "Serf agent starting" 90 "$a"
restore_cache
wait_for "$work/agent-a.log" "Join completed" 90 "$a" || { say "agent A did not join"; exit 1; }

missed=
# Each CLI run is a JVM start too (about 0.1 s of CPU each), so a short list that still goes through
# every RPC command family: join, members, info, event, query, tags, keys, monitor, leave.
cli 45 join -rpc-addr="$b_rpc" "$a_bind" || missed="$missed, join"
cli 45 members -detailed -rpc-addr="$a_rpc" || missed="$missed, members"
cli 45 info -rpc-addr="$a_rpc" || missed="$missed, info"
cli 45 event -rpc-addr="$a_rpc" train-a-event "from A" || missed="$missed, event"
# A query runs for its whole timeout: a short one.
cli 45 query -rpc-addr="$a_rpc" -timeout=1s train-ping "from A" || missed="$missed, query"
cli 45 tags -rpc-addr="$a_rpc" -set zone=one -delete dc || missed="$missed, tags"
cli 45 keys -rpc-addr="$a_rpc" -list || missed="$missed, keys"
# monitor streams A's log until it is stopped: while it runs, B sends a user event that A gossips
# on to its handler (and to the monitor), then monitor gets a TERM.
say "serf monitor, while B sends an event"
"$serf" monitor -rpc-addr="$a_rpc" >"$work/monitor.log" 2>&1 &
m=$!; echo "$m" >>"$pids"
cli 45 event -coalesce=false -rpc-addr="$b_rpc" train-b-event "from B" || missed="$missed, event"
wait_for "$TRAIN_EVENTS" train-b-event 30 "$a" || missed="$missed, the gossiped event"
wait_for "$work/monitor.log" train-b-event 30 "$m" || missed="$missed, monitor"
kill "$m" 2>/dev/null
wait "$m" 2>/dev/null
cli 45 leave -rpc-addr="$a_rpc" || missed="$missed, leave"

# A's JVM exits after its leave and then writes the cache (JDK 25: in a child JVM it waits for, with
# A's options, so interpreted: 10 s on a quiet machine, over 40 s on a loaded one); the watchdog
# bounds the wait.
end=$((start + timeout))
while kill -0 "$a" 2>/dev/null && [ "$(date +%s)" -le "$end" ]; do sleep 0.1; done
if kill -0 "$a" 2>/dev/null; then say "agent A did not exit after its leave"; exit 1; fi
wait "$a"; status=$?
# B is not trained: it just stops (and is killed on exit if it lingers).
kill "$b" 2>/dev/null
say "agent A exited with $status after $(elapsed)s; events seen by A's handler:"
cat "$TRAIN_EVENTS"
if [ -n "$missed" ]; then say "steps without an answer in time (the cache covers less): ${missed#, }"; fi
[ "$status" -eq 0 ]
