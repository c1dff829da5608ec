package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;
import static serf.memberlist.CoreFixture.SELF;
import static serf.memberlist.CoreFixture.alive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import serf.memberlist.internal.msg.Message;

/** The node table's choices (probe rotation, reset, gossip targets), the version check and the ack bookkeeping. */
class NodeTableTest {

    @Test
    void resetForgetsNodesDeadForLongerThanGossipToTheDeadTime() {
        CoreFixture f = new CoreFixture(c -> c.gossipToTheDeadTime(Duration.ofMillis(100)));
        f.state.aliveNode(alive("test1", 1, 1), null, false);
        f.state.aliveNode(alive("test2", 2, 1), null, false);
        f.state.aliveNode(alive("test3", 3, 1), null, false);
        f.state.deadNode(new Message.Dead(1, "test2", "other"));

        f.state.table().resetNodes();
        assertThat(f.state.table().records()).hasSize(3);
        assertThat(f.record("test2")).isNotNull();

        f.clock.advance(Duration.ofMillis(200));
        f.state.table().resetNodes();
        assertThat(f.state.table().records()).hasSize(2);
        assertThat(f.record("test2")).isNull();
        assertThat(f.state.table().estimatedNumNodes()).isEqualTo(2);
    }

    @Test
    void aProbeRoundVisitsEveryLiveNodeOnceAndNeverThisOne() {
        CoreFixture f = new CoreFixture();
        f.bootstrapSelf();
        for (int i = 0; i < 6; i++) {
            f.state.aliveNode(alive("n" + i, 10 + i, 1), null, false);
        }
        f.state.deadNode(new Message.Dead(1, "n5", "other"));
        f.state.suspectNode(new Message.Suspect(1, "n4", "other"));

        List<String> round = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            NodeTable.ProbeTarget t = f.state.table().nextProbeTarget();
            round.add(t.node().name());
            if (t.node().name().equals("n4")) {
                assertThat(t.state()).isEqualTo(NodeState.SUSPECT);
            }
        }
        assertThat(round).containsExactlyInAnyOrder("n0", "n1", "n2", "n3", "n4");
    }

    @Test
    void withNobodyElseThereIsNothingToProbe() {
        CoreFixture f = new CoreFixture();
        f.bootstrapSelf();
        assertThat(f.state.table().nextProbeTarget()).isNull();
    }

    @Test
    void theSameSeedAndInputsGiveTheSameChoices() {
        List<String> first = choices();
        assertThat(choices()).isEqualTo(first);
    }

    private static List<String> choices() {
        CoreFixture f = new CoreFixture();
        f.bootstrapSelf();
        for (int i = 0; i < 20; i++) {
            f.state.aliveNode(alive("n" + i, 10 + i, 1), null, false);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            out.add(f.state.table().nextProbeTarget().node().name());
        }
        f.state.table().gossipTargets().forEach(n -> out.add("g:" + n.name()));
        return out;
    }

    @Test
    void gossipGoesToLiveAndSuspectNodesAndToTheRecentlyDead() {
        CoreFixture f = new CoreFixture(c -> c.gossipNodes(10).gossipToTheDeadTime(Duration.ofSeconds(30)));
        f.bootstrapSelf();
        f.state.aliveNode(alive("alive", 2, 1), null, false);
        f.state.aliveNode(alive("suspect", 3, 1), null, false);
        f.state.aliveNode(alive("dead", 4, 1), null, false);
        f.state.aliveNode(alive("left", 5, 1), null, false);
        f.state.suspectNode(new Message.Suspect(1, "suspect", "other"));
        f.state.deadNode(new Message.Dead(1, "dead", "other"));
        f.state.deadNode(new Message.Dead(1, "left", "left"));

        assertThat(names(f.state.table().gossipTargets())).containsExactlyInAnyOrder("alive", "suspect", "dead");
        f.clock.advance(Duration.ofSeconds(31));
        assertThat(names(f.state.table().gossipTargets())).containsExactlyInAnyOrder("alive", "suspect");
    }

    @Test
    void aSmallClusterGossipsToEveryPeerEveryRound() {
        // Go's 3n random draws leave out one of two peers in ~5% of rounds; the table never does.
        CoreFixture f = new CoreFixture(c -> c.gossipNodes(3));
        f.bootstrapSelf();
        f.state.aliveNode(alive("a", 2, 1), null, false);
        f.state.aliveNode(alive("b", 3, 1), null, false);
        for (int round = 0; round < 2_000; round++) {
            assertThat(names(f.state.table().gossipTargets())).containsExactlyInAnyOrder("a", "b");
        }
    }

    @Test
    void targetsFilledAfterUnluckyDrawsAreStillSpreadOverTheEligible() {
        // 1 eligible node in 40: the random draws often miss it and the pass over the table fills in; with
        // 3 of 40 eligible and k = 2, every eligible pair must come up.
        CoreFixture f = new CoreFixture(c -> c.gossipNodes(2).gossipToTheDeadTime(Duration.ZERO));
        f.bootstrapSelf();
        for (int i = 0; i < 39; i++) {
            f.state.aliveNode(alive("n" + i, 10 + i, 1), null, false);
            if (i >= 3) {
                f.state.deadNode(new Message.Dead(1, "n" + i, "other"));
            }
        }
        f.clock.advance(Duration.ofSeconds(1));
        java.util.Map<Set<String>, Integer> seen = new java.util.HashMap<>();
        for (int round = 0; round < 3_000; round++) {
            Set<String> picked = names(f.state.table().gossipTargets());
            assertThat(picked).hasSize(2).isSubsetOf("n0", "n1", "n2");
            seen.merge(picked, 1, Integer::sum);
        }
        assertThat(seen).hasSize(3);
        assertThat(seen.values()).allSatisfy(count -> assertThat(count).isBetween(700, 1_300));
    }

    private static Set<String> names(List<Node> nodes) {
        return nodes.stream().map(Node::name).collect(Collectors.toSet());
    }

    @Test
    void pushStatesCarryEveryNodeWithItsState() {
        CoreFixture f = new CoreFixture();
        f.bootstrapSelf();
        f.state.aliveNode(alive("a", 2, 3), null, false);
        f.state.deadNode(new Message.Dead(3, "a", "other"));
        assertThat(f.state.table().pushStates())
                .extracting(Message.PushNodeState::name, Message.PushNodeState::state, Message.PushNodeState::incarnation)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(SELF, NodeState.ALIVE.code(), 1L),
                        org.assertj.core.groups.Tuple.tuple("a", NodeState.DEAD.code(), 3L));
    }

    // ---- Go's verifyProtocol table: {min, max, current} for the protocol, then for the delegate ----

    @Test
    void versionRangesMustOverlapForEveryAliveNode() {
        int[][][][] cases = {
            {{{0, 0, 0}}, {{0, 0, 0}}},
            {{{0, 0, 0}}, {{0, 1, 0}}},
            {{{0, 1, 0}, {0, 2, 1}}, {{1, 3, 1}}},
            {{{0, 0, 0}}, {{1, 1, 1}}},
            {{{0, 3, 2}, {0, 2, 0}}, {{0, 2, 1}, {0, 5, 0}}},
        };
        boolean[] compatible = {true, true, false, false, true};
        for (int i = 0; i < cases.length; i++) {
            int[][] a = cases[i][0];
            int[][] b = cases[i][1];
            for (boolean delegate : new boolean[] {false, true}) {
                assertThat(ProtocolVersions.verify(remote(b, delegate), local(a, delegate)) == null)
                        .as("case %d, delegate %s, A vs B", i, delegate).isEqualTo(compatible[i]);
                assertThat(ProtocolVersions.verify(remote(a, delegate), local(b, delegate)) == null)
                        .as("case %d, delegate %s, B vs A", i, delegate).isEqualTo(compatible[i]);
            }
        }
    }

    private static byte[] vsn(int[] v, boolean delegate) {
        return delegate ? new byte[] {0, 0, 0, (byte) v[0], (byte) v[1], (byte) v[2]}
                : new byte[] {(byte) v[0], (byte) v[1], (byte) v[2], 0, 0, 0};
    }

    private static List<ProtocolVersions.Versions> local(int[][] nodes, boolean delegate) {
        List<ProtocolVersions.Versions> out = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            out.add(new ProtocolVersions.Versions("local " + i, true, vsn(nodes[i], delegate)));
        }
        return out;
    }

    private static List<Message.PushNodeState> remote(int[][] nodes, boolean delegate) {
        List<Message.PushNodeState> out = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            out.add(new Message.PushNodeState("remote " + i, new byte[] {127, 0, 0, 1}, 7946, new byte[0], 1,
                    NodeState.ALIVE.code(), vsn(nodes[i], delegate)));
        }
        return out;
    }

    @Test
    void aVersionVectorOfTheWrongLengthIsRefused() {
        List<Message.PushNodeState> remote = List.of(new Message.PushNodeState("odd", new byte[] {127, 0, 0, 1}, 7946,
                new byte[0], 1, 0, new byte[] {1, 2, 3}));
        assertThat(ProtocolVersions.verify(remote, List.of())).contains("3-byte version vector");
    }

    // ---- acks ---------------------------------------------------------------------------------

    @Test
    void sequenceNumbersCountUpFromOne() {
        AckWaiters acks = new AckWaiters();
        assertThat(acks.nextSeqNo()).isEqualTo(1);
        assertThat(acks.nextSeqNo()).isEqualTo(2);
    }

    @Test
    void anAckReachesItsWaiterOnceAndNacksAreCounted() throws Exception {
        AckWaiters acks = new AckWaiters();
        AckWaiter w = acks.register(7);
        assertThat(w.isAcked()).isFalse();
        acks.nack(7);
        acks.nack(7);
        acks.ack(8, new byte[] {9}, 123); // another sequence number
        assertThat(w.isAcked()).isFalse();
        assertThat(w.nacks()).isEqualTo(2);

        acks.ack(7, new byte[] {1}, 456);
        acks.ack(7, new byte[] {2}, 789); // a duplicate changes nothing
        assertThat(w.isAcked()).isTrue();
        assertThat(w.payload()).containsExactly(1);
        assertThat(w.ackNanos()).isEqualTo(456);

        acks.remove(7);
        AckWaiter later = acks.register(8);
        acks.ack(7, null, 1);
        assertThat(later.isAcked()).isFalse();
    }

    @Test
    void anAckListenerRunsOnceWhenTheAckArrivesOrAtOnceIfItHas() {
        AckWaiter w = new AckWaiter();
        List<String> calls = new ArrayList<>();
        w.onAck(() -> calls.add("first"));
        assertThat(calls).isEmpty();
        w.ack(null, 1, null);
        w.ack(null, 2, null);
        assertThat(calls).containsExactly("first");
        w.onAck(() -> calls.add("late"));
        assertThat(calls).containsExactly("first", "late");
    }
}
