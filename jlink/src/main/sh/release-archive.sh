#!/bin/sh
# Builds the release archive of the runtime image; Maven runs it in the package phase of the jlink
# module, after build-image.sh:
#   release-archive.sh IMAGE_DIR OUT_DIR VERSION OUTPUT_TIMESTAMP DIST_DIR OPERATIONS_MD
# OUT_DIR gets serf-jvm-VERSION-linux-ARCH.tar.gz and SHA256SUMS. The archive holds one folder,
# serf-jvm-VERSION/: the image (bin/serf, lib/, ...) and share/ with the systemd unit, the
# container recipe and docs/operations.md. Reproducible from the same image: names sorted, every
# mtime OUTPUT_TIMESTAMP (project.build.outputTimestamp), owner and group 0 (numeric), no group or
# other write bits, no atime/ctime, and gzip -n (no name or time in the gzip header).
set -eu

image=$1 out=$2 version=$3 stamp=$4 dist=$5 ops=$6
[ -x "$image/bin/serf" ] || { echo "release-archive: no image at $image" >&2; exit 1; }
case $stamp in
  *[!0-9]*) epoch=$(date -u -d "$stamp" +%s) ;;  # ISO-8601, as Maven writes it
  *) epoch=$stamp ;;                             # seconds since the epoch
esac
arch=$(uname -m)
name=serf-jvm-$version
archive=$name-linux-$arch.tar.gz

mkdir -p "$out"
stage=$out/stage
rm -rf "$stage" && mkdir -p "$stage/$name/share"
cp -R "$image/." "$stage/$name/"
cp "$dist/serf.service" "$dist/Containerfile" "$stage/$name/share/"
if [ -f "$ops" ]; then cp "$ops" "$stage/$name/share/operations.md"; fi

(cd "$stage" && tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
    --mode='go-w' --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -cf - "$name") | gzip -n -9 > "$out/$archive"
rm -rf "$stage"
(cd "$out" && sha256sum "$archive" > SHA256SUMS)
echo "release archive: $out/$archive ($(du -k "$out/$archive" | cut -f1) KB), $(cat "$out/SHA256SUMS")"
