// A walk through the serf.api from jshell. Build first (./mvnw -B -q install -DskipTests), then:
//   jshell --module-path serf.wire/target/classes:serf.crypto/target/classes:serf.memberlist/target/classes:serf.snapshot/target/classes:serf.api/target/classes:serf.sim/target/classes \
//          --add-modules serf.api,serf.sim examples/serf.jsh
// (use the jshell of a JDK 21+: `. .mvn/find-jdk.sh && $JAVA_HOME/bin/jshell ...`)
import serf.api.*;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;

// The nodes log through System.Logger (here the JDK's default backend); this session shows warnings only.
java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);

// Two nodes on loopback; each prints what it sees, and b answers queries.
Serf a = Serf.create(Config.defaults().nodeName("a").protocolVersion(5).tags(Map.of("role", "web"))
        .memberlistConfig(serf.memberlist.MemberlistConfig.local().name("a").bindAddr("127.0.0.1").bindPort(0))
        .eventSink(e -> System.out.println("a saw " + e)));
Serf b = Serf.create(Config.defaults().nodeName("b").protocolVersion(5).tags(Map.of("role", "db"))
        .memberlistConfig(serf.memberlist.MemberlistConfig.local().name("b").bindAddr("127.0.0.1").bindPort(0))
        .eventSink(e -> { System.out.println("b saw " + e);
                          if (e instanceof Query q) { try { q.respond("pong".getBytes()); } catch (QueryException x) { } } }));

// Join b to a, and wait until a counts both (numMembers: alive, failed and left members, as Go's NumMembers).
b.join(List.of("127.0.0.1:" + a.memberlist().advertiseAddress().getPort()), false);
for (int i = 0; i < 100 && a.numMembers() < 2; i++) Thread.sleep(50);
a.members();

// Tags, a user event.
a.setTags(Map.of("role", "web", "version", "2"));
a.userEvent("deploy", "v2".getBytes(StandardCharsets.UTF_8), false);

// A query the Go way: it collects answers for its whole timeout (here 1 s).
QueryResponse r = a.query("ping", null, a.defaultQueryParams().withTimeout(Duration.ofSeconds(1)));
r.awaitResponses();

// A query that returns as soon as every node its filters matched has answered (here: b only),
// closed by try-with-resources. matchedNodes() are the alive members the filters matched when it was sent.
try (QueryResponse early = a.query("ping", null, a.defaultQueryParams()
        .withFilterTags(Map.of("role", "db")).withTimeout(Duration.ofSeconds(30)))) {
    long t0 = System.nanoTime();
    System.out.println(early.matchedNodes() + " answered: " + early.awaitMatchedResponses(Duration.ofSeconds(30))
            + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
}

// Or let the query close itself after the first response.
a.query("ping", null, a.defaultQueryParams().withTimeout(Duration.ofSeconds(30)).withCloseAfterResponses(1)).awaitResponses();

// Stats (member_flaps, the drop counters, memberlist's counters), coordinates, a direct ping.
System.out.println("flaps: " + a.stats().get("member_flaps") + ", " + a.dropCounts());
a.getCachedCoordinate("b");
System.out.println("ping b: " + a.memberlist().ping("b", b.memberlist().advertiseAddress()));

// Leave, then shut down: close() is shutdown, which (as Go's Shutdown) does not leave by itself.
b.leave();
b.close();
a.close();

// The simulator: real nodes on a simulated network in virtual time; the same seed gives the same run.
import serf.sim.*;
try (Simulation sim = Simulation.builder().seed(7).link(LinkProfile.lan().withLoss(0.01)).build()) {
    List<Serf> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) nodes.add(sim.addSerf("sim-" + i));
    for (Serf s : nodes.subList(1, nodes.size())) s.join(List.of(sim.joinAddress("sim-0")), false);
    sim.runUntil(() -> nodes.stream().allMatch(s -> s.numMembers() == 20), Duration.ofMinutes(1));
    System.out.println("20 nodes see each other after " + sim.elapsed() + " of virtual time");
    sim.crash("sim-7");
    sim.runUntil(() -> nodes.get(0).members().stream().anyMatch(m -> m.name().equals("sim-7") && m.status() == MemberStatus.FAILED),
            Duration.ofMinutes(1));
    System.out.println("sim-0 saw sim-7 fail at " + sim.elapsed() + "; trace digest " + Long.toHexString(sim.traceDigest()));
}
/exit
