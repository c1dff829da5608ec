package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Lifeguard formulas against values worked out from the Go source and the examples of docs/protocol/memberlist-wire.md §5.2. */
class TimeoutFormulaTest {

    @Test
    void suspicionTimeoutScalesWithLog10OfClusterSize() {
        Duration second = Duration.ofSeconds(1);
        // LAN, 3 nodes: 4 s (captured: suspect at 15.0 s, dead at 19.0 s).
        assertThat(MembershipState.suspicionTimeout(4, 3, second)).isEqualTo(Duration.ofSeconds(4));
        assertThat(MembershipState.suspicionTimeout(4, 1, second)).isEqualTo(Duration.ofSeconds(4));
        assertThat(MembershipState.suspicionTimeout(4, 100, second)).isEqualTo(Duration.ofSeconds(8));
        // log10(1000) = 3
        assertThat(MembershipState.suspicionTimeout(4, 1000, second)).isEqualTo(Duration.ofSeconds(12));
        // log10(50) = 1.69897 -> truncated to 1.698
        assertThat(MembershipState.suspicionTimeout(4, 50, second)).isEqualTo(Duration.ofMillis(6792));
    }

    @Test
    void remainingSuspicionTimeShrinksLogarithmically() {
        long min = TimeUnit.SECONDS.toNanos(2);
        long max = TimeUnit.SECONDS.toNanos(30);
        // k = 3 confirmations wanted.
        assertThat(Suspicion.timeoutNanos(0, 3, min, max)).isEqualTo(max);
        assertThat(Suspicion.timeoutNanos(1, 3, min, max)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(16000));
        assertThat(Suspicion.timeoutNanos(3, 3, min, max)).isEqualTo(min);
    }

    @Test
    void pushPullIntervalGrowsBeyond32Nodes() {
        Duration i = Duration.ofSeconds(30);
        assertThat(PushPull.pushPullScale(i, 32)).isEqualTo(i);
        assertThat(PushPull.pushPullScale(i, 33)).isEqualTo(Duration.ofSeconds(60));
        assertThat(PushPull.pushPullScale(i, 64)).isEqualTo(Duration.ofSeconds(60));
        assertThat(PushPull.pushPullScale(i, 65)).isEqualTo(Duration.ofSeconds(90));
        assertThat(PushPull.pushPullScale(i, 256)).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void suspicionDeadlineIsMinWhenNoConfirmationsAreWanted() {
        long start = 5_000_000_000L;
        Suspicion s = new Suspicion("a", 0, Duration.ofMillis(100), Duration.ofMillis(600), start);
        assertThat(s.deadlineNanos()).isEqualTo(start + TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(s.confirm("b")).isFalse();
        assertThat(s.deadlineNanos()).isEqualTo(start + TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(s.confirmations()).isZero();
    }

    @Test
    void confirmationsShortenTheDeadlineAndDuplicatesDoNotCount() {
        long start = 1_000L;
        Suspicion s = new Suspicion("a", 2, Duration.ofMillis(100), Duration.ofSeconds(60), start);
        assertThat(s.deadlineNanos()).isEqualTo(start + TimeUnit.SECONDS.toNanos(60));
        assertThat(s.confirm("a")).isFalse(); // the accuser itself
        assertThat(s.confirm("b")).isTrue();
        long afterOne = s.deadlineNanos();
        assertThat(afterOne).isEqualTo(start + Suspicion.timeoutNanos(1, 2, TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.SECONDS.toNanos(60)));
        assertThat(afterOne).isLessThan(start + TimeUnit.SECONDS.toNanos(60));
        assertThat(s.confirm("b")).isFalse();
        assertThat(s.deadlineNanos()).isEqualTo(afterOne);
        assertThat(s.confirm("c")).isTrue(); // k reached: the timeout is min
        assertThat(s.deadlineNanos()).isEqualTo(start + TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(s.confirmations()).isEqualTo(2);
        assertThat(s.confirm("d")).isFalse();
    }

    @Test
    void awarenessIsClampedAndScalesTimeouts() {
        Awareness a = new Awareness(8);
        a.applyDelta(-3);
        assertThat(a.healthScore()).isZero();
        a.applyDelta(100);
        assertThat(a.healthScore()).isEqualTo(7);
        assertThat(a.scaleTimeout(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(8));
    }
}
