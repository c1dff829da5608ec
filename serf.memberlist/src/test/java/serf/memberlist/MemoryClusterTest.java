package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import serf.testkit.Poll;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.PacketCodec;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.LinkFaults;
import serf.memberlist.transport.Transport;

/** The SWIM/Lifeguard state machine on the in-memory network. */
class MemoryClusterTest {
    private static final System.Logger LOG = System.getLogger(MemoryClusterTest.class.getName());

    @Test
    void nodesJoinThroughOneSeedAndConverge() throws Exception {
        try (Cluster c = new Cluster(1)) {
            for (int i = 0; i < 5; i++) {
                c.add("n" + i);
            }
            c.joinAll();
            Cluster.awaitMembers(c.nodes, 5, Duration.ofSeconds(10));
            for (Memberlist m : c.nodes) {
                assertThat(m.members()).extracting(Node::name).containsExactlyInAnyOrder("n0", "n1", "n2", "n3", "n4");
            }
        }
    }

    @Test
    void joinReportsHowManyWereContactedAndFailsWhenNoneAre() throws Exception {
        try (Cluster c = new Cluster(2)) {
            Memberlist a = c.add("a");
            Memberlist b = c.add("b");
            Memberlist d = c.add("d");
            assertThat(d.join(List.of(c.addressOf(a), c.addressOf(b)))).isEqualTo(2);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.join(List.of("10.99.99.99:7946")))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void failedNodeIsDetectedWithinTheSuspicionBound() throws Exception {
        try (Cluster c = new Cluster(3)) {
            for (int i = 0; i < 6; i++) {
                c.add("n" + i);
            }
            c.joinAll();
            Cluster.awaitMembers(c.nodes, 6, Duration.ofSeconds(10));
            Memberlist victim = c.nodes.get(5);
            List<Memberlist> rest = c.nodes.subList(0, 5);
            c.network.setDown(victim.advertiseAddress(), true);
            victim.shutdown();

            // Bound: the victim is probed within a round of probe intervals, and the suspicion timeout
            // is at most SuspicionMaxTimeoutMult × SuspicionMult × scale × ProbeInterval.
            MemberlistConfig cfg = Cluster.fastConfig("x");
            Duration min = MembershipState.suspicionTimeout(cfg.suspicionMult(), 6, cfg.probeInterval());
            Duration bound = min.multipliedBy(cfg.suspicionMaxTimeoutMult()).plus(cfg.probeInterval().multipliedBy(8));
            Duration took = Poll.timeUntil("all to mark n5 dead", bound,
                    () -> rest.stream().allMatch(m -> Cluster.stateOf(m, "n5") == NodeState.DEAD));
            LOG.log(System.Logger.Level.INFO, "failure detected by all 5 peers in " + took.toMillis() + " ms (bound " + bound.toMillis() + " ms)");
            assertThat(rest).allMatch(m -> m.numMembers() == 5);
        }
    }

    @Test
    void suspectedNodeRefutesWithHigherIncarnation() throws Exception {
        try (Cluster c = new Cluster(4)) {
            Memberlist a = c.add("a");
            Memberlist b = c.add("b");
            c.joinAll();
            Cluster.awaitMembers(c.nodes, 2, Duration.ofSeconds(10));
            long before = incarnationOf(a, "b");

            // A stranger accuses b; b must refute with a higher incarnation that a learns.
            Transport stranger = c.network.transport("stranger");
            stranger.start((p, f, t) -> { }, s -> { });
            byte[] suspect = MessageCodec.encode(new Message.Suspect(before, "b", "stranger"));
            stranger.sendPacket(PacketCodec.seal(suspect, WireOptions.plain(), false), b.advertiseAddress());

            Poll.until("a to learn b's refutation", Duration.ofSeconds(5), () -> incarnationOf(a, "b") > before);
            assertThat(Cluster.stateOf(a, "b")).isEqualTo(NodeState.ALIVE);
            assertThat(b.healthScore()).isGreaterThanOrEqualTo(0);
            stranger.close();
        }
    }

    private static long incarnationOf(Memberlist viewer, String node) {
        // The incarnation is not in the public Node view; tests read it package-privately.
        return viewer.incarnationOf(node);
    }

    @Test
    void gracefulLeaveIsSeenAsLeftNotDead() throws Exception {
        try (Cluster c = new Cluster(5)) {
            for (int i = 0; i < 4; i++) {
                c.add("n" + i);
            }
            c.joinAll();
            Cluster.awaitMembers(c.nodes, 4, Duration.ofSeconds(10));
            Memberlist leaver = c.nodes.get(3);
            leaver.leave(Duration.ofSeconds(5));
            leaver.shutdown();
            List<Memberlist> rest = c.nodes.subList(0, 3);
            Poll.until("all to mark n3 left", Duration.ofSeconds(5),
                    () -> rest.stream().allMatch(m -> Cluster.stateOf(m, "n3") == NodeState.LEFT));
        }
    }

    @Test
    void partitionMarksTheOtherSideDeadAndARejoinHealsIt() throws Exception {
        try (Cluster c = new Cluster(6)) {
            for (int i = 0; i < 6; i++) {
                c.add("n" + i);
            }
            c.joinAll();
            Cluster.awaitMembers(c.nodes, 6, Duration.ofSeconds(10));
            List<InetSocketAddress> left = new ArrayList<>();
            List<InetSocketAddress> right = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                (i < 3 ? left : right).add(c.nodes.get(i).advertiseAddress());
            }
            var partition = c.network.partition(left, right);
            Cluster.awaitMembers(c.nodes, 3, Duration.ofSeconds(30));

            c.network.heal(partition);
            // As Serf's reconnect does: a node of one side joins one of the other side again.
            c.nodes.get(0).join(List.of(c.addressOf(c.nodes.get(3))));
            Cluster.awaitMembers(c.nodes, 6, Duration.ofSeconds(30));
        }
    }

    @Test
    void clusterLabelsSeparateClustersAndUnlabeledTrafficIsRefused() throws Exception {
        try (Cluster c = new Cluster(9)) {
            Memberlist a = c.add("a", cfg -> cfg.label("prod"));
            Memberlist b = c.add("b", cfg -> cfg.label("prod"));
            Memberlist other = c.add("other", cfg -> cfg.label("dev"));
            Memberlist plain = c.add("plain");
            assertThat(b.join(List.of(c.addressOf(a)))).isEqualTo(1);
            Cluster.awaitMembers(List.of(a, b), 2, Duration.ofSeconds(10));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.join(List.of(c.addressOf(a))))
                    .isInstanceOf(java.io.IOException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.join(List.of(c.addressOf(a))))
                    .isInstanceOf(java.io.IOException.class);
            assertThat(a.members()).extracting(Node::name).containsExactlyInAnyOrder("a", "b");
            assertThat(other.members()).extracting(Node::name).containsExactly("other");
            assertThat(plain.members()).extracting(Node::name).containsExactly("plain");
        }
    }

    @Test
    void tenPercentLossCausesNoFalseFailuresIn20NodesOverAMinute() throws Exception {
        try (Cluster c = new Cluster(7)) {
            List<String> deaths = new CopyOnWriteArrayList<>();
            java.util.concurrent.CountDownLatch anyDeath = new java.util.concurrent.CountDownLatch(1);
            EventDelegate watcher = new EventDelegate() {
                public void notifyJoin(Node node) { }
                public void notifyLeave(Node node) {
                    deaths.add(node.name());
                    anyDeath.countDown();
                }
                public void notifyUpdate(Node node) { }
            };
            for (int i = 0; i < 20; i++) {
                // LAN-like timing (1 s probes) and no TCP fallback: the in-memory streams are lossless,
                // so with TCP pings the test would not exercise the UDP path at all.
                c.add("n" + i, cfg -> MemberlistConfig.lan().name(cfg.name()).disableTcpPings(true).events(watcher)
                        .pushPullInterval(Duration.ofSeconds(15)));
            }
            c.joinAll();
            Cluster.awaitMembers(c.nodes, 20, Duration.ofSeconds(20));
            c.network.setDefaultFaults(LinkFaults.loss(0.10));
            // The whole minute is the observation: any node declared dead ends it early, as a failure.
            boolean someoneDied = anyDeath.await(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(someoneDied).as("nodes declared dead under 10%% loss: %s", deaths).isFalse();
            assertThat(c.nodes).allMatch(m -> m.numMembers() == 20);
            LOG.log(System.Logger.Level.INFO, "10% loss for 60 s, 20 nodes: dropped " + c.network.stats().packetsDropped() + " packets, no failures");
        }
    }

    @Test
    void twoHundredNodesConvergeToAFullView() throws Exception {
        try (Cluster c = new Cluster(8)) {
            int n = 200;
            for (int i = 0; i < n; i++) {
                // A 5 s TCP timeout: 199 joins against one node on a loaded 2-core machine can take
                // longer than the cluster's fast 500 ms (a join that timed out failed the test).
                c.add("n" + i, cfg -> cfg.probeInterval(Duration.ofSeconds(1)).probeTimeout(Duration.ofMillis(300))
                        .gossipInterval(Duration.ofMillis(200)).pushPullInterval(Duration.ofSeconds(10))
                        .tcpTimeout(Duration.ofSeconds(5)));
            }
            long start = System.nanoTime();
            c.joinAll();
            Duration took = Cluster.awaitMembers(c.nodes, n, Duration.ofSeconds(90));
            Duration total = Duration.ofNanos(System.nanoTime() - start);
            LOG.log(System.Logger.Level.INFO, n + " nodes: full view everywhere " + total.toMillis()
                    + " ms after the first join (" + took.toMillis() + " ms after the last join returned)");
            System.out.println("[scale] " + n + " in-memory nodes converged in " + total.toMillis() + " ms");
        }
    }
}
