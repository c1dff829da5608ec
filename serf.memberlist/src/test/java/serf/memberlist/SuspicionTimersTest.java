package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Suspicion timeouts as timers on the node's scheduler (here in virtual time). */
class SuspicionTimersTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ShutdownSignal shutdown = new ShutdownSignal();
    private final NodeScheduler tasks = new NodeScheduler(scheduler, shutdown, new LogLimiter(System.getLogger("test")), () -> { });
    private final List<String> fired = new ArrayList<>();
    private final List<Long> firedAt = new ArrayList<>();
    private final SuspicionTimers timers = new SuspicionTimers(tasks, scheduler.clock(), node -> {
        fired.add(node);
        firedAt.add(scheduler.clock().nanoTime());
    });

    private long ms(long n) {
        return Duration.ofMillis(n).toNanos();
    }

    @Test
    void anArmedTimeoutFiresOnceAtItsDeadline() {
        long start = scheduler.clock().nanoTime();
        timers.arm("a", start + ms(50));
        assertThat(timers.armed()).isEqualTo(1);
        scheduler.runUntil(start + ms(49));
        assertThat(fired).isEmpty();
        scheduler.runFor(Duration.ofSeconds(10));
        assertThat(fired).containsExactly("a");
        assertThat(firedAt).containsExactly(start + ms(50));
        assertThat(timers.armed()).isZero();
    }

    @Test
    void reArmingReplacesTheEntryAndCancellingSilencesIt() {
        long now = scheduler.clock().nanoTime();
        timers.arm("a", now + ms(60_000));
        timers.arm("a", now + ms(20)); // a confirmation brought it closer
        timers.arm("b", now + ms(10));
        timers.cancel("b");
        assertThat(timers.armed()).isEqualTo(1);
        scheduler.runFor(Duration.ofMinutes(5));
        // Well past both deadlines: nothing more fired (the 60 s entry was replaced, b was cancelled).
        assertThat(fired).containsExactly("a");
        assertThat(firedAt).containsExactly(now + ms(20));
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void afterShutdownAPendingTimeoutDoesNothing() {
        timers.arm("a", scheduler.clock().nanoTime() + ms(10));
        shutdown.raise();
        scheduler.runFor(Duration.ofSeconds(1));
        assertThat(fired).isEmpty();
    }
}
