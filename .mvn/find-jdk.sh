# Sourced by ./mvnw (and .ci/run): make JAVA_HOME point at a JDK 21 or newer.
# Order: JAVA_HOME if it is 21+, then the JDK behind `java` on PATH, then the usual install places
# (highest version wins). With none, stop at once and say what to install.
# POSIX sh; mvnw runs with `set -euf`, so globbing is switched on only while we scan.

serf_jdk_major() {
  # Prints the feature version of the JDK at $1 (from its `release` file), or nothing.
  [ -x "$1/bin/javac" ] && [ -x "$1/bin/java" ] || return 0
  if [ -r "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
  fi
}

serf_find_jdk() {
  serf_wanted=21
  if [ -n "${JAVA_HOME-}" ]; then
    serf_v=$(serf_jdk_major "$JAVA_HOME")
    if [ -n "$serf_v" ] && [ "$serf_v" -ge "$serf_wanted" ]; then return 0; fi
  fi
  serf_best="" serf_best_v=0
  serf_path_java=$(command -v java 2>/dev/null || true)
  serf_candidates=""
  if [ -n "$serf_path_java" ]; then
    serf_real=$(readlink -f "$serf_path_java" 2>/dev/null || echo "$serf_path_java")
    serf_candidates="$(dirname "$(dirname "$serf_real")")"
  fi
  serf_had_f=no
  case $- in *f*) serf_had_f=yes; set +f ;; esac
  for serf_dir in $serf_candidates /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /usr/local/jdk* \
                  "${HOME:-/nonexistent}"/.sdkman/candidates/java/* "${HOME:-/nonexistent}"/.jdks/* \
                  /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$serf_dir" ] || continue
    serf_v=$(serf_jdk_major "$serf_dir")
    if [ -n "$serf_v" ] && [ "$serf_v" -ge "$serf_wanted" ] && [ "$serf_v" -gt "$serf_best_v" ]; then
      serf_best=$serf_dir serf_best_v=$serf_v
    fi
  done
  [ "$serf_had_f" = yes ] && set -f
  if [ -z "$serf_best" ]; then
    echo "serf-jvm needs a JDK $serf_wanted or newer to build and run, and none was found" >&2
    echo "  (looked at JAVA_HOME=${JAVA_HOME:-<unset>}, the java on PATH, /usr/lib/jvm, /opt/java, ~/.sdkman)." >&2
    echo "Install one, e.g. 'apt-get install openjdk-21-jdk' (or Temurin 21/25 from adoptium.net)," >&2
    echo "then run again, or point JAVA_HOME at it." >&2
    exit 1
  fi
  JAVA_HOME=$serf_best
  export JAVA_HOME
}

serf_find_jdk
