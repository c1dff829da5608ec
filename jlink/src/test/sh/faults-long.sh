#!/bin/sh
# The long versions of the fault tests (jlink/src/test/java/serf/faults, docs/faults.md): the same
# ITs that CI runs short, with larger counts and durations, then the result tables
# (jlink/target/faults/results.md). Needs root (network namespaces), ip, nft and /usr/bin/serf.
#
#   jlink/src/test/sh/faults-long.sh [loss] [partition] [flap] [crash] [crash-go] [long]   (default: all)
#
# Knobs (environment; defaults are the issue's long versions):
#   LOSS_NODES=20 LOSS_SECONDS=600        10% loss on every link (LOSS_PERMILLE=100)
#   PARTITION_NODES=10 PARTITION_EXTRA=20 seconds the split lasts beyond "each side sees the other failed"
#   FLAP_CYCLES=20 FLAP_ONEWAY=60         flapping outages (FLAP_DOWN_MS=2000 FLAP_UP_MS=4000), one-way seconds
#   CRASHES=100                           kill -9 of our agent; crash-go: the same against Go's agent
#   LONG_NODES=32 LONG_SECONDS=3600 SAMPLE_SECONDS=300 CHURN_SECONDS=120
#   SEED=<n>                              the random seed (crash points, senders); printed in the tables
#   KEEP_IMAGE=1                          reuse jlink/target/image instead of rebuilding it
#   MVN_FLAGS=-o                          extra Maven flags
# A failed test does not stop the run: the tables are the result (a failure is in the build log,
# jlink/target/faults-long-<test>.log).
set -eu

root=$(cd "$(dirname "$0")/../../../.." && pwd)
cd "$root"
tests=${*:-loss partition flap crash crash-go long}
mkdir -p jlink/target/faults
rm -f jlink/target/faults/results.md
keep=false
[ "${KEEP_IMAGE:-0}" = 1 ] && keep=true

run() { # name it-class extra-properties...
  name=$1 it=$2
  shift 2
  echo "faults-long: $name ($it $*)" >&2
  # shellcheck disable=SC2086 # MVN_FLAGS is split on purpose
  ./mvnw -B -q ${MVN_FLAGS:-} verify -pl jlink -am \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test="$it" -Dfailsafe.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true \
    -Dserf.image.keep="$keep" ${SEED:+-Dfaults.seed=$SEED} "$@" >"jlink/target/faults-long-$name.log" 2>&1 || true
  keep=true # the image is built once
  grep -E "Tests run:|FAIL|expected|Expect" "jlink/target/faults-long-$name.log" | head -n 20 >&2 || true
}

for t in $tests; do
  case $t in
    loss) run loss LossIT -Dfaults.loss.nodes="${LOSS_NODES:-20}" -Dfaults.loss.seconds="${LOSS_SECONDS:-600}" \
      -Dfaults.loss.permille="${LOSS_PERMILLE:-100}" ;;
    partition) run partition PartitionIT -Dfaults.partition.nodes="${PARTITION_NODES:-10}" \
      -Dfaults.partition.extra-seconds="${PARTITION_EXTRA:-20}" ;;
    flap) run flap FlapIT -Dfaults.flap.cycles="${FLAP_CYCLES:-20}" -Dfaults.flap.oneway-seconds="${FLAP_ONEWAY:-60}" \
      -Dfaults.flap.down-millis="${FLAP_DOWN_MS:-2000}" -Dfaults.flap.up-millis="${FLAP_UP_MS:-4000}" ;;
    crash) run crash CrashIT -Dfaults.crash.count="${CRASHES:-100}" ;;
    crash-go) run crash-go CrashIT -Dfaults.crash.count="${CRASHES:-100}" -Dfaults.crash.victim=go ;;
    long) run long LongRunIT -Dfaults.long.nodes="${LONG_NODES:-32}" -Dfaults.long.seconds="${LONG_SECONDS:-3600}" \
      -Dfaults.long.sample-seconds="${SAMPLE_SECONDS:-300}" -Dfaults.long.churn-seconds="${CHURN_SECONDS:-120}" ;;
    *) echo "faults-long: unknown test $t (loss partition flap crash crash-go long)" >&2; exit 2 ;;
  esac
done
echo
cat jlink/target/faults/results.md 2>/dev/null || echo "faults-long: no results (see jlink/target/faults-long-*.log)" >&2
