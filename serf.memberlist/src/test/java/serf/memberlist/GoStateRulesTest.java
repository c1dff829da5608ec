package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;
import static serf.memberlist.CoreFixture.SELF;
import static serf.memberlist.CoreFixture.alive;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.WireOptions;
import serf.wire.InputBudget;

/**
 * The cases of Go's memberlist state_test.go, suspicion_test.go, awareness_test.go and util_test.go
 * that no other class here checks, one input at a time: the suspicion timeouts of the "dogpile"
 * table, the remaining-time and awareness tables, the TCP fallback rules, gossip to the recently
 * dead, and gossip and periodic push/pull each carrying news on their own between whole nodes in
 * virtual time. docs/protocol/rule-tests.md maps every Go case to the test that checks it.
 */
class GoStateRulesTest {
    private static final long MS = 1_000_000L;

    // ---- suspicion timeouts -------------------------------------------------------------------

    /**
     * Go's dogpile table: probe interval 100 ms, SuspicionMult 5, SuspicionMaxTimeoutMult 2. A node
     * this one failed to probe is suspected by this node itself; then {@code confirmations} other
     * nodes say the same. {peers besides self, confirmations, timeout in ms}.
     */
    @Test
    void theDogpileTableOfSuspicionTimeouts() {
        long[][] cases = {
            {1, 0, 500}, // n = 2: k = 3 is more than n − 2, so no confirmations are wanted
            {2, 0, 500},
            {3, 0, 500},
            {4, 0, 1000}, // n = 5: the maximum applies from here on
            {5, 0, 1000},
            {5, 1, 750},
            {5, 2, 603}, // 1 s − log 3 / log 4 × 0.5 s = 603.76 ms, floored to the millisecond (Go's table says ≈604)
            {5, 3, 500},
            {5, 4, 500},
        };
        for (long[] c : cases) {
            int peers = (int) c[0];
            int confirmations = (int) c[1];
            long expected = c[2] * MS;
            CoreFixture f = new CoreFixture(cfg -> cfg.probeTimeout(Duration.ofMillis(1)).probeInterval(Duration.ofMillis(100))
                    .suspicionMult(5).suspicionMaxTimeoutMult(2));
            f.bootstrapSelf();
            for (int i = 0; i < peers - 1; i++) {
                f.state.aliveNode(alive("peer" + i, 10 + i, 1), null, false);
            }
            f.state.aliveNode(alive("silent", 99, 1), null, false);
            long start = f.clock.nanoTime();
            // What a failed probe round does: this node suspects the target.
            f.state.suspectNode(new Message.Suspect(1, "silent", SELF));
            assertThat(f.stateOf("silent")).isEqualTo(NodeState.SUSPECT);
            for (int j = 0; j < confirmations; j++) {
                f.state.suspectNode(new Message.Suspect(1, "silent", "confirmer" + j));
            }
            String label = peers + " peers, " + confirmations + " confirmations";
            assertThat(f.armed.get("silent") - start).as(label).isEqualTo(expected);

            f.clock.advance(Duration.ofNanos(expected - MS));
            f.state.suspicionTimerFired("silent");
            assertThat(f.stateOf("silent")).as(label + ": a millisecond early").isEqualTo(NodeState.SUSPECT);
            f.fireSuspicionAtDeadline("silent");
            assertThat(f.stateOf("silent")).as(label + ": at the deadline").isEqualTo(NodeState.DEAD);
        }
    }

    /**
     * Go's remainingSuspicionTime table (min 2 s, max 30 s, k = 3): {confirmations, elapsed ms,
     * remaining ms}. Our suspicion keeps an absolute deadline; what remains is that deadline minus now.
     */
    @Test
    void theRemainingSuspicionTimeTable() {
        long[][] cases = {
            {0, 0, 30_000},
            {1, 2_000, 14_000},
            {2, 3_000, 4_810},
            {3, 4_000, -2_000},
            {4, 5_000, -3_000},
            {5, 10_000, -8_000},
        };
        long start = 7_000 * MS;
        for (long[] c : cases) {
            Suspicion s = new Suspicion("accuser", 3, Duration.ofSeconds(2), Duration.ofSeconds(30), start);
            for (int i = 0; i < c[0]; i++) {
                s.confirm("peer" + i);
            }
            long now = start + c[1] * MS;
            assertThat(s.deadlineNanos() - now).as("%d confirmations after %d ms", c[0], c[1]).isEqualTo(c[2] * MS);
        }
    }

    /** Go's TestSuspicionTimeout table: SuspicionMult 3, interval 1 s, divided by the multiplier. */
    @Test
    void theSuspicionTimeoutTableScalesWithLog10OfTheNodeCount() {
        int[] n = {5, 10, 50, 100, 500, 1000};
        long[] perMultMs = {1000, 1000, 1698, 2000, 2698, 3000};
        for (int i = 0; i < n.length; i++) {
            assertThat(MembershipState.suspicionTimeout(3, n[i], Duration.ofSeconds(1)).dividedBy(3))
                    .as("n = %d", n[i]).isEqualTo(Duration.ofMillis(perMultMs[i]));
        }
    }

    /** Go's TestRetransmitLimit: multiplier 3 × ceil(log10(n + 1)). */
    @Test
    void theRetransmitLimitTable() {
        assertThat(TransmitLimitedQueue.retransmitLimit(3, 0)).isZero();
        assertThat(TransmitLimitedQueue.retransmitLimit(3, 1)).isEqualTo(3);
        assertThat(TransmitLimitedQueue.retransmitLimit(3, 99)).isEqualTo(6);
    }

    /** Go's TestAwareness table: {delta, score after it, 1 s scaled by the score}, applied in sequence. */
    @Test
    void theAwarenessTable() {
        int[][] cases = {
            {0, 0, 1}, {-1, 0, 1}, {-10, 0, 1}, {1, 1, 2}, {-1, 0, 1}, {10, 7, 8},
            {-1, 6, 7}, {-1, 5, 6}, {-1, 4, 5}, {-1, 3, 4}, {-1, 2, 3}, {-1, 1, 2}, {-1, 0, 1}, {-1, 0, 1},
        };
        Awareness a = new Awareness(8);
        for (int i = 0; i < cases.length; i++) {
            a.applyDelta(cases[i][0]);
            assertThat(a.healthScore()).as("case %d score", i).isEqualTo(cases[i][1]);
            assertThat(a.scaleTimeout(Duration.ofSeconds(1))).as("case %d timeout", i).isEqualTo(Duration.ofSeconds(cases[i][2]));
        }
    }

    // ---- one node's rounds against a recording transport ----------------------------------------

    /** A core with its prober and gossiper on a manual scheduler, sending into a {@link RecordingTransport} (dials refused). */
    private static final class OneNode {
        final ManualScheduler scheduler = new ManualScheduler();
        final RecordingTransport transport = new RecordingTransport(scheduler.clock());
        final CoreFixture f;
        final Prober prober;
        final Gossiper gossiper;
        boolean roundDone;

        OneNode(UnaryOperator<MemberlistConfig> tweak) {
            f = new CoreFixture(c -> tweak.apply(c.scheduler(scheduler).random(new Random(3))
                    .probeTimeout(Duration.ofMillis(500)).probeInterval(Duration.ofSeconds(1))));
            ShutdownSignal shutdown = new ShutdownSignal();
            LogLimiter limited = new LogLimiter(f.config.logger(), scheduler.clock());
            NodeScheduler tasks = new NodeScheduler(scheduler, shutdown, limited, () -> { });
            NodeContext ctx = new NodeContext(f.config, scheduler.clock(), f.config.random(), f.config.logger(), limited,
                    null, transport, WireOptions.plain(), InputBudget.ofBytes(1 << 20), f.state, shutdown, tasks,
                    InetAddress.getLoopbackAddress(), 7946);
            PacketSender sender = new PacketSender(ctx, null);
            prober = new Prober(ctx, sender, new AckWaiters());
            gossiper = new Gossiper(ctx, sender);
            f.bootstrapSelf();
        }

        void add(String name, int lastOctet, byte[] vsn) {
            f.state.aliveNode(new Message.Alive(1, name, new byte[] {127, 0, 0, (byte) lastOctet}, 7946, null, vsn), null, false);
        }

        void probeRound() {
            prober.probe(() -> roundDone = true);
            scheduler.runFor(Duration.ofSeconds(30));
            assertThat(roundDone).as("the round ended").isTrue();
        }
    }

    private static final byte[] V5 = {1, 5, 2, 0, 0, 0};
    private static final byte[] V2 = {1, 2, 2, 0, 0, 0};

    @Test
    void withTcpPingsDisabledAnUnansweredProbeDialsNothingAndSuspects() {
        OneNode n = new OneNode(c -> c.disableTcpPings(true));
        n.add("target", 2, V5);
        n.probeRound();
        assertThat(n.transport.dials).isZero();
        assertThat(n.f.stateOf("target")).isEqualTo(NodeState.SUSPECT);
    }

    @Test
    void tcpPingsDisabledForOneNodeSpareOnlyThatNode() {
        Predicate<String> noTcp = name -> name.equals("target");
        OneNode n = new OneNode(c -> c.disableTcpPings(false).disableTcpPingsForNode(noTcp));
        n.add("target", 2, V5);
        n.probeRound();
        assertThat(n.transport.dials).isZero();
        assertThat(n.f.stateOf("target")).isEqualTo(NodeState.SUSPECT);

        OneNode other = new OneNode(c -> c.disableTcpPings(false).disableTcpPingsForNode(noTcp));
        other.add("someone-else", 2, V5);
        other.probeRound();
        assertThat(other.transport.dials).as("the fallback is tried for the others").isEqualTo(1);
        assertThat(other.f.stateOf("someone-else")).isEqualTo(NodeState.SUSPECT); // the dial was refused
    }

    @Test
    void aTargetSpeakingAProtocolBelowThreeGetsNoTcpFallback() {
        OneNode n = new OneNode(c -> c.disableTcpPings(false));
        n.add("old", 2, V2);
        n.probeRound();
        assertThat(n.transport.dials).isZero();
        assertThat(n.f.stateOf("old")).isEqualTo(NodeState.SUSPECT);
        assertThat(n.transport.messages()).filteredOn(m -> m instanceof Message.Ping).hasSize(1);
    }

    @Test
    void gossipReachesADeadNodeOnlyWithinGossipToTheDeadTime() {
        OneNode n = new OneNode(c -> c.gossipNodes(3).gossipToTheDeadTime(Duration.ofMillis(100)));
        n.add("dead", 2, V5);
        n.f.state.deadNode(new Message.Dead(1, "dead", "someone"));
        n.scheduler.runFor(Duration.ofMillis(200)); // dead for twice the window
        n.f.state.broadcasts().reset();
        n.f.state.aliveNode(alive("news", 3, 1), null, false); // something to gossip; "news" is a target too
        n.transport.clearSent();
        n.gossiper.gossip();
        assertThat(n.transport.lastOctetsReached()).as("not to the long dead").doesNotContain(2);

        OneNode m = new OneNode(c -> c.gossipNodes(3).gossipToTheDeadTime(Duration.ofMillis(100)));
        m.add("dead", 2, V5);
        m.f.state.deadNode(new Message.Dead(1, "dead", "someone"));
        m.scheduler.runFor(Duration.ofMillis(20)); // dead for less than the window
        m.gossiper.gossip();
        assertThat(m.transport.lastOctetsReached()).as("to the recently dead").contains(2);
        assertThat(m.transport.messages()).anyMatch(x -> x instanceof Message.Dead d && d.node().equals("dead"));
    }

    // ---- whole nodes in virtual time -----------------------------------------------------------

    private static Memberlist start(ManualScheduler s, TaskNetwork net, int host, UnaryOperator<MemberlistConfig> tweak,
            List<String> events) throws IOException {
        String name = "n" + host;
        MemberlistConfig c = MemberlistConfig.lan().name(name).scheduler(s).transport(net.transport(host))
                .random(new Random(host)).events(new EventDelegate() {
                    @Override
                    public void notifyJoin(Node node) {
                        events.add(name + " join " + node.name());
                    }

                    @Override
                    public void notifyLeave(Node node) {
                        events.add(name + " leave " + node.name());
                    }

                    @Override
                    public void notifyUpdate(Node node) {
                        events.add(name + " update " + node.name());
                    }
                });
        return Memberlist.create(tweak.apply(c));
    }

    private static boolean knows(Memberlist m, String name) {
        return m.members().stream().anyMatch(n -> n.name().equals(name));
    }

    @Test
    void gossipAloneCarriesANewMemberToTheOthers() throws Exception {
        ManualScheduler s = new ManualScheduler();
        TaskNetwork net = new TaskNetwork(s, Duration.ofMillis(1));
        List<String> events = new ArrayList<>();
        // No periodic push/pull, probes too rare to matter: only gossip spreads news here.
        UnaryOperator<MemberlistConfig> gossipOnly = c -> c.pushPullInterval(Duration.ZERO)
                .probeInterval(Duration.ofHours(1)).gossipInterval(Duration.ofMillis(200));
        Memberlist a = start(s, net, 1, gossipOnly, events);
        Memberlist b = start(s, net, 2, gossipOnly, events);
        Memberlist c = start(s, net, 3, gossipOnly, events);
        b.join(List.of("10.0.0.1:7946"));
        s.runFor(Duration.ofSeconds(2)); // a's news of b has finished spreading
        c.join(List.of("10.0.0.1:7946")); // a and c exchange state; b hears nothing of c yet
        assertThat(knows(b, "n3")).isFalse();
        long t0 = s.clock().nanoTime();
        while (!knows(b, "n3") && s.clock().nanoTime() - t0 < Duration.ofSeconds(5).toNanos()) {
            s.runFor(Duration.ofMillis(10));
        }
        assertThat(knows(b, "n3")).as("b heard of c by gossip").isTrue();
        assertThat(s.clock().nanoTime() - t0).as("within a few gossip rounds").isLessThanOrEqualTo(Duration.ofMillis(1000).toNanos());
        assertThat(events).contains("n2 join n3");
        for (Memberlist m : List.of(a, b, c)) {
            m.shutdown();
        }
    }

    @Test
    void periodicPushPullAloneCarriesANewMemberToTheOthers() throws Exception {
        ManualScheduler s = new ManualScheduler();
        TaskNetwork net = new TaskNetwork(s, Duration.ofMillis(1));
        List<String> events = new ArrayList<>();
        // No gossip rounds, probes too rare to matter: only the periodic push/pull spreads news here.
        UnaryOperator<MemberlistConfig> pushPullOnly = c -> c.gossipInterval(Duration.ZERO)
                .probeInterval(Duration.ofHours(1)).pushPullInterval(Duration.ofSeconds(1));
        Memberlist a = start(s, net, 1, pushPullOnly, events);
        Memberlist b = start(s, net, 2, pushPullOnly, events);
        b.join(List.of("10.0.0.1:7946"));
        Memberlist c = start(s, net, 3, pushPullOnly, events);
        c.join(List.of("10.0.0.1:7946"));
        assertThat(knows(b, "n3")).isFalse();
        s.runFor(Duration.ofSeconds(10));
        assertThat(knows(b, "n3")).as("b learned of c by a periodic push/pull").isTrue();
        assertThat(knows(c, "n2")).isTrue();
        assertThat(events).contains("n2 join n3", "n3 join n2");
        for (Memberlist m : List.of(a, b, c)) {
            m.shutdown();
        }
    }

    // ---- kRandomNodes -------------------------------------------------------------------------

    /** Go's TestKRandomNodes: 90 nodes, a third of them alive; three draws of three, never test0, only alive. */
    @Test
    void randomNodesHonourTheFilterAndDiffer() {
        CoreFixture f = new CoreFixture();
        for (int i = 0; i < 90; i++) {
            f.state.aliveNode(alive("test" + i, 1 + i, 1), null, false);
            switch (i % 3) {
                case 1 -> f.state.suspectNode(new Message.Suspect(1, "test" + i, "other"));
                case 2 -> f.state.deadNode(new Message.Dead(1, "test" + i, "other"));
                default -> { }
            }
        }
        Predicate<NodeRecord> exclude = r -> r.name.equals("test0") || r.state != NodeState.ALIVE;
        List<List<String>> draws = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            List<Node> pick = f.state.table().randomNodes(3, exclude);
            assertThat(pick).hasSize(3).allSatisfy(n -> {
                assertThat(n.name()).isNotEqualTo("test0");
                assertThat(n.state()).isEqualTo(NodeState.ALIVE);
            });
            assertThat(pick).extracting(Node::name).doesNotHaveDuplicates();
            draws.add(pick.stream().map(Node::name).toList());
        }
        assertThat(new HashSet<>(draws)).as("three different draws").hasSize(3);
    }
    // ---- util_test.go's port functions --------------------------------------------------------

    /** Go's TestUtil_PortFunctions (hasPort/ensurePort) as our join-address parsing sees them; no DNS names. */
    @Test
    void aJoinAddressWithoutAPortGetsTheDefaultOne() throws Exception {
        String v6 = "2600:1f14:e22:1501:f9a:2e0c:a167:67e8";
        String[][] cases = {
            {"1.2.3.4", "1.2.3.4", "8301"},
            {"1.2.3.4:1234", "1.2.3.4", "1234"},
            {v6, v6, "8301"},
            {"[" + v6 + "]", v6, "8301"},
            {"[" + v6 + "]:1234", v6, "1234"},
            {"localhost", null, "8301"},
            {"localhost:1234", null, "1234"},
            {"node-a/1.2.3.4:1234", "1.2.3.4", "1234"},
        };
        for (String[] c : cases) {
            List<InetSocketAddress> got = JoinAddresses.resolve(c[0], 8301);
            assertThat(got).as(c[0]).isNotEmpty().allSatisfy(a -> {
                assertThat(a.getPort()).as(c[0]).isEqualTo(Integer.parseInt(c[2]));
                if (c[1] != null) {
                    assertThat(a.getAddress()).as(c[0]).isEqualTo(InetAddress.getByName(c[1]));
                } else {
                    assertThat(a.getAddress().isLoopbackAddress()).as(c[0]).isTrue();
                }
            });
        }
    }
}
