package serf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import serf.api.MemberStatus;
import serf.api.Serf;
import serf.testkit.ThreadNames;

class SimulationTest {
    /** LAN memberlist: SuspicionMult 4, ProbeInterval 1 s, SuspicionMaxTimeoutMult 6. */
    private static Duration minSuspicion(int n) {
        return Duration.ofMillis((long) (4 * Math.max(1, Math.log10(n)) * 1000));
    }

    private static Duration maxSuspicion(int n) {
        return minSuspicion(n).multipliedBy(6);
    }

    /** One scripted run: joins, an event under loss, a crash, a partition and its healing. */
    private record Outcome(long digest, Map<String, Map<String, Long>> events, long packets) { }

    private static Outcome scriptedRun(long seed) throws Exception {
        try (Simulation sim = Simulation.builder().seed(seed).link(LinkProfile.lan().withLoss(0.05)).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(20, cfg -> { });
            c.joinAllTo(0);
            assertThat(c.runUntilFullView(Duration.ofSeconds(60))).isTrue();
            c.nodes.get(7).userEvent("deploy", "v2".getBytes(StandardCharsets.UTF_8), false);
            sim.runFor(Duration.ofSeconds(5));
            sim.crash("node-13");
            sim.runFor(Duration.ofSeconds(30));
            sim.partition(Set.of("node-1", "node-2", "node-3"));
            sim.runFor(Duration.ofSeconds(20));
            sim.heal();
            sim.runFor(Duration.ofSeconds(60));
            assertThat(sim.foreignThreadCalls()).isZero();
            return new Outcome(sim.traceDigest(), c.userEvents, sim.network().packetsSent());
        }
    }

    @Test
    void sameSeedSameRunOtherSeedOtherRun() throws Exception {
        Outcome a = scriptedRun(42);
        Outcome b = scriptedRun(42);
        Outcome c = scriptedRun(43);
        assertThat(b.digest()).isEqualTo(a.digest());
        assertThat(b.events()).isEqualTo(a.events());
        assertThat(b.packets()).isEqualTo(a.packets());
        assertThat(a.events().get("deploy")).hasSize(20);
        assertThat(c.digest()).isNotEqualTo(a.digest());
    }

    /** Gossip of an idle node sleeps through rounds with nothing queued, yet counts them and wakes for a broadcast. */
    @Test
    void idleGossipSleepsCountsItsRoundsAndWakesForAnEvent() throws Exception {
        try (Simulation sim = Simulation.builder().seed(5).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(8, cfg -> { });
            c.joinAllTo(0);
            assertThat(c.runUntilFullView(Duration.ofSeconds(30))).isTrue();
            sim.runFor(Duration.ofSeconds(60)); // the join's broadcasts leave the queues
            long rounds0 = gossipRounds(c.nodes.get(3));
            long events0 = sim.eventsRun();
            sim.runFor(Duration.ofSeconds(30));
            // 30 s of 200 ms rounds, each counted (slept ones as rounds of no duration), as Go's ticker runs them.
            assertThat(gossipRounds(c.nodes.get(3)) - rounds0).isBetween(145L, 155L);
            long idleEvents = sim.eventsRun() - events0;

            long sent = sim.elapsed().toNanos();
            c.nodes.get(5).userEvent("wake", new byte[0], false);
            assertThat(sim.runUntil(() -> c.userEvents.getOrDefault("wake", Map.of()).size() == 8, Duration.ofSeconds(5))).isTrue();
            long spreadMillis = (c.userEvents.get("wake").values().stream().mapToLong(Long::longValue).max().orElseThrow() - sent) / 1_000_000;
            // Gossip rounds every 200 ms once woken: a few rounds, not seconds of sleeping strides.
            assertThat(spreadMillis).isLessThan(1500);
            // Idle, the simulator ran about one gossip tick a second per node besides the probes: 1,248
            // events in these 30 s, against 2,208 with a tick every round (measured with a stride of 1).
            assertThat(idleEvents).isLessThan(1700);
        }
    }

    private static long gossipRounds(Serf s) {
        return s.metrics().snapshot().values().stream().filter(v -> v.name().equals("memberlist.gossip"))
                .mapToLong(v -> ((serf.memberlist.metrics.SampleValue) v).count()).sum();
    }

    @Test
    void nodesStartNoThreadsAndNothingFails() throws Exception {
        try (Simulation sim = Simulation.builder().seed(1).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(5, cfg -> { });
            c.joinAllTo(0);
            assertThat(c.runUntilFullView(Duration.ofSeconds(10))).isTrue();
            sim.runFor(Duration.ofSeconds(30));
            if (ThreadNames.includesVirtualThreads()) {
                assertThat(ThreadNames.liveStartingWith("serf-")).isEmpty();
                assertThat(ThreadNames.liveStartingWith("memberlist-")).isEmpty();
            }
            assertThat(sim.foreignThreadCalls()).isZero();
            assertThat(sim.taskFailures()).isZero();
        }
    }

    @Test
    void nodesOfOneSimulationShareEqualMemberValues() throws Exception {
        try (Simulation sim = Simulation.builder().seed(2).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(3, cfg -> { });
            c.joinAllTo(0);
            assertThat(c.runUntilFullView(Duration.ofSeconds(10))).isTrue();
            serf.api.Member seenBy0 = c.nodes.get(0).members().stream().filter(m -> m.name().equals("node-2")).findFirst().orElseThrow();
            serf.api.Member seenBy1 = c.nodes.get(1).members().stream().filter(m -> m.name().equals("node-2")).findFirst().orElseThrow();
            assertThat(seenBy1).as("one instance for both views").isSameAs(seenBy0);
        }
    }

    @Test
    void aCrashedNodeIsDeclaredFailedWithinTheSuspicionBounds() throws Exception {
        int n = 10;
        try (Simulation sim = Simulation.builder().seed(5).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(n, cfg -> { });
            c.joinAllTo(0);
            assertThat(c.runUntilFullView(Duration.ofSeconds(10))).isTrue();
            sim.crash("node-4");
            long crashedAt = sim.elapsed().toNanos();
            // Nobody may declare it failed before the shortest suspicion timeout has run.
            sim.runFor(minSuspicion(n).minusMillis(1));
            for (int i = 0; i < n; i++) {
                if (i != 4) {
                    assertThat(c.statusOf(c.nodes.get(i), "node-4")).isEqualTo(MemberStatus.ALIVE);
                }
            }
            // Everyone must have by the longest one, plus a probe round per node to notice.
            Duration bound = maxSuspicion(n).plusSeconds(n);
            boolean failed = sim.runUntil(() -> IntStream.range(0, n).filter(i -> i != 4)
                    .allMatch(i -> c.statusOf(c.nodes.get(i), "node-4") == MemberStatus.FAILED), bound);
            assertThat(failed).as("all saw node-4 failed within %s of the crash", bound).isTrue();
            assertThat(sim.elapsed().toNanos() - crashedAt).isGreaterThanOrEqualTo(minSuspicion(n).toNanos());
        }
    }

    @Test
    void aPartitionSplitsTheViewAndHealingJoinsItAgain() throws Exception {
        int n = 10;
        try (Simulation sim = Simulation.builder().seed(9).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(n, cfg -> { });
            c.joinAllTo(0);
            assertThat(c.runUntilFullView(Duration.ofSeconds(10))).isTrue();
            List<String> left = List.of("node-0", "node-1", "node-2", "node-3", "node-4");
            sim.partition(left);
            boolean split = sim.runUntil(() -> IntStream.range(0, n).allMatch(i -> {
                boolean inLeft = i < 5;
                return IntStream.range(0, n).filter(j -> (j < 5) != inLeft)
                        .allMatch(j -> c.statusOf(c.nodes.get(i), SimCluster.name(j)) == MemberStatus.FAILED);
            }), maxSuspicion(n).plusSeconds(n));
            assertThat(split).as("each side saw the other failed").isTrue();
            sim.heal();
            // Serf's reconnector tries failed members every ReconnectInterval (30 s); with half the
            // cluster failed its probability is 1, so a few intervals are enough.
            assertThat(c.runUntilFullView(Duration.ofSeconds(150))).as("full view after healing").isTrue();
        }
    }

    @Test
    void aUserEventReachesEveryoneDespiteLoss() throws Exception {
        int n = 30;
        try (Simulation sim = Simulation.builder().seed(3).link(LinkProfile.lan().withLoss(0.10)).build()) {
            SimCluster c = new SimCluster(sim);
            c.start(n, cfg -> { });
            c.joinAllTo(0);
            assertThat(c.runUntilFullView(Duration.ofSeconds(60))).isTrue();
            Serf sender = c.nodes.get(17);
            long sentAt = sim.elapsed().toNanos();
            sender.userEvent("hello", new byte[0], false);
            assertThat(sim.runUntil(() -> c.userEvents.getOrDefault("hello", Map.of()).size() == n,
                    Duration.ofSeconds(5))).isTrue();
            long last = c.userEvents.get("hello").values().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(Duration.ofNanos(last - sentAt)).isLessThan(Duration.ofSeconds(3));
            assertThat(sim.network().packetsLost()).isPositive();
        }
    }
}
