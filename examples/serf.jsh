// A walk through the serf.api from jshell. Build first (./mvnw -B -q install -DskipTests), then:
//   jshell --module-path serf.wire/target/classes:serf.crypto/target/classes:serf.memberlist/target/classes:serf.snapshot/target/classes:serf.api/target/classes \
//          --add-modules serf.api examples/serf.jsh
// (use the jshell of a JDK 21+: `. .mvn/find-jdk.sh && $JAVA_HOME/bin/jshell ...`)
import serf.api.*;
import java.time.Duration;
import java.nio.charset.StandardCharsets;

// Two nodes on loopback; each prints what it sees.
Serf a = Serf.create(Config.defaults().nodeName("a").protocolVersion(5).tags(java.util.Map.of("role", "web"))
        .memberlistConfig(serf.memberlist.MemberlistConfig.local().name("a").bindAddr("127.0.0.1").bindPort(0))
        .eventSink(e -> System.out.println("a saw " + e)));
Serf b = Serf.create(Config.defaults().nodeName("b").protocolVersion(5)
        .memberlistConfig(serf.memberlist.MemberlistConfig.local().name("b").bindAddr("127.0.0.1").bindPort(0))
        .eventSink(e -> { System.out.println("b saw " + e);
                          if (e instanceof Query q) { try { q.respond("pong".getBytes()); } catch (QueryException x) { } } }));

// Join b to a.
b.join(java.util.List.of("127.0.0.1:" + a.memberlist().advertiseAddress().getPort()), false);
Thread.sleep(500);
a.members();

// Tags, a user event, a query.
a.setTags(java.util.Map.of("role", "web", "version", "2"));
a.userEvent("deploy", "v2".getBytes(StandardCharsets.UTF_8), false);
QueryResponse r = a.query("ping", null, a.defaultQueryParams().withTimeout(Duration.ofSeconds(1)));
r.awaitResponses();

// Stats and coordinates.
a.stats();
a.getCachedCoordinate("b");

// Leave and shut down.
b.leave();
b.shutdown();
a.shutdown();
/exit
