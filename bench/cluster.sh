#!/usr/bin/env bash
# The cluster benchmark: N Go serf agents, N of ours and a mixed cluster on 127.0.0.1, same flags and
# same measurements, plain and -encrypt; writes a dated table into docs/benchmarks.md.
#
#   bench/cluster.sh                      # N = 16 64 128, plain and -encrypt (minutes)
#   bench/cluster.sh --n 16 --note 'development run'
#   bench/cluster.sh --smoke              # N = 3, plain, seconds; exit 1 when something did not work
#   bench/cluster.sh --help               # every option
#
# This wrapper makes sure both agents are there, then runs bench/cluster.py (python3, standard
# library only), which starts, measures and kills the agents (all of them, on any exit).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
go_bin=${SERF_BENCH_GO:-/usr/bin/serf}
ours_bin="$repo/jlink/target/image/bin/serf"  # cluster.py's default --ours-bin

for arg in "$@"; do
  case $arg in -h|--help) exec python3 "$repo/bench/cluster.py" --help ;; esac
done

# The Go agent: Debian's `serf` package.
if [ ! -x "$go_bin" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "cluster.sh: $go_bin is missing; install it with: apt-get install serf" >&2
    exit 2
  fi
  echo "==> Installing the Go agent (apt-get install serf)..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq serf >/dev/null
  # The package enables a system service; the benchmark starts its own agents only.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop serf 2>/dev/null || true; fi
fi

# Ours: the runtime image, built from this tree when it is missing.
if [ ! -x "$ours_bin" ]; then
  echo "==> Building the runtime image (jlink/target/image)..." >&2
  offline=-o
  [ -d "$HOME/.m2/repository/org/apache/maven/plugins" ] || offline=
  (cd "$repo" && ./mvnw -B -q $offline package -pl jlink -am -DskipTests) >&2
fi

SERF_BENCH_GO=$go_bin exec python3 "$repo/bench/cluster.py" "$@"
