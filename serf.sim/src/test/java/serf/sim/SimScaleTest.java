package serf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short version of the simulator's scale run (bench/sim/run.sh has the long one): a few hundred
 * Serf nodes all join one node at once, reach a full view, and a user event reaches 99.9% of them
 * within the 2 s Serf's convergence model gives for a LAN profile; and 2,000 nodes from a converged start.
 */
class SimScaleTest {
    /** Thousands of nodes would log a line per member each at INFO. */
    private static final System.Logger QUIET = new serf.testkit.WarningsOnlyLogger("serf.sim.node");

    private static final int N = 500;

    /**
     * The CI version of the 10,000-node run: 1,950 nodes from a converged start, 50 more joining it at
     * once, each at a random node of it; the full view, then a user event at 99.9% within 2.2 s.
     */
    @Test
    void twoThousandNodesFromAConvergedStartTakeJoinersAndSpreadAnEvent() throws Exception {
        int n = 2_000;
        int late = 50;
        try (Simulation sim = Simulation.builder().nodeLogger(QUIET).seed(2027).checkInterval(Duration.ofMillis(250)).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(n - late, cfg -> cfg.memberlistConfig(cfg.memberlistConfig().enableCompression(false)));
            sim.converge();
            java.util.Random pick = new java.util.Random(1);
            c.start(late, cfg -> cfg.memberlistConfig(cfg.memberlistConfig().enableCompression(false)));
            for (int i = n - late; i < n; i++) {
                c.nodes.get(i).join(java.util.List.of(sim.joinAddress(SimCluster.name(pick.nextInt(n - late)))), false);
            }
            assertThat(c.runUntilFullView(Duration.ofSeconds(60))).as("full view of %d nodes", n).isTrue();
            assertThat(sim.runUntil(() -> c.nodes.stream().allMatch(s -> "0".equals(s.stats().get("intent_queue"))),
                    Duration.ofMinutes(2))).as("intent queues drained").isTrue();
            assertEventSpreads(sim, c, n, "converged", Duration.ofMillis(2_200));
        }
    }

    private static void assertEventSpreads(Simulation sim, SimCluster c, int n, String name, Duration p999Limit)
            throws Exception {
        long sentAt = sim.elapsed().toNanos();
        c.nodes.get(n / 3).userEvent(name, new byte[0], false);
        sim.runFor(Duration.ofSeconds(5));
        Map<String, Long> got = c.userEvents.getOrDefault(name, Map.of());
        long[] delays = got.values().stream().mapToLong(t -> t - sentAt).sorted().toArray();
        assertThat(delays.length).as("nodes that got the event").isEqualTo(n);
        long p999 = delays[(int) Math.ceil(0.999 * n) - 1];
        assertThat(Duration.ofNanos(p999)).as("p99.9 of %s", Arrays.toString(Arrays.copyOfRange(delays, n - 5, n)))
                .isLessThanOrEqualTo(p999Limit);
        assertThat(sim.foreignThreadCalls()).isZero();
    }

    @Test
    void aJoinStormConvergesAndAnEventSpreadsInTime() throws Exception {
        try (Simulation sim = Simulation.builder().nodeLogger(QUIET).seed(2026).checkInterval(Duration.ofMillis(250)).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(N, cfg -> { });
            c.joinAllTo(0);
            assertThat(c.runUntilFullView(Duration.ofMinutes(5))).as("full view of %d nodes", N).isTrue();

            // Steady state first: right after a join storm every node still gossips hundreds of join
            // intents, which go before user events in Serf's broadcasts (as in Go).
            assertThat(sim.runUntil(() -> c.nodes.stream().allMatch(s -> "0".equals(s.stats().get("intent_queue"))),
                    Duration.ofMinutes(2))).as("intent queues drained").isTrue();
            assertEventSpreads(sim, c, N, "scale", Duration.ofSeconds(2));
        }
    }
}
