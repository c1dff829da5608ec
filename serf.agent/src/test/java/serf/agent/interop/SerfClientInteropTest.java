package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import serf.client.AgentException;
import serf.client.ClientConfig;
import serf.client.Coordinate;
import serf.client.KeyResponse;
import serf.client.Member;
import serf.client.QueryParams;
import serf.client.QueryResult;
import serf.client.SerfClient;
import serf.client.StreamEvent;
import serf.client.Subscription;
import serf.testkit.Poll;

/**
 * The public client (serf.client) against a real agent, ours and the Go one: a two-node encrypted
 * cluster driven only through {@link SerfClient}, every command of the RPC protocol once.
 */
class SerfClientInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @ParameterizedTest
    @EnumSource(AgentProcess.Impl.class)
    void everyCommandAgainstTheAgent(AgentProcess.Impl impl, @TempDir Path dir) throws Exception {
        assumeTrue(impl == AgentProcess.Impl.OURS || AgentProcess.goAvailable(), "/usr/bin/serf not installed");
        try (AgentProcess a = AgentProcess.launch(impl, "a", dir, "-encrypt=" + KEY, "-log-level=debug", "-tag", "role=web");
             AgentProcess b = AgentProcess.launch(impl, "b", dir, "-encrypt=" + KEY)) {
            a.awaitRunning();
            b.awaitRunning();
            try (SerfClient ca = SerfClient.connect(a.rpcAddress());
                 SerfClient cb = SerfClient.connect(ClientConfig.of(b.rpcAddress()).withTimeout(Duration.ofSeconds(5)))) {
                // join, members, members-filtered
                assertThat(ca.join(List.of(b.gossipAddress()), false)).isEqualTo(1);
                Poll.until("both alive", WAIT, () -> alive(ca) == 2 && alive(cb) == 2);
                Member ma = ca.membersFiltered(Map.of("role", "w.b"), "alive", "").getFirst();
                assertThat(ma.name()).isEqualTo("a");
                assertThat(ma.address()).hasValueSatisfying(ip -> assertThat(ip.getHostAddress()).isEqualTo("127.0.0.1"));
                assertThat(ma.port()).isEqualTo(a.bindPort());
                assertThat(ma.tags()).containsEntry("role", "web");
                assertThat(ma.delegateCur()).isBetween(2, 5);
                assertThat(ca.membersFiltered(null, null, "b")).extracting(Member::name).containsExactly("b");
                assertThat(ca.membersFiltered(Map.of("role", "w"), "", "")).isEmpty();

                // tags
                ca.updateTags(Map.of("dc", "east"), List.of("role"));
                Poll.until("b sees a's new tags", WAIT, () -> tagsOf(cb, "a").equals(Map.of("dc", "east")));

                // stream: a user event sent through a reaches b's subscriber
                ConcurrentLinkedQueue<StreamEvent> events = new ConcurrentLinkedQueue<>();
                try (Subscription s = cb.stream("user:deploy,member-leave", events::add)) {
                    ca.userEvent("other", null, false);
                    ca.userEvent("deploy", "v2".getBytes(StandardCharsets.UTF_8), true);
                    Poll.until("the deploy event at b", WAIT, () -> !events.isEmpty());
                    StreamEvent.UserEvent e = (StreamEvent.UserEvent) events.peek();
                    assertThat(e.name()).isEqualTo("deploy");
                    assertThat(new String(e.payload(), StandardCharsets.UTF_8)).isEqualTo("v2");
                    assertThat(e.coalesce()).isTrue();
                    assertThat(s.dropped()).isZero();
                }
                assertThatThrownBy(() -> cb.stream("no-such-event", e -> { }))
                        .isInstanceOf(AgentException.class).hasMessage("Invalid event filter");

                // query: b answers through its own event stream; acks and the response arrive as
                // they come, and the query ends early once they are in
                try (Subscription answering = cb.stream("query:ping", ev -> {
                    if (ev instanceof StreamEvent.QueryEvent q) {
                        try {
                            cb.respond(q.id(), ("pong:" + new String(q.payload(), StandardCharsets.UTF_8))
                                    .getBytes(StandardCharsets.UTF_8));
                        } catch (Exception ex) {
                            throw new IllegalStateException(ex);
                        }
                    }
                })) {
                    CopyOnWriteArrayList<QueryResult> results = new CopyOnWriteArrayList<>();
                    long start = System.nanoTime();
                    Subscription q = ca.query(QueryParams.of("ping", "x".getBytes(StandardCharsets.UTF_8))
                            .withTimeout(Duration.ofSeconds(30)).withFilterNodes(List.of("a", "b")), results::add);
                    Poll.until("two acks and b's response", WAIT, () -> results.stream().filter(r -> r instanceof QueryResult.Ack).count() == 2
                            && results.stream().anyMatch(r -> r instanceof QueryResult.Response));
                    q.close();
                    assertThat(q.awaitDone(Duration.ofSeconds(5))).isTrue();
                    assertThat(q.stoppedLocally()).isTrue();
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
                    assertThat(results).filteredOn(r -> r instanceof QueryResult.Ack).extracting(QueryResult::from)
                            .containsExactlyInAnyOrder("a", "b");
                    QueryResult.Response resp = (QueryResult.Response) results.stream()
                            .filter(r -> r instanceof QueryResult.Response).findFirst().orElseThrow();
                    assertThat(resp.from()).isEqualTo("b");
                    assertThat(new String(resp.payload(), StandardCharsets.UTF_8)).isEqualTo("pong:x");
                }
                // a short query without acks ends by itself
                List<QueryResult> none = new CopyOnWriteArrayList<>();
                Subscription quick = ca.query(QueryParams.of("nobody-answers", null).withRequestAck(false)
                        .withTimeout(Duration.ofMillis(300)), none::add);
                assertThat(quick.awaitDone(Duration.ofSeconds(10))).isTrue();
                assertThat(quick.stoppedLocally()).isFalse();
                assertThat(none).isEmpty();

                // monitor: the agent's recent debug lines
                ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
                try (Subscription m = ca.monitor("debug", lines::add)) {
                    Poll.until("log lines", WAIT, () -> lines.stream().anyMatch(l -> l.contains("[DEBUG]") || l.contains("[INFO]")));
                }
                assertThatThrownBy(() -> ca.monitor("loud", l -> { })).isInstanceOf(AgentException.class);

                // keys
                KeyResponse listed = ca.listKeys();
                assertThat(listed.keys()).containsEntry(KEY, 2L);
                assertThat(listed.numNodes()).isEqualTo(2);
                String second = Base64.getEncoder().encodeToString(new byte[] {
                        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
                        27, 28, 29, 30, 31, 32});
                assertThat(ca.installKey(second).numResp()).isEqualTo(2);
                assertThat(ca.useKey(second).numErr()).isZero();
                assertThat(ca.removeKey(KEY).messages()).isEmpty();
                assertThat(cb.listKeys().keys()).containsOnlyKeys(second);

                // stats and coordinates
                Map<String, Map<String, String>> stats = cb.stats();
                assertThat(stats.get("agent")).containsEntry("name", "b");
                assertThat(stats.get("serf")).containsEntry("members", "2");
                Poll.until("a coordinate for b", WAIT, () -> coordinate(ca, "b").isPresent());
                assertThat(coordinate(ca, "b").orElseThrow().vec()).hasSize(8);
                assertThat(ca.getCoordinate("no-such-node")).isEmpty();

                // force-leave of a live node is harmless; leave stops the agent
                ca.forceLeave("no-such-node");
                cb.leave();
                assertThat(b.awaitExit(WAIT)).isPresent();
                Poll.until("a sees b left", WAIT, () -> statusOf(ca, "b").equals("left"));
                ca.forceLeavePrune("b");
            }
        }
    }

    private static long alive(SerfClient c) {
        try {
            return c.members().stream().filter(m -> m.status().equals("alive")).count();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Map<String, String> tagsOf(SerfClient c, String node) {
        try {
            return c.membersFiltered(null, null, node).stream().findFirst().map(Member::tagsOrEmpty).orElse(Map.of());
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static String statusOf(SerfClient c, String node) {
        try {
            return c.membersFiltered(null, null, node).stream().findFirst().map(Member::status).orElse("");
        } catch (Exception e) {
            return "";
        }
    }

    private static Optional<Coordinate> coordinate(SerfClient c, String node) {
        try {
            return c.getCoordinate(node);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
