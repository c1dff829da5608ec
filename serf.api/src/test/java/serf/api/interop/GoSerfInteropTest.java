package serf.api.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.api.Config;
import serf.api.Event;
import serf.api.EventType;
import serf.api.KeyResponse;
import serf.api.Member;
import serf.api.MemberStatus;
import serf.api.NodeResponse;
import serf.api.Query;
import serf.api.QueryException;
import serf.api.QueryResponse;
import serf.api.Serf;
import serf.crypto.Keys;
import serf.testkit.GoSerfAgent;
import serf.testkit.Poll;
import serf.wire.json.Json;

/**
 * Mixed clusters of Java Serf nodes and real Go agents (Debian's serf 0.9.4) on 127.0.0.1. The Go
 * side is judged through its own CLI and its event-handler script's log.
 */
class GoSerfInteropTest {
    private static final System.Logger LOG = System.getLogger(GoSerfInteropTest.class.getName());

    @TempDir
    Path dir;

    private final List<GoSerfAgent> agents = new ArrayList<>();
    private final List<Serf> javas = new ArrayList<>();
    private final Map<String, List<Event>> events = new HashMap<>();

    @BeforeAll
    static void needsGoAgent() {
        assumeTrue(GoSerfAgent.available(), "the Go serf agent (/usr/bin/serf) is not installed");
    }

    @AfterEach
    void tearDown() {
        javas.forEach(Serf::shutdown);
        agents.forEach(GoSerfAgent::close);
    }

    /** A handler that logs every event and answers queries with "go-<name>". */
    private Path handler() throws IOException {
        Path script = dir.resolve("handler.sh");
        Files.writeString(script, """
                #!/bin/sh
                payload=$(cat)
                echo "$SERF_SELF_NAME|$SERF_EVENT|$SERF_USER_EVENT|$SERF_QUERY_NAME|$payload" >> "%s"
                if [ "$SERF_EVENT" = "query" ]; then printf "go-%%s" "$SERF_SELF_NAME"; fi
                """.formatted(dir.resolve("handler.log")));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private List<String> handlerLog() {
        try {
            Path log = dir.resolve("handler.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GoSerfAgent go(String name, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("-event-handler=" + handler(), "-tag", "side=go"));
        args.addAll(List.of(extra));
        GoSerfAgent a = GoSerfAgent.start(name, dir, args.toArray(String[]::new));
        agents.add(a);
        return a;
    }

    private Serf java(String name, java.util.function.UnaryOperator<Config> tweak) throws IOException {
        List<Event> log = new CopyOnWriteArrayList<>();
        events.put(name, log);
        Config c = Config.defaults().nodeName(name).protocolVersion(5).tags(Map.of("side", "java"))
                .memberlistConfig(serf.memberlist.MemberlistConfig.lan().name(name).bindAddr("127.0.0.1").bindPort(0))
                .eventSink(e -> {
                    log.add(e);
                    if (e instanceof Query q && q.name().equals("load")) {
                        try {
                            q.respond(("java-" + name).getBytes(StandardCharsets.UTF_8));
                        } catch (QueryException ex) {
                            LOG.log(System.Logger.Level.WARNING, "respond failed: " + ex.getMessage());
                        }
                    }
                });
        Serf s = Serf.create(tweak.apply(c));
        javas.add(s);
        return s;
    }

    private Serf java(String name) throws IOException {
        return java(name, c -> c);
    }

    private static String status(GoSerfAgent a, String node) {
        try {
            return a.members().get(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MemberStatus status(Serf s, String node) {
        return s.members().stream().filter(m -> m.name().equals(node)).map(Member::status).findFirst().orElse(null);
    }

    private List<Event.UserEvent> userEvents(String javaNode, String name) {
        return events.get(javaNode).stream().filter(e -> e instanceof Event.UserEvent u && u.name().equals(name))
                .map(e -> (Event.UserEvent) e).toList();
    }

    private void formCluster(GoSerfAgent g, Serf... js) throws Exception {
        for (Serf j : js) {
            assertThat(j.join(List.of(g.joinAddress()), false)).isEqualTo(1);
        }
        int total = agents.size() + javas.size();
        Poll.until("everyone to see " + total + " alive members", Duration.ofSeconds(20), () ->
                agents.stream().allMatch(a -> {
                    try {
                        return a.members().values().stream().filter("alive"::equals).count() == total;
                    } catch (IOException e) {
                        return false;
                    }
                }) && javas.stream().allMatch(s -> s.members().stream().filter(m -> m.status() == MemberStatus.ALIVE).count() == total));
    }

    @Test
    void tagsSetOnEitherSideShowOnBoth() throws Exception {
        GoSerfAgent g = go("go-tags", "-tag", "role=db");
        Serf j = java("java-tags", c -> c.tags(Map.of("role", "web", "side", "java")));
        formCluster(g, j);
        assertThat(g.tagsOf("java-tags")).containsEntry("role", "web").containsEntry("side", "java");
        assertThat(j.members()).filteredOn(m -> m.name().equals("go-tags")).singleElement()
                .satisfies(m -> assertThat(m.tags()).containsEntry("role", "db").containsEntry("side", "go"));

        j.setTags(Map.of("role", "cache"));
        Poll.until("the Go agent to see java's new tags", Duration.ofSeconds(10), () -> {
            try {
                return Map.of("role", "cache").equals(g.tagsOf("java-tags"));
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(g.cli("tags", "-set", "zone=a", "-delete", "role").exitCode()).isZero();
        Poll.until("java to see the Go agent's new tags", Duration.ofSeconds(10), () -> j.members().stream()
                .anyMatch(m -> m.name().equals("go-tags") && "a".equals(m.tags().get("zone")) && !m.tags().containsKey("role")));
    }

    @Test
    void userEventsFromEitherSideReachEveryNodeExactlyOnce() throws Exception {
        GoSerfAgent g1 = go("go-ev1");
        GoSerfAgent g2 = go("go-ev2");
        Serf j1 = java("java-ev1");
        Serf j2 = java("java-ev2");
        assertThat(g2.cli("join", g1.joinAddress()).exitCode()).isZero();
        formCluster(g1, j1, j2);

        assertThat(g1.cli("event", "from-go", "gp").exitCode()).isZero();
        assertThat(g2.cli("event", "-coalesce=false", "from-go-nc", "gp2").exitCode()).isZero();
        j1.userEvent("from-java", "jp".getBytes(StandardCharsets.UTF_8), true);
        j2.userEvent("from-java-nc", "jp2".getBytes(StandardCharsets.UTF_8), false);

        for (String name : List.of("from-go", "from-go-nc", "from-java", "from-java-nc")) {
            Poll.until(name + " on both Go agents", Duration.ofSeconds(15), () -> handlerLog().stream()
                    .filter(l -> l.contains("|user|" + name + "|")).map(l -> l.substring(0, l.indexOf('|'))).distinct().count() == 2);
            Poll.until(name + " on both Java nodes", Duration.ofSeconds(15),
                    () -> !userEvents("java-ev1", name).isEmpty() && !userEvents("java-ev2", name).isEmpty());
        }
        // Give any duplicate a chance to show up: a full push/pull round would replay the ring.
        j1.memberlist().join(List.of(g1.joinAddress()));
        j2.memberlist().join(List.of(g2.joinAddress()));
        for (String name : List.of("from-go", "from-go-nc", "from-java", "from-java-nc")) {
            for (String node : List.of("java-ev1", "java-ev2")) {
                assertThat(userEvents(node, name)).as(name + " on " + node).hasSize(1);
            }
            for (String node : List.of("go-ev1", "go-ev2")) {
                assertThat(handlerLog().stream().filter(l -> l.startsWith(node + "|user|" + name + "|"))).as(name + " on " + node).hasSize(1);
            }
        }
        assertThat(userEvents("java-ev1", "from-go").get(0).payload()).isEqualTo("gp".getBytes(StandardCharsets.UTF_8));
        assertThat(userEvents("java-ev2", "from-go-nc").get(0).coalesce()).isFalse();
    }

    @Test
    void queriesFromEitherSideCollectAcksAndResponsesFromBoth() throws Exception {
        GoSerfAgent g = go("go-q", "-tag", "role=db");
        Serf j1 = java("java-q1", c -> c.tags(Map.of("role", "web")));
        Serf j2 = java("java-q2", c -> c.tags(Map.of("role", "web")));
        formCluster(g, j1, j2);

        QueryResponse r = j1.query("load", "pl".getBytes(StandardCharsets.UTF_8),
                j1.defaultQueryParams().withAck(true).withTimeout(Duration.ofSeconds(3)));
        assertThat(r.awaitAcks()).containsExactlyInAnyOrder("go-q", "java-q1", "java-q2");
        Map<String, String> resp = new HashMap<>();
        for (NodeResponse nr : r.awaitResponses()) {
            resp.put(nr.from(), new String(nr.payload(), StandardCharsets.UTF_8).trim());
        }
        assertThat(resp).containsEntry("go-q", "go-go-q").containsEntry("java-q1", "java-java-q1").containsEntry("java-q2", "java-java-q2");

        QueryResponse byTag = j2.query("load", null, j2.defaultQueryParams().withFilterTags(Map.of("role", "^web$"))
                .withTimeout(Duration.ofSeconds(3)));
        assertThat(byTag.awaitResponses()).extracting(NodeResponse::from).containsExactlyInAnyOrder("java-q1", "java-q2");
        QueryResponse byNode = j2.query("load", null, j2.defaultQueryParams().withFilterNodes(List.of("go-q"))
                .withTimeout(Duration.ofSeconds(3)));
        assertThat(byNode.awaitResponses()).extracting(NodeResponse::from).containsExactly("go-q");

        // From the Go side: its CLI collects our acks and responses.
        GoSerfAgent.CliResult out = g.cli("query", "-format=json", "-timeout=3s", "load", "from-go");
        assertThat(out.exitCode()).as(out.output()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(out.output());
        assertThat((List<Object>) json.get("Acks")).contains("java-q1", "java-q2", "go-q");
        assertThat((Map<String, Object>) json.get("Responses")).containsEntry("java-q1", "java-java-q1")
                .containsEntry("java-q2", "java-java-q2");
        GoSerfAgent.CliResult filtered = g.cli("query", "-format=json", "-timeout=3s", "-tag", "role=web", "-node", "java-q2", "load");
        @SuppressWarnings("unchecked")
        Map<String, Object> fjson = (Map<String, Object>) Json.parse(filtered.output());
        assertThat(((Map<String, Object>) fjson.get("Responses")).keySet()).containsExactly("java-q2");
    }

    @Test
    void leaveAndForceLeaveShowTheRightStatusEverywhere() throws Exception {
        GoSerfAgent g1 = go("go-l1");
        GoSerfAgent g2 = go("go-l2");
        Serf j1 = java("java-l1");
        Serf j2 = java("java-l2");
        Serf j3 = java("java-l3");
        assertThat(g2.cli("join", g1.joinAddress()).exitCode()).isZero();
        formCluster(g1, j1, j2, j3);

        j2.leave();
        j2.shutdown();
        Poll.until("java-l2 left on the Go agents", Duration.ofSeconds(15),
                () -> "left".equals(status(g1, "java-l2")) && "left".equals(status(g2, "java-l2")));
        Poll.until("java-l2 left on java-l1", Duration.ofSeconds(15), () -> status(j1, "java-l2") == MemberStatus.LEFT);

        assertThat(g2.cli("leave").exitCode()).isZero();
        Poll.until("go-l2 left on the Java nodes", Duration.ofSeconds(15),
                () -> status(j1, "go-l2") == MemberStatus.LEFT && status(j3, "go-l2") == MemberStatus.LEFT);

        j3.shutdown(); // a crash: no leave
        Poll.until("java-l3 failed on go-l1 and java-l1", Duration.ofSeconds(30),
                () -> "failed".equals(status(g1, "java-l3")) && status(j1, "java-l3") == MemberStatus.FAILED);
        assertThat(g1.cli("force-leave", "java-l3").exitCode()).isZero();
        Poll.until("java-l3 left after force-leave", Duration.ofSeconds(15),
                () -> "left".equals(status(g1, "java-l3")) && status(j1, "java-l3") == MemberStatus.LEFT);
    }

    @Test
    void keyRotationDrivenByTheGoCliReachesJavaNodes() throws Exception {
        byte[] k1 = Keys.generate();
        byte[] k2 = Keys.generate();
        String b1 = Base64.getEncoder().encodeToString(k1);
        String b2 = Base64.getEncoder().encodeToString(k2);
        GoSerfAgent g = go("go-k", "-encrypt=" + b1);
        Path keyring = dir.resolve("java-k.keyring");
        Serf j = java("java-k", c -> {
            c.memberlistConfig().secretKey(k1);
            return c.keyringFile(keyring.toString());
        });
        formCluster(g, j);
        assertThat(j.encryptionEnabled()).isTrue();

        GoSerfAgent.CliResult install = g.cli("keys", "-install", b2);
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(j.memberlist().keyring().keys()).extracting(Base64.getEncoder()::encodeToString).containsExactly(b1, b2);
        assertThat(g.cli("keys", "-use", b2).exitCode()).isZero();
        assertThat(Base64.getEncoder().encodeToString(j.memberlist().keyring().primaryKey())).isEqualTo(b2);
        assertThat(g.cli("keys", "-remove", b1).exitCode()).isZero();
        assertThat(j.memberlist().keyring().keys()).extracting(Base64.getEncoder()::encodeToString).containsExactly(b2);
        assertThat(serf.crypto.KeyringFile.read(keyring)).extracting(Base64.getEncoder()::encodeToString).containsExactly(b2);

        GoSerfAgent.CliResult list = g.cli("keys", "-list");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.output()).containsPattern(java.util.regex.Pattern.quote(b2) + "\\s+\\[2/2\\]");
        KeyResponse fromJava = j.keyManager().listKeys();
        assertThat(fromJava.ok()).isTrue();
        assertThat(fromJava.keys()).containsEntry(b2, 2);
        assertThat(fromJava.numResp()).isEqualTo(2);
        // The cluster still talks after the rotation: a Java event reaches the Go agent.
        j.userEvent("after-rotation", null, false);
        Poll.until("the event after rotation on the Go agent", Duration.ofSeconds(10),
                () -> handlerLog().stream().anyMatch(l -> l.contains("|user|after-rotation|")));
    }

    @Test
    void goRttEstimatesTheDistanceToAJavaNode() throws Exception {
        GoSerfAgent g = go("go-rtt");
        Serf j = java("java-rtt");
        formCluster(g, j);
        // Coordinates ride on probe acks (one probe per second per node): wait until both sides have one.
        Poll.until("the Go agent to have a coordinate for java-rtt", Duration.ofSeconds(20), () -> {
            try {
                GoSerfAgent.CliResult r = g.cli("rtt", "java-rtt");
                return r.exitCode() == 0 && r.output().contains("Estimated java-rtt <-> go-rtt rtt:");
            } catch (IOException e) {
                return false;
            }
        });
        Poll.until("java to cache go's coordinate", Duration.ofSeconds(20), () -> j.getCachedCoordinate("go-rtt").isPresent());
        LOG.log(System.Logger.Level.INFO, "Go's estimate: " + g.cli("rtt", "java-rtt").output().trim());
    }
}
