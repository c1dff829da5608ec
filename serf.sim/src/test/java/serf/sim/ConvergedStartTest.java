package serf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import serf.api.Event;
import serf.api.EventType;
import serf.api.Member;
import serf.api.Serf;

/** {@link Simulation#converge()}: a cluster as long after its joins, without their traffic. */
class ConvergedStartTest {
    /** Thousands of nodes would log a line per member each at INFO. */
    private static final System.Logger QUIET = new serf.testkit.WarningsOnlyLogger("serf.sim.node");

    private static final int N = 200;

    private record Run(long digest, long packets, Map<String, Long> eventAt) { }

    private static Run run(long seed) throws Exception {
        serf.testkit.RecordingLogger log = new serf.testkit.RecordingLogger();
        try (Simulation sim = Simulation.builder().nodeLogger(log).seed(seed).build()) {
            Map<String, Integer> joinsSeen = new ConcurrentHashMap<>();
            AtomicLong failures = new AtomicLong();
            SimCluster c = new SimCluster(sim);
            c.start(N, cfg -> cfg.tags(Map.of("role", "r" + c.nodes.size())).eventSink(e -> {
                if (e instanceof Event.MemberEvent m && m.type() == EventType.MEMBER_JOIN) {
                    joinsSeen.merge(cfg.nodeName(), m.members().size(), Integer::sum);
                } else if (e instanceof Event.MemberEvent m && m.type() == EventType.MEMBER_FAILED) {
                    failures.addAndGet(m.members().size());
                } else if (e instanceof Event.UserEvent u) {
                    c.userEvents.computeIfAbsent(u.name(), k -> new java.util.TreeMap<>())
                            .putIfAbsent(cfg.nodeName(), sim.elapsed().toNanos());
                }
            }));

            sim.converge();

            // At once: every node has every other, with its tags, and no packet or virtual time was spent.
            assertThat(sim.elapsed()).isZero();
            // A node handed its own state among the others takes it as news of nothing: no refutation.
            assertThat(log.count("Refuting")).isZero();
            assertThat(sim.network().packetsSent()).isZero();
            assertThat(sim.network().streams()).isZero();
            assertThat(c.fullView()).isTrue();
            Serf some = c.nodes.get(17);
            assertThat(some.members()).filteredOn(m -> m.name().equals("node-150"))
                    .extracting(Member::tags).containsExactly(Map.of("role", "r150"));
            // Each node's sink was told of the others joining (itself included, as at its own start).
            assertThat(joinsSeen).hasSize(N).allSatisfy((name, count) -> assertThat(count).isEqualTo(N));
            // Nothing left to gossip about the joins: Serf's queues are empty, and memberlist's too, for in the
            // first second only probes go out (a ping and an ack per node, where queued alive messages would
            // fill 3 packets per node every 200 ms).
            assertThat(c.nodes).allSatisfy(s ->
                    assertThat(s.stats()).containsEntry("intent_queue", "0").containsEntry("event_queue", "0"));
            sim.runFor(Duration.ofSeconds(1));
            assertThat(sim.network().packetsSent()).isLessThan(3L * N);

            // Steady state: probes and no false failure; then an event reaches everybody.
            sim.runFor(Duration.ofSeconds(30));
            assertThat(failures.get()).isZero();
            assertThat(c.fullView()).isTrue();
            long sentAt = sim.elapsed().toNanos();
            c.nodes.get(42).userEvent("hello", new byte[0], false);
            assertThat(sim.runUntil(() -> c.userEvents.getOrDefault("hello", Map.of()).size() == N,
                    Duration.ofSeconds(5))).isTrue();
            long last = c.userEvents.get("hello").values().stream().mapToLong(t -> t - sentAt).max().orElseThrow();
            assertThat(Duration.ofNanos(last)).isLessThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(sim.foreignThreadCalls()).isZero();
            return new Run(sim.traceDigest(), sim.network().packetsSent(), c.userEvents.get("hello"));
        }
    }

    @Test
    void everyNodeKnowsEveryOtherAtOnceAndTheClusterRunsOnFromThere() throws Exception {
        Run a = run(11);
        Run b = run(11);
        assertThat(b).isEqualTo(a);
        assertThat(a.packets()).isPositive();
    }

    @Test
    void aCrashedNodeIsLeftOutAndNodesAddedLaterJoinAsUsual() throws Exception {
        try (Simulation sim = Simulation.builder().nodeLogger(QUIET).seed(3).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(10, cfg -> { });
            sim.crash("node-9");
            sim.converge();
            assertThat(c.nodes.get(0).members()).extracting(Member::name).hasSize(9).doesNotContain("node-9");
            assertThat(c.nodes.get(9).members()).extracting(Member::name).containsExactly("node-9");

            Serf late = sim.addSerf("late");
            late.join(List.of(sim.joinAddress("node-3")), false);
            assertThat(sim.runUntil(() -> c.nodes.subList(0, 9).stream().allMatch(s -> s.members().size() == 10)
                    && late.members().size() == 10, Duration.ofSeconds(30))).isTrue();
        }
    }
}
