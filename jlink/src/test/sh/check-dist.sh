#!/bin/sh
# The packaging check; Maven runs it in the verify phase of the jlink module:
#   check-dist.sh IMAGE_DIR RELEASE_DIR DIST_DIR VERSION OUTPUT_TIMESTAMP OPERATIONS_MD
# - the systemd unit passes `systemd-analyze verify` (skipped without systemd-analyze), with its
#   ExecStart pointed at this build's image, and keeps the Debian unit's SIGINT stop;
# - the container recipe is checked statically (a glibc base with /bin/sh, the image copied to the
#   path its ENTRYPOINT runs, SIGINT to stop), and built and run when a Docker daemon answers;
# - the release archive verifies against SHA256SUMS, holds the image with numeric owner 0 and the
#   fixed mtime, and a second archive made from the same image is byte for byte the same.
set -eu

image=$1 release=$2 dist=$3 version=$4 stamp=$5 ops=$6
here=$(cd "$(dirname "$0")" && pwd)
failed=0
fail() { echo "check-dist: FAILED: $*" >&2; failed=1; }
work=$(dirname "$image")/dist-check
rm -rf "$work" && mkdir -p "$work"

# --- systemd unit ---
unit=$dist/serf.service
grep -qx 'KillSignal=SIGINT' "$unit" || fail "serf.service does not stop with SIGINT"
grep -q '^ExecStart=/opt/serf/bin/serf agent -config-dir=/etc/serf/$' "$unit" || fail "serf.service ExecStart changed"
if command -v systemd-analyze >/dev/null 2>&1; then
  sed "s#/opt/serf/bin/serf#$image/bin/serf#" "$unit" > "$work/serf.service"
  if out=$(systemd-analyze verify "$work/serf.service" 2>&1); then
    echo "check-dist: systemd-analyze verify serf.service: ok${out:+ ($out)}"
  else
    fail "systemd-analyze verify serf.service: $out"
  fi
else
  echo "check-dist: systemd-analyze not installed: the unit is not verified"
fi

# --- container recipe ---
cf=$dist/Containerfile
from=$(sed -n 's/^FROM[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$cf" | tail -n 1)
case $from in
  debian:*|ubuntu:*|gcr.io/distroless/base-debian*|gcr.io/distroless/cc-debian*) ;;
  *) fail "Containerfile: base image $from is not a known glibc base" ;;
esac
case $from in
  gcr.io/distroless/*) fail "Containerfile: $from has no /bin/sh for the launcher script" ;;
esac
grep -q '^COPY image/ /opt/serf/$' "$cf" || fail "Containerfile: the image is not copied to /opt/serf/"
grep -q '^ENTRYPOINT \["/opt/serf/bin/serf"\]$' "$cf" || fail "Containerfile: ENTRYPOINT is not /opt/serf/bin/serf"
[ -x "$image/bin/serf" ] || fail "Containerfile: the context has no image/bin/serf"
grep -qx 'STOPSIGNAL SIGINT' "$cf" || fail "Containerfile: does not stop with SIGINT"
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  tag=serf-jvm-check:$$
  if docker build -q -f "$cf" -t "$tag" "$(dirname "$image")" >/dev/null \
     && v=$(docker run --rm "$tag" version) && printf '%s' "$v" | grep -q '^Serf v'; then
    echo "check-dist: container built and ran: $(printf '%s' "$v" | head -n 1)"
  else
    fail "Containerfile: docker build or run failed"
  fi
  docker rmi -f "$tag" >/dev/null 2>&1 || true
else
  echo "check-dist: Containerfile checked statically (no Docker daemon to build it)"
fi

# --- release archive ---
archive=$(sed -n 's/^[0-9a-f]\{64\}  //p' "$release/SHA256SUMS" 2>/dev/null || true)
if [ -z "$archive" ] || [ ! -f "$release/$archive" ]; then
  fail "no release archive in $release"
else
  (cd "$release" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
  gzip -t "$release/$archive" || fail "$archive is not a valid gzip file"
  listing=$(tar -tvzf "$release/$archive" --numeric-owner)
  printf '%s\n' "$listing" | grep -q " serf-jvm-$version/bin/serf\$" || fail "$archive has no serf-jvm-$version/bin/serf"
  printf '%s\n' "$listing" | grep -q " serf-jvm-$version/share/serf.service\$" || fail "$archive has no share/serf.service"
  bad_owner=$(printf '%s\n' "$listing" | awk '$2 != "0/0"' | head -n 1)
  [ -z "$bad_owner" ] || fail "$archive: an entry not owned by 0/0: $bad_owner"
  day=$(date -u -d "$stamp" '+%Y-%m-%d' 2>/dev/null || date -u -d "@$stamp" '+%Y-%m-%d')
  bad_time=$(TZ=UTC tar -tvzf "$release/$archive" | awk -v d="$day" '$4 != d' | head -n 1)
  [ -z "$bad_time" ] || fail "$archive: an entry not dated $day: $bad_time"
  # The same image gives the same archive.
  sh "$here/../../main/sh/release-archive.sh" "$image" "$work/again" "$version" "$stamp" "$dist" "$ops" >/dev/null
  if cmp -s "$release/$archive" "$work/again/$archive"; then
    echo "check-dist: release archive $archive verifies, and a second one from the same image is identical"
  else
    fail "two archives of the same image differ"
  fi
fi

if [ "$failed" -ne 0 ]; then
  echo "check-dist: the packaging check FAILED" >&2
  exit 1
fi
echo "check-dist: the packaging check passed"
