#!/usr/bin/env bash
# Builds the project twice from clean and compares every jar (classes, sources, javadoc) byte for
# byte: the build is reproducible when nothing differs. Usage: scripts/check-reproducible.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sums() { find . -path ./jlink -prune -o -path '*/target/*.jar' -print | sort | xargs sha256sum; }
./mvnw -B -q clean package -DskipTests
first=$(sums)
./mvnw -B -q clean package -DskipTests
second=$(sums)
if [ "$first" != "$second" ]; then
  diff <(echo "$first") <(echo "$second") >&2 || true
  echo "reproducible: NO, the jars above differ" >&2
  exit 1
fi
echo "$second"
echo "reproducible: yes, $(echo "$second" | wc -l) jars identical across two clean builds"
