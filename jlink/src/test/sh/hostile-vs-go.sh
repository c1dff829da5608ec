#!/bin/sh
# Runs the hostile-input suite (jlink/src/test/java/serf/hostile/HostileInputIT) against our agent
# (the runtime image) and against a Go agent alone (/usr/bin/serf), the same attacks and checks, and
# prints both tables (class | outcome | peak RSS MB | CPU s) so that Go's figures stand beside ours.
#   jlink/src/test/sh/hostile-vs-go.sh [image|go|both]     (default both)
# Extra Maven flags (e.g. -o) go in MVN_FLAGS. A failed class does not stop the run: the tables are
# the result. Each run rebuilds the image (about a minute) and takes about a minute of attacks.
set -eu

root=$(cd "$(dirname "$0")/../../../.." && pwd)
cd "$root"
mkdir -p jlink/target
case ${1:-both} in
  both) targets="image go" ;;
  image|go) targets=$1 ;;
  *) echo "usage: $0 [image|go|both]" >&2; exit 2 ;;
esac

for target in $targets; do
  rm -f "jlink/target/hostile/$target-table.txt"
  # shellcheck disable=SC2086 # MVN_FLAGS is split on purpose
  ./mvnw -B -q ${MVN_FLAGS:-} verify -pl jlink -am \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=HostileInputIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dmaven.test.failure.ignore=true -Dhostile.target="$target" >"jlink/target/hostile-$target.log" 2>&1 || true
  if [ -f "jlink/target/hostile/$target-table.txt" ]; then
    cat "jlink/target/hostile/$target-table.txt"
  else
    echo "hostile-vs-go: no table for $target; the build log is jlink/target/hostile-$target.log" >&2
    tail -n 30 "jlink/target/hostile-$target.log" >&2
  fi
  echo
done
