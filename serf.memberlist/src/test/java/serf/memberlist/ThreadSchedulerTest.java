package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import serf.testkit.ThreadNames;

/** The runtime's scheduler: named threads, closed from anywhere without waiting for itself, nothing after close. */
class ThreadSchedulerTest {
    private final System.Logger log = System.getLogger("test");

    @Test
    void closeWaitsForRunningWorkAndRunsNothingAfter() throws Exception {
        ThreadScheduler s = new ThreadScheduler("tsched-a", Clock.system(), log);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        s.execute(() -> {
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.set(true);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ThreadNames.liveStartingWith("tsched-a-work")).hasSize(1);
        Thread closer = Thread.ofVirtual().start(s::close);
        release.countDown();
        closer.join(Duration.ofSeconds(10));
        assertThat(finished).isTrue();
        assertThat(s.working()).isZero();
        AtomicBoolean ran = new AtomicBoolean();
        s.execute(() -> ran.set(true));
        s.schedule(Duration.ZERO, () -> ran.set(true));
        assertThat(new CountDownLatch(1).await(50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(ran).isFalse();
    }

    @Test
    void aTaskMayCloseItsOwnSchedulerWithoutWaitingForItself() throws Exception {
        ThreadScheduler s = new ThreadScheduler("tsched-b", Clock.system(), log);
        CountDownLatch closed = new CountDownLatch(2);
        long start = System.nanoTime();
        s.schedule(Duration.ofMillis(1), () -> {
            s.close();
            closed.countDown();
        });
        ThreadScheduler t = new ThreadScheduler("tsched-c", Clock.system(), log);
        t.execute(() -> {
            t.close();
            closed.countDown();
        });
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aTaskThatThrowsIsCountedAndTheNextStillRuns() throws Exception {
        ThreadScheduler s = new ThreadScheduler("tsched-d", Clock.system(), log);
        try {
            CountDownLatch next = new CountDownLatch(1);
            s.schedule(Duration.ZERO, () -> {
                throw new IllegalStateException("expected by the test");
            });
            s.schedule(Duration.ofMillis(5), next::countDown);
            assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(s.failures()).isEqualTo(1);
            assertThat(ThreadNames.liveStartingWith("tsched-d-timer")).hasSize(1);
        } finally {
            s.close();
        }
    }
}
