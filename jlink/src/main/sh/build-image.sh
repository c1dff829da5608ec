#!/bin/sh
# Builds the serf runtime image; Maven runs it in the package phase of the jlink module:
#   build-image.sh JAVA_HOME MODULE_PATH IMAGE_DIR LAUNCHER
# JAVA_HOME is the JDK Maven runs on (its jlink links its own modules: the jmods folder if the JDK
# has one, else the JDK's run-time image, JEP 493), MODULE_PATH our module jars.
# Then the image gets our launcher as bin/serf and a start-up cache from a training run of
# `bin/serf version`: an AOT cache (lib/serf.aot) on JDK 25+, else a static CDS archive of the
# classes that run loads (lib/server/classes.jsa). SERF_IMAGE_CACHE=aot|cds|none forces one.
# Choices and measurements: jlink/README.md.
set -eu

java_home=$1 module_path=$2 image=$3 launcher=$4
jlink=$java_home/bin/jlink
if [ ! -x "$jlink" ]; then
  echo "build-image: no jlink in $java_home: Maven must run on a JDK 21+ (not a JRE)" >&2
  exit 1
fi
if [ -d "$java_home/jmods" ]; then module_path=$module_path:$java_home/jmods; fi

rm -rf "$image"
mkdir -p "$(dirname "$image")"
# Our six modules and the JDK modules their module-info files require (java.base today); no
# service binding, so no other JDK module comes along.
"$jlink" \
  --module-path "$module_path" \
  --add-modules serf.agent,serf.api,serf.memberlist,serf.snapshot,serf.crypto,serf.wire \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output "$image"

cp "$launcher" "$image/bin/serf"
chmod 755 "$image/bin/serf"

# The start-up cache, trained with the launcher's own JVM options (a cache only fits the options
# it was made with), from inside lib/ so that no path with blanks goes into SERF_JAVA_OPTS.
# The run's exit status does not matter here (the check in verify tests `serf version`): the
# cache does.
cache=${SERF_IMAGE_CACHE:-auto}
if [ "$cache" = auto ]; then
  if "$image/bin/java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
    cache=aot
  else
    cache=cds
  fi
fi
log=$(dirname "$image")/image-training.log
case $cache in
  aot)
    (cd "$image/lib" && SERF_JAVA_OPTS=-XX:AOTCacheOutput=serf.aot ../bin/serf version) >"$log" 2>&1 || true
    if [ ! -s "$image/lib/serf.aot" ]; then
      cat "$log" >&2
      echo "build-image: the AOT cache training run failed (log above)" >&2
      exit 1
    fi
    ;;
  cds)
    { (cd "$image/lib" && SERF_JAVA_OPTS=-XX:DumpLoadedClassList=serf.classlist ../bin/serf version) || true
      (cd "$image/lib" && ../bin/java -XX:+UseSerialGC -Xmx64m -Xshare:dump \
         -XX:SharedClassListFile=serf.classlist -XX:SharedArchiveFile=server/classes.jsa); } >"$log" 2>&1 || true
    if [ ! -s "$image/lib/server/classes.jsa" ]; then
      cat "$log" >&2
      echo "build-image: the CDS archive training run failed (log above)" >&2
      exit 1
    fi
    rm -f "$image/lib/serf.classlist"
    ;;
  none) ;;
  *) echo "build-image: SERF_IMAGE_CACHE must be aot, cds or none, not $cache" >&2; exit 1 ;;
esac

echo "serf runtime image: $image ($(du -sh "$image" | cut -f1), start-up cache: $cache)"
