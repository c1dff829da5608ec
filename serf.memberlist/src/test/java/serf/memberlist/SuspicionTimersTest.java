package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Suspicion timeouts as entries on the node's one timer thread (real time, short bounded waits). */
class SuspicionTimersTest {
    private final NodeTimer timer = new NodeTimer("test", new LogLimiter(System.getLogger("test")), () -> { });

    @AfterEach
    void stop() {
        timer.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void anArmedTimeoutFiresOnceAtItsDeadline() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        SuspicionTimers timers = new SuspicionTimers(timer, Clock.system(), node -> {
            fired.add(node);
            done.countDown();
        });
        long start = System.nanoTime();
        timers.arm("a", start + TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(timers.armed()).isEqualTo(1);
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(fired).containsExactly("a");
        assertThat(timers.armed()).isZero();
    }

    @Test
    void reArmingReplacesTheEntryAndCancellingSilencesIt() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        SuspicionTimers timers = new SuspicionTimers(timer, Clock.system(), node -> {
            fired.add(node);
            done.countDown();
        });
        long now = System.nanoTime();
        timers.arm("a", now + TimeUnit.SECONDS.toNanos(60));
        timers.arm("a", now + TimeUnit.MILLISECONDS.toNanos(20)); // a confirmation brought it closer
        timers.arm("b", now + TimeUnit.MILLISECONDS.toNanos(10));
        timers.cancel("b");
        assertThat(timers.armed()).isEqualTo(1);
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        // Well past both deadlines: nothing more fires (the 60 s entry was replaced, b was cancelled).
        assertThat(new CountDownLatch(1).await(100, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(fired).containsExactly("a");
        assertThat(timer.pending()).isZero();
    }
}
