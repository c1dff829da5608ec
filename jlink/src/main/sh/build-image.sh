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
# Our eight modules (serf.launcher: the log routing of the executable, see its module-info) and the
# JDK modules their module-info files require (java.base, jdk.unsupported, jdk.httpserver for the
# opt-in Prometheus endpoint; java.naming and jdk.naming.dns for SRV join addresses, which bring
# java.security.sasl and java.logging); no service binding, so no other JDK module comes along.
# jdk.jfr is only `requires static` (serf.memberlist's JFR events), so it is named here: in the
# image, resolved at run time only when asked (SERF_JAVA_OPTS=-XX:StartFlightRecording=...).
"$jlink" \
  --module-path "$module_path" \
  --add-modules serf.launcher,serf.agent,serf.client,serf.api,serf.memberlist,serf.snapshot,serf.crypto,serf.wire,jdk.jfr \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output "$image"

cp "$launcher" "$image/bin/serf"
chmod 755 "$image/bin/serf"

# libjvm.so without its symbol table (.symtab/.strtab, 5 of its 29 MB; the exported symbols stay):
# room for a start-up cache trained on a whole agent within the 60 MB budget. A crash log then names
# JVM frames as libjvm.so+offset, which the JDK's debug symbols (same build id) resolve. Skipped
# where there is no strip; the image then falls back to the small cache below if it must.
if command -v strip >/dev/null 2>&1; then
  chmod u+w "$image/lib/server/libjvm.so"
  strip --strip-unneeded "$image/lib/server/libjvm.so" || echo "build-image: strip failed, libjvm.so keeps its symbols"
  chmod 644 "$image/lib/server/libjvm.so"
fi

# The start-up cache, trained with the launcher's own JVM options (a cache only fits the options
# it was made with), from inside lib/ so that no path with blanks goes into SERF_JAVA_OPTS.
# First on `serf version` (a second or two; the CLI's start-up), which stays as the fallback; then,
# on JDK 25+, on a whole agent lifecycle (train-agent.sh: two agents, events, queries, handlers,
# encryption, RPC and CLI), which replaces it when that run worked, its cache lets `serf version`
# start and the image stays within its budget. The agent training never fails the build.
budget_kb=$((60 * 1024))
cache=${SERF_IMAGE_CACHE:-auto}
if [ "$cache" = auto ]; then
  if "$image/bin/java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
    cache=aot
  else
    cache=cds
  fi
fi
target=$(dirname "$image")
log=$target/image-training.log
# The image's `serf version` runs with its cache, without a word from the JVM on stderr.
cache_fits() {
  out=$(cd "$target" && "$image/bin/serf" version 2>&1) && case $out in "Serf v"*) ;; *) false ;; esac \
    && ! printf '%s' "$out" | grep -q '\[aot\]\|\[cds\]\|AOT cache\|CDS'
}
trained=$cache
case $cache in
  aot)
    (cd "$image/lib" && SERF_JAVA_OPTS=-XX:AOTCacheOutput=serf.aot ../bin/serf version) >"$log" 2>&1 || true
    if [ ! -s "$image/lib/serf.aot" ]; then
      cat "$log" >&2
      echo "build-image: the AOT cache training run failed (log above)" >&2
      exit 1
    fi
    trained="aot, trained on serf version"
    # The agent's cache, with AOT class linking (the default): classes pre-linked and their archived
    # heap objects, 1.3 MB more than without, for a third less CPU to start and join (jlink/README.md).
    # Those heap objects must fit the initial heap, hence the launcher's -Xms4m.
    work=$target/image-training
    if sh "$(dirname "$0")/train-agent.sh" "$image" "$work" "-XX:AOTCacheOutput=serf.aot" \
         >>"$log" 2>&1 && [ -s "$work/serf.aot" ]; then
      mv "$image/lib/serf.aot" "$work/version.aot"
      cp "$work/serf.aot" "$image/lib/serf.aot"
      size_kb=$(du -sk "$image" | cut -f1)
      if [ "$size_kb" -gt "$budget_kb" ]; then
        why="the image would be $((size_kb / 1024)) MB, over its 60 MB budget"
      elif ! cache_fits; then
        why="the JVM does not take its cache"
      else
        why=
        trained="aot, trained on an agent's lifecycle"
      fi
      if [ -n "$why" ]; then
        mv "$work/version.aot" "$image/lib/serf.aot"
        echo "build-image: the agent-trained cache is not used: $why; the image keeps the cache trained on serf version"
      fi
    else
      if [ ! -f "$image/lib/serf.aot" ] && [ -f "$work/image.aot" ]; then mv "$work/image.aot" "$image/lib/serf.aot"; fi
      echo "build-image: the agent training run failed (see $log); the image keeps the cache trained on serf version"
    fi
    if ! cache_fits; then
      cat "$log" >&2
      echo "build-image: the image does not start with its AOT cache (log above)" >&2
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

echo "serf runtime image: $image ($(du -sh "$image" | cut -f1), start-up cache: $trained)"
