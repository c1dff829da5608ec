#!/usr/bin/env bash
# Checks the library as a Maven user gets it: installs the modules into the local repository, then
# builds and runs a throwaway project that imports serf-bom and depends only on serf.api (a JPMS
# module with `requires serf.api;`), which starts two Serf nodes on 127.0.0.1 and joins them.
# Usage: scripts/check-bom-consumer.sh   (exit 0 and "bom consumer: ok" on success)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && ./mvnw -B -q install -DskipTests)
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/serf-bom/pom.xml" | head -n 1)

mkdir -p "$work/src/main/java/consumer"
cat > "$work/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>bom-consumer</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>21</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.github.serfjvm</groupId>
        <artifactId>serf-bom</artifactId>
        <version>$version</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>io.github.serfjvm</groupId>
      <artifactId>serf.api</artifactId>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.14.1</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
      </plugin>
    </plugins>
  </build>
</project>
POM
cat > "$work/src/main/java/module-info.java" <<'JAVA'
module consumer {
    requires serf.api;
}
JAVA
cat > "$work/src/main/java/consumer/Main.java" <<'JAVA'
package consumer;

import java.util.List;
import serf.api.Config;
import serf.api.Serf;

public final class Main {
    public static void main(String[] args) throws Exception {
        Serf a = Serf.create(node("consumer-a"));
        Serf b = Serf.create(node("consumer-b"));
        try {
            b.join(List.of("127.0.0.1:" + a.memberlist().advertiseAddress().getPort()), false);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (a.members().size() < 2 || b.members().size() < 2) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the two nodes did not see each other");
                }
                Thread.sleep(20);
            }
            System.out.println("members: " + a.members().size());
        } finally {
            b.shutdown();
            a.shutdown();
        }
    }

    private static Config node(String name) {
        return Config.defaults().nodeName(name)
                .memberlistConfig(serf.memberlist.MemberlistConfig.local().name(name).bindAddr("127.0.0.1").bindPort(0));
    }
}
JAVA

# The consumer uses the same Maven the project does, and the JDK it found.
(cd "$root" && ./mvnw -B -q -f "$work/pom.xml" package dependency:copy-dependencies -DoutputDirectory="$work/target/lib")
. "$root/.mvn/find-jdk.sh"   # sets JAVA_HOME to a JDK 21+, as ./mvnw does
out=$("$JAVA_HOME/bin/java" -p "$work/target/classes:$work/target/lib" -m consumer/consumer.Main)
echo "$out"
# Only our modules on the module path: no test library leaked through the BOM.
if ls "$work/target/lib" | grep -Eiv '^serf\.(api|memberlist|snapshot|wire|crypto)-' ; then
  echo "bom consumer: unexpected dependencies above" >&2
  exit 1
fi
[ "$out" = "members: 2" ] && echo "bom consumer: ok"
