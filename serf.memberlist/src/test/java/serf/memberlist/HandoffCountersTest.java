package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.PacketCodec;
import serf.memberlist.internal.msg.WireOptions;
import serf.testkit.Poll;

/** The handoff queue's counters through whole nodes on loopback: coalesced, dropped, handled inline. */
class HandoffCountersTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] LOOPBACK = {127, 0, 0, 1};
    private static final byte[] VSN = {1, 5, 2, 2, 5, 4};
    private final List<Memberlist> nodes = new ArrayList<>();

    @AfterEach
    void shutDown() {
        nodes.forEach(Memberlist::shutdown);
    }

    private Memberlist node(String name, java.util.function.UnaryOperator<MemberlistConfig> tweak) throws IOException {
        MemberlistConfig c = MemberlistConfig.local().name(name).bindAddr("127.0.0.1").bindPort(0);
        Memberlist m = Memberlist.create(tweak.apply(c));
        nodes.add(m);
        return m;
    }

    private static void send(DatagramSocket from, Memberlist to, List<Message> messages) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        for (Message m : messages) {
            parts.add(MessageCodec.encode(m));
        }
        byte[] packet = PacketCodec.seal(PacketCodec.compound(parts), WireOptions.plain(), false);
        from.send(new DatagramPacket(packet, packet.length, to.advertiseAddress()));
    }

    /**
     * With the drain held back (the node's scheduler is a manual one that the test runs), a packet
     * of 100 alive messages about one node leaves one waiting entry, and a suspicion of the node
     * itself is refuted at once by the receiving thread.
     */
    @Test
    void aliveMessagesAboutOneNodeAreCoalescedAndASuspicionOfTheNodeIsRefutedAtOnce() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        Memberlist a = node("hq-a", c -> c.scheduler(scheduler));
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            List<Message> messages = new ArrayList<>();
            for (int inc = 1; inc <= 100; inc++) {
                messages.add(new Message.Alive(inc, "ghost", LOOPBACK, peer.getLocalPort(), new byte[0], VSN));
            }
            messages.add(new Message.Suspect(1, "hq-a", "ghost"));
            send(peer, a, messages);
            Poll.until("the packet handled", WAIT, () -> a.stats().handoffInline() == 1);
            Map<String, Long> stats = a.stats().asMap();
            assertThat(stats).containsEntry("handoff_coalesced", 99L).containsEntry("handoff_inline", 1L)
                    .containsEntry("handoff_dropped", 0L).containsEntry("handoff_dropped_user", 0L)
                    .containsEntry("handoff_peak", 1L);
            assertThat(a.healthScore()).isEqualTo(1); // the refutation, while the drain has not run yet
            assertThat(Cluster.stateOf(a, "ghost")).isNull();
            scheduler.runFor(Duration.ofMillis(1));
            assertThat(Cluster.stateOf(a, "ghost")).isEqualTo(NodeState.ALIVE);
        }
    }

    /** A running cluster under a flood of redundant alive messages: counted as coalesced, nothing dropped, nobody suspected. */
    @Test
    void aFloodOfRedundantAliveMessagesIsCoalescedNotDropped() throws Exception {
        Memberlist a = node("hq-1", c -> c);
        Memberlist b = node("hq-2", c -> c);
        Memberlist c3 = node("hq-3", c -> c);
        String seed = "127.0.0.1:" + a.advertiseAddress().getPort();
        assertThat(b.join(List.of(seed))).isEqualTo(1);
        // Both, so that gossip alone need not bring hq-3 to hq-2 (see FloodTest).
        assertThat(c3.join(List.of(seed, "127.0.0.1:" + b.advertiseAddress().getPort()))).isEqualTo(2);
        Poll.until("all see all", WAIT, () -> nodes.stream().allMatch(m -> m.numMembers() == 3));
        Node about = b.localNode();
        try (DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < PacketCodec.MAX_COMPOUND_PARTS; i++) {
                // hq-2's own alive message at incarnation 0: older than the one every node has.
                messages.add(new Message.Alive(0, about.name(), LOOPBACK, about.port(), new byte[0], VSN));
            }
            for (int i = 0; i < 40; i++) {
                send(attacker, a, messages);
            }
            Poll.until("the flood handled", WAIT, () -> a.stats().packetsReceived() >= 40);
        }
        Poll.until("some coalesced", WAIT, () -> a.stats().handoffCoalesced() > 0);
        assertThat(a.stats().handoffDropped()).isZero();
        assertThat(a.stats().asMap()).containsKeys("handoff_coalesced", "handoff_dropped", "handoff_dropped_user",
                "handoff_inline", "handoff_peak");
        assertThat(a.members()).hasSize(3).allMatch(n -> n.state() == NodeState.ALIVE);
    }

    /**
     * Three nodes in virtual time whose drains are held back for an hour: node 2 is cut off long
     * enough to be suspected, then mended. Its own suspicion reaches it and is refuted on the
     * receiving thread; its refutation then waits in the others' queues, and their suspicion
     * timers handle it before they decide: vt-2 is not declared dead.
     */
    @Test
    void aRefutationWaitingInTheQueueIsHandledBeforeTheSuspicionTimesOut() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        TaskNetwork network = new TaskNetwork(scheduler, Duration.ofMillis(1));
        List<String> deaths = new ArrayList<>();
        for (int host = 1; host <= 3; host++) {
            String name = "vt-" + host;
            nodes.add(Memberlist.create(MemberlistConfig.lan().name(name).scheduler(scheduler)
                    .transport(network.transport(host)).random(new java.util.Random(host))
                    .events(new EventDelegate() {
                        @Override
                        public void notifyJoin(Node n) {
                        }

                        @Override
                        public void notifyLeave(Node n) {
                            deaths.add(name + " saw " + n.name() + " " + n.state());
                        }

                        @Override
                        public void notifyUpdate(Node n) {
                        }
                    })));
        }
        for (int host = 2; host <= 3; host++) {
            assertThat(nodes.get(host - 1).join(List.of("10.0.0.1:7946"))).isEqualTo(1);
        }
        scheduler.runFor(Duration.ofSeconds(10));
        assertThat(nodes).allMatch(m -> m.numMembers() == 3);

        scheduler.executeDelay(Duration.ofHours(1)); // drains (and TCP pings, push/pulls) wait
        network.cut(2, 1, true);
        network.cut(2, 3, true);
        for (int step = 0; step < 50 && Cluster.stateOf(nodes.get(0), "vt-2") != NodeState.SUSPECT; step++) {
            scheduler.runFor(Duration.ofMillis(100)); // virtual time
        }
        assertThat(Cluster.stateOf(nodes.get(0), "vt-2")).isEqualTo(NodeState.SUSPECT);
        network.cut(2, 1, false);
        network.cut(2, 3, false);
        scheduler.runFor(Duration.ofSeconds(30));

        // vt-2's own view of the others is not at issue: its suspicions of them went out while it was
        // cut off, and may have run out of retransmissions before anyone could hear and refute them.
        assertThat(deaths).noneMatch(d -> d.endsWith("saw vt-2 DEAD"));
        assertThat(nodes.get(1).stats().handoffInline()).isPositive(); // vt-2 refuted on receipt
        assertThat(Cluster.stateOf(nodes.get(0), "vt-2")).isEqualTo(NodeState.ALIVE);
        assertThat(Cluster.stateOf(nodes.get(2), "vt-2")).isEqualTo(NodeState.ALIVE);
    }
}
