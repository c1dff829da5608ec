package serf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short version of the simulator's scale run (bench/sim/run.sh has the long one): a few hundred
 * Serf nodes all join one node at once, reach a full view, and a user event reaches 99.9% of them
 * within the 2 s Serf's convergence model gives for a LAN profile.
 */
class SimScaleTest {
    private static final int N = 500;

    @Test
    void aJoinStormConvergesAndAnEventSpreadsInTime() throws Exception {
        try (Simulation sim = Simulation.builder().seed(2026).checkInterval(Duration.ofMillis(250)).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(N, cfg -> { });
            c.joinAllTo(0);
            assertThat(c.runUntilFullView(Duration.ofMinutes(5))).as("full view of %d nodes", N).isTrue();

            // Steady state first: right after a join storm every node still gossips hundreds of join
            // intents, which go before user events in Serf's broadcasts (as in Go).
            assertThat(sim.runUntil(() -> c.nodes.stream().allMatch(s -> "0".equals(s.stats().get("intent_queue"))),
                    Duration.ofMinutes(2))).as("intent queues drained").isTrue();
            long sentAt = sim.elapsed().toNanos();
            c.nodes.get(N / 3).userEvent("scale", new byte[0], false);
            sim.runFor(Duration.ofSeconds(5));
            Map<String, Long> got = c.userEvents.getOrDefault("scale", Map.of());
            long[] delays = got.values().stream().mapToLong(t -> t - sentAt).sorted().toArray();
            assertThat(delays.length).as("nodes that got the event").isEqualTo(N);
            long p999 = delays[(int) Math.ceil(0.999 * N) - 1];
            assertThat(Duration.ofNanos(p999)).as("p99.9 of %s", Arrays.toString(Arrays.copyOfRange(delays, N - 5, N)))
                    .isLessThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(sim.foreignThreadCalls()).isZero();
        }
    }
}
