package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import serf.api.internal.msg.SerfMessage;
import serf.memberlist.Node;
import serf.memberlist.NodeState;
import serf.testkit.RecordingLogger;

/**
 * Serf's member rules one input at a time, on a manual clock (the facts of Go's serf_test.go:
 * intents and their Lamport ordering, the intent buffer, refutation, reaping, reconnection).
 */
class MemberTrackerTest {
    private final RecordingLogger log = new RecordingLogger();
    private final ManualScheduler clock = new ManualScheduler();
    private final List<Event> events = new ArrayList<>();
    private final List<String> forgotten = new ArrayList<>();
    private final AtomicBoolean localAlive = new AtomicBoolean(true);
    private final AtomicInteger refutations = new AtomicInteger();
    private final Config config = Config.defaults().nodeName("local")
            .reconnectTimeout(Duration.ofHours(1)).tombstoneTimeout(Duration.ofHours(2))
            .recentIntentTimeout(Duration.ofMinutes(5));
    private final MemberTracker members = new MemberTracker(config, clock, 100, new DropCounters(log), log, events::add,
            forgotten::add, localAlive::get, refutations::incrementAndGet);

    private static Node node(String name) {
        try {
            return new Node(name, InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (name.hashCode() & 0x7f)}), 7946,
                    new byte[0], NodeState.ALIVE, 2, 5, 5, 2, 5, 5);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private MemberStatus status(String name) {
        Member m = members.member(name);
        return m == null ? null : m.status();
    }

    private List<EventType> eventTypes() {
        return events.stream().map(Event::type).toList();
    }

    @Test
    void aJoinIntentBeforeTheMemberIsKnownIsKeptAndGivesItsLTimeWhenMemberlistReportsIt() {
        assertThat(members.joinIntent(new SerfMessage.Join(7, "a"))).as("new: rebroadcast").isTrue();
        assertThat(members.joinIntent(new SerfMessage.Join(7, "a"))).as("same LTime: old news").isFalse();
        assertThat(members.intentsHeld()).isEqualTo(1);
        assertThat(members.clock().time()).as("witnessed").isEqualTo(8);
        members.nodeJoined(node("a"));
        assertThat(status("a")).isEqualTo(MemberStatus.ALIVE);
        assertThat(members.statusLTime("a")).isEqualTo(7);
        assertThat(members.intentsHeld()).as("used up").isZero();
        assertThat(eventTypes()).containsExactly(EventType.MEMBER_JOIN);
        assertThat(members.joinIntent(new SerfMessage.Join(6, "a"))).as("older than the member's status").isFalse();
    }

    @Test
    void aLeaveIntentBeforeTheMemberIsKnownMakesItLeavingAndItsDepartureALeave() {
        assertThat(members.leaveIntent(new SerfMessage.Leave(3, "b", false))).isTrue();
        assertThat(members.joinIntent(new SerfMessage.Join(2, "b"))).as("an older join does not replace it").isFalse();
        members.nodeJoined(node("b"));
        assertThat(status("b")).isEqualTo(MemberStatus.LEAVING);
        members.nodeLeft(node("b"));
        assertThat(status("b")).isEqualTo(MemberStatus.LEFT);
        assertThat(eventTypes()).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_LEAVE);
    }

    @Test
    void intentsAboutAKnownMemberApplyOnlyWhenNewerThanItsStatus() {
        members.nodeJoined(node("c"));
        assertThat(members.leaveIntent(new SerfMessage.Leave(5, "c", false))).isTrue();
        assertThat(status("c")).isEqualTo(MemberStatus.LEAVING);
        assertThat(members.joinIntent(new SerfMessage.Join(5, "c"))).as("same LTime: stale").isFalse();
        assertThat(status("c")).isEqualTo(MemberStatus.LEAVING);
        assertThat(members.joinIntent(new SerfMessage.Join(6, "c"))).as("newer: the member stays").isTrue();
        assertThat(status("c")).isEqualTo(MemberStatus.ALIVE);
        assertThat(members.leaveIntent(new SerfMessage.Leave(4, "c", false))).as("older: ignored").isFalse();
        assertThat(status("c")).isEqualTo(MemberStatus.ALIVE);
        members.nodeLeft(node("c"));
        assertThat(status("c")).as("gone while alive: failed").isEqualTo(MemberStatus.FAILED);
        assertThat(eventTypes()).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_FAILED);
    }

    @Test
    void aLeaveIntentAtTheTimeAPushPullRestatedCountsSoAGracefulLeaveIsNotAFailure() {
        // The race behind GoSerfInteropTest.leaveAndForceLeaveShowTheRightStatusEverywhere's flake: a
        // push/pull from a node that already had the member leaving restates its leave's time as a join
        // (Go's artificial join); the leave intent itself, arriving after, is no newer. In Go it is then
        // ignored, and the member's departure a moment later is taken for a failure.
        members.nodeJoined(node("g"));
        assertThat(members.joinIntent(new SerfMessage.Join(1, "g"))).isTrue();
        members.restatedStatus("g", 5);
        assertThat(status("g")).isEqualTo(MemberStatus.ALIVE);
        assertThat(members.statusLTime("g")).isEqualTo(5);
        assertThat(members.leaveIntent(new SerfMessage.Leave(5, "g", false))).as("counts: rebroadcast").isTrue();
        assertThat(status("g")).isEqualTo(MemberStatus.LEAVING);
        assertThat(members.leaveIntent(new SerfMessage.Leave(5, "g", false))).as("a second copy is old news").isFalse();
        members.nodeLeft(node("g"));
        assertThat(status("g")).isEqualTo(MemberStatus.LEFT);
        assertThat(eventTypes()).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_LEAVE);
    }

    @Test
    void atTheTimeOfAnIntentOrOfAnOlderRestatementALeaveIsOldNewsAsInGo() {
        members.nodeJoined(node("h"));
        assertThat(members.joinIntent(new SerfMessage.Join(5, "h"))).isTrue();
        assertThat(members.leaveIntent(new SerfMessage.Leave(5, "h", false))).as("tie with a real intent").isFalse();
        members.restatedStatus("h", 4);
        assertThat(members.statusLTime("h")).as("an older restatement changes nothing").isEqualTo(5);
        assertThat(members.leaveIntent(new SerfMessage.Leave(5, "h", false))).isFalse();
        members.restatedStatus("h", 7);
        assertThat(members.leaveIntent(new SerfMessage.Leave(6, "h", false))).as("older than the restated time").isFalse();
        assertThat(status("h")).isEqualTo(MemberStatus.ALIVE);
    }

    @Test
    void aForceLeaveOfUsAtTheTimeAPushPullRestatedIsRefuted() {
        // A peer force-left this live node and pushed its state (us leaving, at the leave's time) before
        // the leave intent itself arrived: the intent is no newer than the restated time, but unrefuted it
        // would leave us "leaving" in the others' views for good.
        members.nodeJoined(node("local"));
        assertThat(members.joinIntent(new SerfMessage.Join(2, "local"))).isTrue();
        members.restatedStatus("local", 6);
        assertThat(members.leaveIntent(new SerfMessage.Leave(6, "local", false))).isFalse();
        assertThat(refutations.get()).isEqualTo(1);
        assertThat(status("local")).isEqualTo(MemberStatus.ALIVE);
    }

    @Test
    void aLeaveIntentForAFailedMemberMakesItLeftAndPruneErasesIt() {
        members.nodeJoined(node("d"));
        members.nodeJoined(node("e"));
        members.nodeLeft(node("d"));
        members.nodeLeft(node("e"));
        events.clear();
        assertThat(members.leaveIntent(new SerfMessage.Leave(2, "d", false))).isTrue();
        assertThat(status("d")).isEqualTo(MemberStatus.LEFT);
        assertThat(members.leaveIntent(new SerfMessage.Leave(2, "e", true))).isTrue();
        assertThat(status("e")).as("pruned").isNull();
        assertThat(forgotten).containsExactly("e");
        assertThat(eventTypes()).containsExactly(EventType.MEMBER_LEAVE, EventType.MEMBER_LEAVE, EventType.MEMBER_REAP);
        assertThat(members.counts()).containsExactly(1, 0, 1);
    }

    @Test
    void aLeaveIntentAboutUsWhileAliveIsRefutedNotApplied() {
        members.nodeJoined(node("local"));
        assertThat(members.leaveIntent(new SerfMessage.Leave(9, "local", false))).isFalse();
        assertThat(refutations.get()).isEqualTo(1);
        assertThat(status("local")).isEqualTo(MemberStatus.ALIVE);
        assertThat(members.clock().time()).as("the refutation's join will be newer").isEqualTo(10);
        localAlive.set(false); // leaving ourselves: our own intent applies
        assertThat(members.leaveIntent(new SerfMessage.Leave(10, "local", false))).isTrue();
        assertThat(status("local")).isEqualTo(MemberStatus.LEAVING);
        assertThat(refutations.get()).isEqualTo(1);
    }

    @Test
    void aLeaveIntentAboutUsWithTheLTimeOfOurOwnJoinIsOldNewsAndNotRefuted() {
        // The tie behind SerfClusterTest.forceLeaveOfALiveNodeIsRefuted's old flake: a peer that
        // force-leaves us before it has witnessed our join intent stamps its leave with the same
        // Lamport time. As in Go, not newer means old: no refutation, and the peer's own view of us
        // (leaving at that time) does not take our join as newer either.
        members.nodeJoined(node("local"));
        assertThat(members.joinIntent(new SerfMessage.Join(1, "local"))).isTrue();
        assertThat(members.leaveIntent(new SerfMessage.Leave(1, "local", false))).isFalse();
        assertThat(refutations.get()).isZero();
        assertThat(status("local")).isEqualTo(MemberStatus.ALIVE);
        assertThat(members.statusLTime("local")).isEqualTo(1);
        assertThat(members.leaveIntent(new SerfMessage.Leave(2, "local", false))).as("newer: refuted").isFalse();
        assertThat(refutations.get()).isEqualTo(1);
    }

    @Test
    void bufferedIntentsAreForgottenAfterTheRecentIntentTimeout() {
        members.joinIntent(new SerfMessage.Join(3, "ghost"));
        clock.advance(Duration.ofMinutes(5));
        members.reap();
        assertThat(members.intentsHeld()).as("not older than the timeout yet").isEqualTo(1);
        clock.advance(Duration.ofNanos(1));
        members.reap();
        assertThat(members.intentsHeld()).isZero();
        members.nodeJoined(node("ghost"));
        assertThat(members.statusLTime("ghost")).as("the forgotten intent does not apply").isZero();
    }

    @Test
    void failedMembersAreReapedAfterTheReconnectTimeoutLeftOnesAfterTheTombstoneTimeout() {
        members.nodeJoined(node("f"));
        members.nodeJoined(node("l"));
        members.leaveIntent(new SerfMessage.Leave(1, "l", false));
        members.nodeLeft(node("f"));
        members.nodeLeft(node("l"));
        events.clear();
        clock.advance(Duration.ofHours(1));
        members.reap();
        assertThat(status("f")).as("exactly at the timeout: kept").isEqualTo(MemberStatus.FAILED);
        clock.advance(Duration.ofNanos(1));
        members.reap();
        assertThat(status("f")).isNull();
        assertThat(status("l")).isEqualTo(MemberStatus.LEFT);
        clock.advance(Duration.ofHours(1));
        members.reap();
        assertThat(status("l")).isNull();
        assertThat(eventTypes()).containsExactly(EventType.MEMBER_REAP, EventType.MEMBER_REAP);
        assertThat(forgotten).containsExactly("f", "l");
    }

    @Test
    void aMemberThatComesBackIsNoLongerReaped() {
        members.nodeJoined(node("g"));
        members.nodeLeft(node("g"));
        clock.advance(Duration.ofMinutes(30));
        members.nodeJoined(node("g"));
        clock.advance(Duration.ofHours(2));
        members.reap();
        assertThat(status("g")).isEqualTo(MemberStatus.ALIVE);
    }

    @Test
    void theReaperRunsOnTheSchedulerEveryReapInterval() {
        PeriodicTasks periodic = new PeriodicTasks(clock, log);
        periodic.every("reaper", Duration.ofSeconds(15), members::reap);
        members.nodeJoined(node("h"));
        members.nodeLeft(node("h"));
        clock.advance(Duration.ofMinutes(59));
        assertThat(status("h")).isEqualTo(MemberStatus.FAILED);
        clock.advance(Duration.ofMinutes(1).plusSeconds(15));
        assertThat(status("h")).as("reaped by the round after the timeout").isNull();
        periodic.cancelAll();
        assertThat(clock.pending()).isZero();
        assertThat(clock.failures).isEmpty();
    }

    @Test
    void theReconnectProbabilityIsFailedOverAlive() {
        assertThat(Reconnector.probability(1, 4)).isEqualTo(0.25);
        assertThat(Reconnector.probability(3, 3)).isEqualTo(1.0);
        assertThat(Reconnector.probability(2, 0)).as("alive counted as at least one").isEqualTo(2.0);
    }

    @Test
    void aReconnectTargetIsChosenWithTheNodesRandomSource() {
        assertThat(members.reconnectTarget(new Random(1))).as("nobody failed").isNull();
        for (String n : List.of("m1", "m2", "m3", "m4", "m5")) {
            members.nodeJoined(node(n));
        }
        members.nodeLeft(node("m5")); // 1 failed, 4 alive: p = 0.25
        assertThat(members.reconnectTarget(fixed(0.26, 0))).as("draw above p: no attempt this round").isNull();
        assertThat(members.reconnectTarget(fixed(0.25, 0))).extracting(Member::name).isEqualTo("m5");
        Member a = members.reconnectTarget(new Random(42));
        Member b = members.reconnectTarget(new Random(42));
        assertThat(a).as("the same seed, the same choice").isEqualTo(b);
    }

    @Test
    void aReconnectJoinsAsWorkOnTheSchedulerOneAtATime() {
        List<List<String>> joins = new ArrayList<>();
        Reconnector r = new Reconnector(members, fixed(0.0, 0), clock, addrs -> {
            joins.add(addrs);
            return 1;
        }, "local", () -> false, log);
        r.round();
        assertThat(clock.pending()).as("nobody failed: nothing to do").isZero();
        members.nodeJoined(node("n1"));
        members.nodeLeft(node("n1"));
        r.round();
        r.round(); // the first attempt has not run yet: no second one
        assertThat(joins).as("not on the caller's stack").isEmpty();
        clock.runDue();
        assertThat(joins).hasSize(1);
        assertThat(joins.get(0).get(0)).startsWith("n1/127.0.0.");
        r.round();
        clock.runDue();
        assertThat(joins).hasSize(2);
    }

    @Test
    void trackersInOneProcessShareEqualMembersAndAStatusChangeStaysWithItsTracker() {
        List<Event> otherEvents = new ArrayList<>();
        MemberTracker other = new MemberTracker(Config.defaults().nodeName("other"), clock, 100, new DropCounters(log), log,
                otherEvents::add, name -> { }, () -> true, () -> { });
        members.nodeJoined(node("s"));
        other.nodeJoined(node("s"));
        Member mine = members.member("s");
        assertThat(other.member("s")).as("one instance for both nodes").isSameAs(mine);
        members.nodeLeft(node("s"));
        assertThat(members.member("s").status()).isEqualTo(MemberStatus.FAILED);
        assertThat(other.member("s")).as("the other node's view is untouched").isSameAs(mine);
        assertThat(mine.status()).isEqualTo(MemberStatus.ALIVE);
        other.nodeLeft(node("s"));
        assertThat(other.member("s")).as("the failed value is shared too").isSameAs(members.member("s"));
        members.nodeJoined(node("s"));
        assertThat(members.member("s")).isSameAs(mine);
        assertThat(other.member("s").status()).isEqualTo(MemberStatus.FAILED);
    }

    @Test
    void theMemberPoolHoldsValuesOnlyWhileSomeoneDoes() throws InterruptedException {
        int before = MemberPool.size();
        for (int i = 0; i < 1_000; i++) {
            MemberPool.intern(MemberTracker.toMember(node("gone-" + i), MemberStatus.ALIVE));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (MemberPool.size() > before + 500 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(MemberPool.size()).as("unreferenced values are cleared").isLessThanOrEqualTo(before + 500);
    }

    /** A random source whose nextDouble and nextInt are fixed. */
    private static RandomGenerator fixed(double d, int i) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return i;
            }

            @Override
            public double nextDouble() {
                return d;
            }

            @Override
            public int nextInt(int bound) {
                return i;
            }
        };
    }
}
