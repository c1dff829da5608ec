#!/bin/sh
# The runtime image check; Maven runs it in the verify phase of the jlink module, after the image
# is built:   check-image.sh IMAGE_DIR
# Fails the build unless `bin/serf version` prints a version line and exits 0 in an empty
# environment (no JAVA_HOME, no java on PATH: run directly, and through a symlink as an install
# would), the start-up cache is in place, and the image keeps to its 60 MB budget (the project's).
set -eu

image=$1
budget_kb=$((60 * 1024))
failed=0
fail() { echo "check-image: FAILED: $*" >&2; failed=1; }

[ -x "$image/bin/serf" ] || { fail "no launcher $image/bin/serf"; exit 1; }
work=$(dirname "$image")/image-check
rm -rf "$work" && mkdir -p "$work/empty-path" "$work/links"
ln -s "$image/bin/serf" "$work/links/serf"

# $1: a name for the run; $2: PATH; $3: the command. Sets $out; fails the check unless it exits 0
# and prints a line with a version number on stdout.
run_version() {
  start=$(date +%s%N)
  if out=$(env -i PATH="$2" "$3" version 2>"$work/stderr"); then
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if printf '%s\n' "$out" | grep -Eq '[0-9]+\.[0-9]+'; then
      echo "check-image: $1: ok in ${ms} ms: $(printf '%s\n' "$out" | head -n 1)"
    else
      fail "$1: no version line in the output: $out $(cat "$work/stderr")"
    fi
  else
    fail "$1: exit status $?: $out $(cat "$work/stderr")"
  fi
}

# env -i: no JAVA_HOME, no JDK_JAVA_OPTIONS, nothing inherited from Maven's JDK.
run_version "serf version, PATH=/usr/bin:/bin" /usr/bin:/bin "$image/bin/serf"
run_version "serf version, empty PATH" "$work/empty-path" "$image/bin/serf"
run_version "serf version through a symlink" /usr/bin:/bin "$work/links/serf"

# The start-up cache that build-image.sh made must be there (AOT cache on JDK 25+, else CDS).
if [ ! -s "$image/lib/serf.aot" ] && [ ! -s "$image/lib/server/classes.jsa" ]; then
  fail "no start-up cache (lib/serf.aot or lib/server/classes.jsa)"
fi

# JFR (jdk.jfr is in the image for serf's events): off by default, no jdk.jfr class is loaded; with
# -XX:StartFlightRecording a recording is written.
if env -i PATH=/usr/bin:/bin SERF_JAVA_OPTS="-Xlog:class+load=info:file=$work/classes.txt" "$image/bin/serf" version >/dev/null 2>&1; then
  if grep -q ' jdk\.jfr\.' "$work/classes.txt"; then
    fail "jdk.jfr classes loaded with JFR off"
  fi
else
  fail "serf version with -Xlog:class+load failed"
fi
# The launcher leaves the AOT cache out for a recording (its module graph lacks jdk.jfr): no JVM
# complaint on stderr.
if env -i PATH=/usr/bin:/bin SERF_JAVA_OPTS="-XX:StartFlightRecording=filename=$work/version.jfr" \
     "$image/bin/serf" version >/dev/null 2>"$work/stderr" && [ "$(head -c 3 "$work/version.jfr" 2>/dev/null)" = FLR ] \
     && ! grep -qi "aot\|error" "$work/stderr"; then
  echo "check-image: JFR: a recording from the image ($(wc -c <"$work/version.jfr") bytes)"
else
  fail "no JFR recording with -XX:StartFlightRecording: $(cat "$work/stderr")"
fi

size_kb=$(du -sk "$image" | cut -f1)
if [ "$size_kb" -gt "$budget_kb" ]; then
  fail "image is ${size_kb} KB, over the budget of ${budget_kb} KB"
fi
modules=$(sed -n 's/^MODULES="\(.*\)"/\1/p' "$image/release")
echo "check-image: image $((size_kb / 1024)) MB (budget 60), modules: $modules"

if [ "$failed" -ne 0 ]; then
  echo "check-image: the runtime image check FAILED" >&2
  exit 1
fi
echo "check-image: the runtime image check passed"
