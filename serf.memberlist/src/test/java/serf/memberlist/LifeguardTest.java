package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;
import static serf.memberlist.CoreFixture.alive;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import serf.memberlist.internal.msg.Message;

/**
 * Lifeguard on the core with a manual clock: the suspicion timeout (SuspicionMult × log10 scale ×
 * ProbeInterval, up to SuspicionMaxTimeoutMult times that while confirmations are awaited), each
 * independent confirmation shrinking it as Go's remainingSuspicionTime says, and probe timeouts
 * scaled by the health score.
 */
class LifeguardTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A core that knows {@code others} nodes besides itself, all alive. */
    private static CoreFixture withNodes(int others) {
        CoreFixture f = new CoreFixture(c -> c.suspicionMult(4).suspicionMaxTimeoutMult(6).probeInterval(Duration.ofSeconds(1)));
        f.bootstrapSelf();
        for (int i = 0; i < others; i++) {
            f.state.aliveNode(alive("n" + i, 10 + i, 1), null, false);
        }
        f.clearBroadcasts();
        return f;
    }

    @Test
    void theTimeoutStartsAtMaxWhileConfirmationsAreWantedAndEachOneShrinksIt() {
        CoreFixture f = withNodes(9); // n = 10: scale log10(10) = 1, k = SuspicionMult - 2 = 2
        long min = 4_000 * MS;
        long max = 6 * min;
        long start = f.clock.nanoTime();
        f.state.suspectNode(new Message.Suspect(1, "n0", "a"));
        assertThat(f.armed.get("n0")).isEqualTo(start + max);
        assertThat(f.drainBroadcasts()).hasSize(1);

        f.clock.advance(Duration.ofSeconds(1));
        f.state.suspectNode(new Message.Suspect(1, "n0", "a")); // the accuser again: not a confirmation
        assertThat(f.armed.get("n0")).isEqualTo(start + max);
        assertThat(f.queued()).isZero();

        f.state.suspectNode(new Message.Suspect(1, "n0", "b"));
        // max − log(2)/log(3) × (max − min), floored to the millisecond: 24 s − 0.6309 × 20 s.
        long afterOne = start + Suspicion.timeoutNanos(1, 2, min, max);
        assertThat(afterOne - start).isEqualTo(11_381 * MS);
        assertThat(f.armed.get("n0")).isEqualTo(afterOne);
        assertThat(f.drainBroadcasts()).singleElement().isInstanceOfSatisfying(Message.Suspect.class,
                s -> assertThat(s.from()).isEqualTo("b")); // a new confirmation is re-gossiped

        f.state.suspectNode(new Message.Suspect(1, "n0", "b"));
        assertThat(f.armed.get("n0")).isEqualTo(afterOne);
        assertThat(f.queued()).isZero();

        f.state.suspectNode(new Message.Suspect(1, "n0", "c"));
        assertThat(f.armed.get("n0")).isEqualTo(start + min); // k reached: the minimum
        f.state.suspectNode(new Message.Suspect(1, "n0", "d"));
        assertThat(f.armed.get("n0")).isEqualTo(start + min);
        assertThat(f.drainBroadcasts()).hasSize(1); // only c's confirmation went out

        // Fired one millisecond early nothing happens; at the deadline the node is dead.
        f.clock.advance(Duration.ofNanos(start + min - MS - f.clock.nanoTime()));
        f.state.suspicionTimerFired("n0");
        assertThat(f.stateOf("n0")).isEqualTo(NodeState.SUSPECT);
        f.fireSuspicionAtDeadline("n0");
        assertThat(f.stateOf("n0")).isEqualTo(NodeState.DEAD);
        assertThat(f.armed).doesNotContainKey("n0");
    }

    @Test
    void aConfirmationAfterTheShrunkDeadlineHasPassedIsDueAtOnce() {
        CoreFixture f = withNodes(9);
        long start = f.clock.nanoTime();
        f.state.suspectNode(new Message.Suspect(1, "n0", "a"));
        f.clock.advance(Duration.ofSeconds(15));
        f.state.suspectNode(new Message.Suspect(1, "n0", "b"));
        assertThat(f.armed.get("n0")).isEqualTo(start + 11_381 * MS).isLessThan(f.clock.nanoTime());
        f.state.suspicionTimerFired("n0");
        assertThat(f.stateOf("n0")).isEqualTo(NodeState.DEAD);
    }

    @Test
    void inASmallClusterNoConfirmationsAreWantedSoTheTimeoutIsTheMinimum() {
        CoreFixture f = withNodes(2); // n = 3, k = 2 > n − 2: k = 0
        long start = f.clock.nanoTime();
        f.state.suspectNode(new Message.Suspect(1, "n0", "a"));
        assertThat(f.armed.get("n0")).isEqualTo(start + 4_000 * MS);
        f.state.suspectNode(new Message.Suspect(1, "n0", "b"));
        assertThat(f.armed.get("n0")).isEqualTo(start + 4_000 * MS);
        assertThat(f.queued()).isEqualTo(1); // nothing re-gossiped
    }

    @Test
    void theTimeoutScalesWithTheLog10OfTheClusterSize() {
        CoreFixture f = withNodes(99); // n = 100: scale 2
        long start = f.clock.nanoTime();
        f.state.suspectNode(new Message.Suspect(1, "n0", "a"));
        assertThat(f.armed.get("n0")).isEqualTo(start + 6 * 8_000 * MS);
        assertThat(MembershipState.suspicionTimeout(4, 100, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aRefutationDisarmsTheTimeoutAndALateFiringDoesNothing() {
        CoreFixture f = withNodes(9);
        f.state.suspectNode(new Message.Suspect(1, "n0", "a"));
        long deadline = f.armed.get("n0");
        f.state.aliveNode(alive("n0", 10, 2), null, false);
        assertThat(f.armed).doesNotContainKey("n0");

        f.clock.advance(Duration.ofNanos(deadline - f.clock.nanoTime() + MS));
        f.state.suspicionTimerFired("n0");
        assertThat(f.stateOf("n0")).isEqualTo(NodeState.ALIVE);
    }

    @Test
    void aNewSuspicionAfterARefutationStartsAfresh() {
        CoreFixture f = withNodes(9);
        f.state.suspectNode(new Message.Suspect(1, "n0", "a"));
        f.state.suspectNode(new Message.Suspect(1, "n0", "b"));
        f.state.aliveNode(alive("n0", 10, 2), null, false);
        f.clock.advance(Duration.ofSeconds(3));
        long start = f.clock.nanoTime();
        f.state.suspectNode(new Message.Suspect(2, "n0", "b"));
        assertThat(f.armed.get("n0")).isEqualTo(start + 24_000 * MS);
    }

    @Test
    void aClosedCoreIgnoresTimeouts() {
        CoreFixture f = withNodes(2);
        f.state.suspectNode(new Message.Suspect(1, "n0", "a"));
        f.state.close();
        assertThat(f.armed).isEmpty();
        f.clock.advance(Duration.ofMinutes(1));
        f.state.suspicionTimerFired("n0");
        assertThat(f.stateOf("n0")).isEqualTo(NodeState.SUSPECT);
    }

    @Test
    void probeTimeoutsGrowWithTheHealthScore() {
        Awareness a = new Awareness(8);
        Duration timeout = Duration.ofMillis(500);
        Duration interval = Duration.ofSeconds(1);
        assertThat(Prober.Timeouts.of(timeout, interval, a)).isEqualTo(new Prober.Timeouts(500 * MS, 1_000 * MS, false));
        a.applyDelta(1);
        assertThat(Prober.Timeouts.of(timeout, interval, a)).isEqualTo(new Prober.Timeouts(500 * MS, 2_000 * MS, false));
        a.applyDelta(100);
        assertThat(a.healthScore()).isEqualTo(7);
        assertThat(Prober.Timeouts.of(timeout, interval, a)).isEqualTo(new Prober.Timeouts(500 * MS, 8_000 * MS, false));
        a.applyDelta(-100);
        assertThat(a.healthScore()).isZero();
        // A probe timeout longer than the round is cut to the round.
        assertThat(Prober.Timeouts.of(Duration.ofSeconds(3), interval, a)).isEqualTo(new Prober.Timeouts(1_000 * MS, 1_000 * MS, false));
    }

    @Test
    void refutationsRaiseTheHealthScoreAndSoTheProbeRound() {
        CoreFixture f = withNodes(1);
        f.state.suspectNode(new Message.Suspect(1, CoreFixture.SELF, "a"));
        f.state.deadNode(new Message.Dead(5, CoreFixture.SELF, "a"));
        assertThat(f.state.awareness().healthScore()).isEqualTo(2);
        assertThat(Prober.Timeouts.of(Duration.ofMillis(500), Duration.ofSeconds(1), f.state.awareness()).roundNanos())
                .isEqualTo(3_000 * MS);
    }
}
