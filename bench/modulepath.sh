# Sourced by the bench scripts: finds a JDK 21+ (JAVA_HOME, as ./mvnw does) and sets $modulepath to the
# built library jars (serf.wire … serf.api, serf.sim), building them first when they are missing. Needs $repo.
. "$repo/.mvn/find-jdk.sh"
modulepath=""
for m in serf.wire serf.crypto serf.memberlist serf.snapshot serf.api serf.sim; do
  jar=$(ls "$repo/$m/target/$m"-*.jar 2>/dev/null | grep -v -e sources -e javadoc -e tests | head -n 1 || true)
  if [ -z "$jar" ]; then
    echo "==> Building the module jars..." >&2
    (cd "$repo" && ./mvnw -B -q -o package -pl serf.api,serf.sim -am -DskipTests) >&2
    jar=$(ls "$repo/$m/target/$m"-*.jar | grep -v -e sources -e javadoc -e tests | head -n 1)
  fi
  modulepath="$modulepath${modulepath:+:}$jar"
done
