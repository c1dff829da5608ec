package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;
import static serf.memberlist.CoreFixture.SELF;
import static serf.memberlist.CoreFixture.alive;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import serf.memberlist.internal.msg.Message;

/**
 * The SWIM rules (alive, suspect, dead, refute, merge) one input at a time, on the core alone:
 * no network, no threads, a manual clock. The cases are those Go's state_test.go checks.
 */
class MembershipStateTest {

    private static Message.Suspect suspect(String node, long inc, String from) {
        return new Message.Suspect(inc, node, from);
    }

    private static Message.Dead dead(String node, long inc, String from) {
        return new Message.Dead(inc, node, from);
    }

    // ---- alive ------------------------------------------------------------------------------

    @Test
    void aliveAboutANewNodeAddsItAnnouncesTheJoinAndQueuesOneBroadcast() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test", 1, 1), null, false);

        assertThat(f.state.table().records()).hasSize(1);
        assertThat(f.record("test").incarnation).isEqualTo(1);
        assertThat(f.stateOf("test")).isEqualTo(NodeState.ALIVE);
        assertThat(f.changeOf("test")).isEqualTo(f.clock.nanoTime());
        assertThat(f.events).containsExactly("join test");
        assertThat(f.queued()).isEqualTo(1);
        assertThat(f.state.table().estimatedNumNodes()).isEqualTo(1);
    }

    @Test
    void newNodesBeyondMaxNodesAreIgnoredAndCountedWhileKnownOnesStillChange() {
        CoreFixture f = new CoreFixture(c -> c.maxNodes(3));
        for (int i = 1; i <= 5; i++) {
            f.state.aliveNode(alive("n" + i, i, 1), null, false);
        }
        assertThat(f.state.table().records()).extracting(r -> r.name).containsExactlyInAnyOrder("n1", "n2", "n3");
        assertThat(f.state.nodesRefused.get()).isEqualTo(2);
        assertThat(f.events).containsExactly("join n1", "join n2", "join n3");
        f.state.aliveNode(alive("n2", 2, 7), null, false);
        assertThat(f.record("n2").incarnation).isEqualTo(7);
        assertThat(f.state.nodesRefused.get()).isEqualTo(2);
    }

    @Test
    void maxNodesIsDerivedFromTheHeapUnlessSet() {
        long heap = Runtime.getRuntime().maxMemory();
        assertThat(MemberlistConfig.lan().maxNodes()).isEqualTo((int) Math.min(Integer.MAX_VALUE, Math.max(1024, heap / MemberlistConfig.HEAP_BYTES_PER_NODE)));
        assertThat(MemberlistConfig.lan().maxNodes(10).maxNodes()).isEqualTo(10);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MemberlistConfig.lan().maxNodes(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aliveRevivesASuspectOnlyWithANewerIncarnationAndWithoutAJoin() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test", 1, 1), null, false);
        f.clock.advance(Duration.ofHours(1));
        f.state.suspectNode(suspect("test", 1, "other"));
        assertThat(f.armed).containsKey("test");
        f.clearBroadcasts();
        f.events.clear();

        f.state.aliveNode(alive("test", 1, 1), null, false);
        assertThat(f.stateOf("test")).isEqualTo(NodeState.SUSPECT);

        f.clock.advance(Duration.ofSeconds(1));
        f.state.aliveNode(alive("test", 1, 2), null, false);
        assertThat(f.stateOf("test")).isEqualTo(NodeState.ALIVE);
        assertThat(f.changeOf("test")).isEqualTo(f.clock.nanoTime());
        assertThat(f.armed).doesNotContainKey("test"); // the suspicion timeout is disarmed
        assertThat(f.events).isEmpty();
        assertThat(f.queued()).isEqualTo(1);
    }

    @Test
    void aliveWithANewerIncarnationOfAnAliveNodeKeepsItsStateChangeTime() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test", 1, 1), null, false);
        long change = f.changeOf("test");
        f.events.clear();
        f.clock.advance(Duration.ofSeconds(5));

        f.state.aliveNode(alive("test", 1, 2), null, false);
        assertThat(f.stateOf("test")).isEqualTo(NodeState.ALIVE);
        assertThat(f.changeOf("test")).isEqualTo(change);
        assertThat(f.events).isEmpty();
        // The newer alive replaces the older one in the queue.
        assertThat(f.queued()).isEqualTo(1);
        assertThat(f.drainBroadcasts()).singleElement()
                .isInstanceOfSatisfying(Message.Alive.class, a -> assertThat(a.incarnation()).isEqualTo(2));
    }

    @Test
    void aliveWithNewMetaUpdatesItAndAnnouncesAnUpdate() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test", 1, 7946, 1, "val1".getBytes()), null, false);
        f.events.clear();

        f.state.aliveNode(alive("test", 1, 7946, 2, "val2".getBytes()), null, false);
        assertThat(f.record("test").meta).isEqualTo("val2".getBytes());
        assertThat(f.events).containsExactly("update test");
    }

    @Test
    void aliveAboutThisNodeThatDisagreesIsRefuted() {
        CoreFixture f = new CoreFixture();
        f.bootstrapSelf();
        f.clearBroadcasts();

        f.state.aliveNode(alive(SELF, 1, 7946, 2, "foo".getBytes()), null, false);
        assertThat(f.stateOf(SELF)).isEqualTo(NodeState.ALIVE);
        assertThat(f.record(SELF).meta).isEmpty();
        assertThat(f.record(SELF).incarnation).isGreaterThan(2);
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
        List<Message> sent = f.drainBroadcasts();
        assertThat(sent).singleElement().isInstanceOfSatisfying(Message.Alive.class, a -> {
            assertThat(a.node()).isEqualTo(SELF);
            assertThat(a.incarnation()).isEqualTo(f.record(SELF).incarnation);
        });
    }

    @Test
    void aliveAboutThisNodeThatAgreesIsIgnored() {
        CoreFixture f = new CoreFixture();
        f.bootstrapSelf();
        f.clearBroadcasts();
        f.state.aliveNode(alive(SELF, 1, 1), null, false);
        assertThat(f.queued()).isZero();
        assertThat(f.state.awareness().healthScore()).isZero();
    }

    @Test
    void aliveFromAnotherAddressConflictsUntilTheNodeIsDeadForTheReclaimTime() {
        CoreFixture f = new CoreFixture(c -> c.deadNodeReclaimTime(Duration.ofMillis(10)));
        f.state.aliveNode(alive("test", 1, 8000, 1, new byte[0]), null, true);
        f.clearBroadcasts();

        f.state.aliveNode(alive("test", 2, 9000, 2, "foo".getBytes()), null, false);
        NodeRecord r = f.record("test");
        assertThat(r.state).isEqualTo(NodeState.ALIVE);
        assertThat(r.meta).isEmpty();
        assertThat(r.addr.getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(r.port).isEqualTo(8000);
        assertThat(f.queued()).isZero();
        assertThat(f.events).contains("conflict test 127.0.0.2");

        f.state.deadNode(dead("test", 2, "other"));
        f.clearBroadcasts();
        assertThat(f.stateOf("test")).isEqualTo(NodeState.DEAD);

        // Not yet dead for the reclaim time: still a conflict.
        f.clock.advance(Duration.ofMillis(5));
        f.state.aliveNode(alive("test", 2, 9000, 3, "foo".getBytes()), null, false);
        assertThat(f.stateOf("test")).isEqualTo(NodeState.DEAD);

        f.clock.advance(Duration.ofMillis(6));
        f.state.aliveNode(alive("test", 2, 9000, 3, "foo".getBytes()), null, false);
        r = f.record("test");
        assertThat(r.state).isEqualTo(NodeState.ALIVE);
        assertThat(r.meta).isEqualTo("foo".getBytes());
        assertThat(r.addr.getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(r.port).isEqualTo(9000);
    }

    @Test
    void aliveWithBadVersionsOrVetoedIsIgnored() {
        CoreFixture f = new CoreFixture(c -> c.alive(peer -> peer.name().equals("vetoed") ? "no" : null));
        f.state.aliveNode(new Message.Alive(1, "short", new byte[] {127, 0, 0, 1}, 7946, null, new byte[] {1, 5}), null, false);
        f.state.aliveNode(new Message.Alive(1, "zero", new byte[] {127, 0, 0, 1}, 7946, null, new byte[] {0, 5, 2, 0, 0, 0}), null, false);
        f.state.aliveNode(new Message.Alive(1, "badaddr", new byte[] {1, 2, 3}, 7946, null, CoreFixture.VSN), null, false);
        f.state.aliveNode(alive("vetoed", 1, 1), null, false);
        assertThat(f.state.table().records()).isEmpty();
        assertThat(f.queued()).isZero();
        assertThat(f.events).isEmpty();
    }

    @Test
    void aliveOutsideTheAllowedCidrsIsRejected() {
        CoreFixture f = new CoreFixture(c -> c.cidrsAllowed(List.of("10.0.0.0/8")));
        f.state.aliveNode(alive("test", 1, 1), null, false);
        assertThat(f.state.table().records()).isEmpty();
    }

    // ---- suspect ----------------------------------------------------------------------------

    @Test
    void suspectAboutAnUnknownNodeDoesNothing() {
        CoreFixture f = new CoreFixture();
        f.state.suspectNode(suspect("test", 1, "other"));
        assertThat(f.state.table().records()).isEmpty();
        assertThat(f.armed).isEmpty();
    }

    @Test
    void suspectMarksTheNodeAndItDiesWhenTheTimeoutFires() {
        CoreFixture f = new CoreFixture(c -> c.probeInterval(Duration.ofMillis(1)).suspicionMult(1));
        f.state.aliveNode(alive("test", 1, 1), null, false);
        f.clearBroadcasts();
        f.events.clear();
        f.clock.advance(Duration.ofHours(1));

        f.state.suspectNode(suspect("test", 1, "other"));
        assertThat(f.stateOf("test")).isEqualTo(NodeState.SUSPECT);
        long change = f.changeOf("test");
        assertThat(change).isEqualTo(f.clock.nanoTime());
        assertThat(f.queued()).isEqualTo(1);
        // One node known: the timeout is SuspicionMult × ProbeInterval, no confirmations wanted.
        assertThat(f.armed.get("test")).isEqualTo(change + Duration.ofMillis(1).toNanos());

        // A firing before the deadline (a late clock, a stale entry) changes nothing and re-arms.
        f.state.suspicionTimerFired("test");
        assertThat(f.stateOf("test")).isEqualTo(NodeState.SUSPECT);
        assertThat(f.armed).containsKey("test");

        f.fireSuspicionAtDeadline("test");
        assertThat(f.stateOf("test")).isEqualTo(NodeState.DEAD);
        assertThat(f.changeOf("test")).isGreaterThan(change);
        assertThat(f.events).containsExactly("leave test");
        // The dead message replaces the suspect one in the queue.
        assertThat(f.drainBroadcasts()).singleElement().isInstanceOfSatisfying(Message.Dead.class,
                d -> assertThat(d.from()).isEqualTo(SELF));
    }

    @Test
    void aSecondSuspectFromTheSameAccuserChangesNothing() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test", 1, 1), null, false);
        f.clock.advance(Duration.ofHours(1));
        f.state.suspectNode(suspect("test", 1, "other"));
        long change = f.changeOf("test");
        long deadline = f.armed.get("test");
        f.clearBroadcasts();

        f.clock.advance(Duration.ofMillis(10));
        f.state.suspectNode(suspect("test", 1, "other"));
        assertThat(f.changeOf("test")).isEqualTo(change);
        assertThat(f.armed.get("test")).isEqualTo(deadline);
        assertThat(f.queued()).isZero();
    }

    @Test
    void suspectWithAnOlderIncarnationIsIgnored() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test", 1, 10), null, false);
        f.clearBroadcasts();
        f.state.suspectNode(suspect("test", 1, "other"));
        assertThat(f.stateOf("test")).isEqualTo(NodeState.ALIVE);
        assertThat(f.queued()).isZero();
        assertThat(f.armed).isEmpty();
    }

    @Test
    void suspectAboutThisNodeIsRefutedAndCostsHealth() {
        CoreFixture f = new CoreFixture();
        f.bootstrapSelf();
        f.clearBroadcasts();
        assertThat(f.state.awareness().healthScore()).isZero();

        f.state.suspectNode(suspect(SELF, 1, "other"));
        assertThat(f.stateOf(SELF)).isEqualTo(NodeState.ALIVE);
        assertThat(f.drainBroadcasts()).singleElement().isInstanceOf(Message.Alive.class);
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
        assertThat(f.armed).isEmpty();
    }

    @Test
    void refutingAHigherAccusedIncarnationJumpsPastIt() {
        CoreFixture f = new CoreFixture();
        f.bootstrapSelf();
        f.state.suspectNode(suspect(SELF, 40, "other"));
        assertThat(f.record(SELF).incarnation).isEqualTo(41);
        assertThat(f.state.localIncarnation()).isEqualTo(41);
    }

    // ---- dead -------------------------------------------------------------------------------

    @Test
    void deadAboutAnUnknownNodeDoesNothing() {
        CoreFixture f = new CoreFixture();
        f.state.deadNode(dead("test", 1, "other"));
        assertThat(f.state.table().records()).isEmpty();
    }

    @Test
    void deadFromTheNodeItselfMeansLeftAndTheNameCanComeBackElsewhere() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("node1", 1, 8000, 1, new byte[0]), null, false);
        assertThat(f.events).containsExactly("join node1");

        f.state.deadNode(dead("node1", 1, "node1"));
        assertThat(f.events).containsExactly("join node1", "leave node1");
        assertThat(f.stateOf("node1")).isEqualTo(NodeState.LEFT);
        assertThat(f.queued()).isEqualTo(1);

        f.state.aliveNode(alive("node1", 2, 9000, 3, "foo".getBytes()), null, false);
        assertThat(f.events).containsExactly("join node1", "leave node1", "join node1");
        NodeRecord r = f.record("node1");
        assertThat(r.state).isEqualTo(NodeState.ALIVE);
        assertThat(r.meta).isEqualTo("foo".getBytes());
        assertThat(r.addr.getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(r.port).isEqualTo(9000);
    }

    @Test
    void deadMarksTheNodeAnnouncesTheLeaveAndQueuesTheMessage() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test", 1, 1), null, false);
        f.events.clear();
        f.clock.advance(Duration.ofHours(1));

        f.state.deadNode(dead("test", 1, "other"));
        assertThat(f.stateOf("test")).isEqualTo(NodeState.DEAD);
        assertThat(f.changeOf("test")).isEqualTo(f.clock.nanoTime());
        assertThat(f.events).containsExactly("leave test");
        assertThat(f.drainBroadcasts()).singleElement().isInstanceOf(Message.Dead.class);
    }

    @Test
    void aSecondDeadChangesNothing() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test", 1, 1), null, false);
        f.state.deadNode(dead("test", 1, "other"));
        f.clearBroadcasts();
        f.events.clear();

        f.state.deadNode(dead("test", 2, "other"));
        assertThat(f.events).isEmpty();
        assertThat(f.queued()).isZero();
    }

    @Test
    void deadWithAnOlderIncarnationIsIgnored() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test", 1, 10), null, false);
        f.state.deadNode(dead("test", 1, "other"));
        assertThat(f.stateOf("test")).isEqualTo(NodeState.ALIVE);
    }

    @Test
    void aReplayedAliveDoesNotReviveADeadNode() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test", 1, 10), null, false);
        f.state.deadNode(dead("test", 10, "other"));
        f.state.aliveNode(alive("test", 1, 10), null, false);
        assertThat(f.stateOf("test")).isEqualTo(NodeState.DEAD);
    }

    @Test
    void deadAboutThisNodeIsRefutedAndCostsHealth() {
        CoreFixture f = new CoreFixture();
        f.bootstrapSelf();
        f.clearBroadcasts();

        f.state.deadNode(dead(SELF, 1, "other"));
        assertThat(f.stateOf(SELF)).isEqualTo(NodeState.ALIVE);
        assertThat(f.drainBroadcasts()).singleElement().isInstanceOf(Message.Alive.class);
        assertThat(f.state.awareness().healthScore()).isEqualTo(1);
    }

    @Test
    void leavingMarksThisNodeLeftAndTheBroadcastOpensTheLatchOnceSent() {
        CoreFixture f = new CoreFixture(c -> c.retransmitMult(1));
        f.bootstrapSelf();
        f.state.aliveNode(alive("peer", 2, 1), null, false);
        f.clearBroadcasts();
        CountDownLatch done = new CountDownLatch(1);

        assertThat(f.state.leave(done)).isTrue(); // another node is alive to hear it
        assertThat(f.stateOf(SELF)).isEqualTo(NodeState.LEFT);
        assertThat(f.state.leave(new CountDownLatch(1))).isNull(); // only once
        // While leaving, alive messages about this node are ignored.
        f.state.aliveNode(alive(SELF, 1, 99), null, false);
        assertThat(f.stateOf(SELF)).isEqualTo(NodeState.LEFT);

        // One node to tell and a retransmit multiplier of 1: the first transmission is the last.
        assertThat(f.state.broadcasts().getBroadcasts(0, 1400)).hasSize(1);
        assertThat(done.getCount()).isZero();
    }

    // ---- merge ------------------------------------------------------------------------------

    @Test
    void mergeAppliesEachRemoteStateByItsRule() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test1", 1, 1), null, false);
        f.state.aliveNode(alive("test2", 2, 1), null, false);
        f.state.aliveNode(alive("test3", 3, 1), null, false);
        f.state.suspectNode(suspect("test1", 1, "other"));
        f.events.clear();

        f.state.mergeState(List.of(
                push("test1", 1, 2, NodeState.ALIVE),
                push("test2", 2, 1, NodeState.SUSPECT),
                push("test3", 3, 1, NodeState.DEAD),
                push("test4", 4, 2, NodeState.ALIVE)));

        assertThat(f.stateOf("test1")).isEqualTo(NodeState.ALIVE);
        assertThat(f.record("test1").incarnation).isEqualTo(2);
        assertThat(f.stateOf("test2")).isEqualTo(NodeState.SUSPECT);
        assertThat(f.record("test2").incarnation).isEqualTo(1);
        // A remote "dead" is only a suspicion here: this node gives it the chance to refute.
        assertThat(f.stateOf("test3")).isEqualTo(NodeState.SUSPECT);
        assertThat(f.stateOf("test4")).isEqualTo(NodeState.ALIVE);
        assertThat(f.record("test4").incarnation).isEqualTo(2);
        assertThat(f.events).containsExactly("join test4");
        assertThat(f.armed).containsOnlyKeys("test2", "test3");
    }

    @Test
    void mergeOfALeftNodeMarksItLeft() {
        CoreFixture f = new CoreFixture();
        f.state.aliveNode(alive("test1", 1, 1), null, false);
        f.state.mergeState(List.of(push("test1", 1, 1, NodeState.LEFT)));
        assertThat(f.stateOf("test1")).isEqualTo(NodeState.LEFT);
    }

    @Test
    void aJoiningNodeGossipsEveryMemberItsFirstPushPullTeachesAsGoDoes() {
        CoreFixture f = new CoreFixture();
        f.bootstrapSelf();
        f.clearBroadcasts();
        f.events.clear();

        // Not gossiping these saves a join in waves much CPU, but in a start storm they are what carries
        // the later joiners to the earlier ones (docs/benchmarks.md, 2026-12-06 21:43).
        f.state.mergeState(List.of(
                push(SELF, 1, 1, NodeState.ALIVE),
                push("a", 1, 1, NodeState.ALIVE),
                push("b", 2, 3, NodeState.ALIVE),
                push("c", 3, 1, NodeState.DEAD)));
        assertThat(f.record("b").incarnation).isEqualTo(3);
        assertThat(f.record("c")).isNull();
        assertThat(f.events).containsExactly("join a", "join b");
        assertThat(f.drainBroadcasts()).extracting(m -> ((Message.Alive) m).node()).containsExactlyInAnyOrder("a", "b");
    }

    private static Message.PushNodeState push(String name, int lastOctet, long inc, NodeState state) {
        return new Message.PushNodeState(name, new byte[] {127, 0, 0, (byte) lastOctet}, 7946, new byte[0], inc,
                state.code(), CoreFixture.VSN.clone());
    }
}
