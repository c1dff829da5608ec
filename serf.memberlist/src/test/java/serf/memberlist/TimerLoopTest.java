package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler's timer thread: deadline order, ties in order, cancel, a task scheduled before the one it sleeps for, close. */
class TimerLoopTest {
    private final List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
    private final TimerLoop loop = new TimerLoop(Thread.ofVirtual().name("timer-loop-test"), r -> {
        try {
            r.run();
        } catch (RuntimeException e) {
            thrown.add(e);
        }
    });

    @Test
    void runsTasksInDeadlineOrderAndTiesInTheOrderScheduled() throws Exception {
        try {
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch all = new CountDownLatch(200);
            // Hold the thread so that everything below is queued before anything runs.
            loop.schedule(0, () -> await(gate));
            Random random = new Random(7);
            long[] delays = new long[200];
            for (int i = 0; i < 200; i++) {
                delays[i] = random.nextInt(20) * 1_000_000L; // many equal deadlines
            }
            for (int i = 0; i < 200; i++) {
                int id = i;
                loop.schedule(delays[i], () -> {
                    order.add(id);
                    all.countDown();
                });
            }
            gate.countDown();
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            // Deadlines are taken when a task is scheduled: tasks whose delays differ by a millisecond may
            // swap if scheduling them took that long, equal delays never swap.
            for (int i = 0; i < 200; i++) {
                for (int j = i + 1; j < 200; j++) {
                    if (delays[i] == delays[j]) {
                        assertThat(order.indexOf(i)).isLessThan(order.indexOf(j));
                    }
                }
            }
            assertThat(order).hasSize(200).doesNotHaveDuplicates();
        } finally {
            loop.close();
        }
    }

    @Test
    void aCancelledTaskNeverRunsAndLeavesTheHeap() throws Exception {
        try {
            List<String> ran = Collections.synchronizedList(new ArrayList<>());
            List<Scheduler.Timer> timers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String name = "t" + i;
                timers.add(loop.schedule(50_000_000L + i * 100_000L, () -> ran.add(name)));
            }
            for (int i = 0; i < 50; i += 2) {
                timers.get(i).cancel();
            }
            timers.get(0).cancel(); // twice is harmless
            assertThat(loop.pending()).isEqualTo(25);
            CountDownLatch last = new CountDownLatch(1);
            loop.schedule(80_000_000L, last::countDown);
            assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).hasSize(25).allMatch(n -> Integer.parseInt(n.substring(1)) % 2 == 1);
            assertThat(loop.pending()).isZero();
        } finally {
            loop.close();
        }
    }

    @Test
    void aTaskScheduledBeforeTheOneTheThreadSleepsForRunsOnTime() throws Exception {
        try {
            CountDownLatch late = new CountDownLatch(1);
            CountDownLatch early = new CountDownLatch(1);
            loop.schedule(TimeUnit.SECONDS.toNanos(30), late::countDown);
            waitUntilParked();
            long start = System.nanoTime();
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(20), early::countDown);
            assertThat(early.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            assertThat(late.getCount()).isOne();
        } finally {
            loop.close();
        }
    }

    @Test
    void aThrowingTaskDoesNotStopTheLoopAndHugeDelaysDoNotWrap() throws Exception {
        try {
            CountDownLatch next = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            loop.schedule(Long.MAX_VALUE, never::countDown);
            loop.schedule(0, () -> {
                throw new IllegalStateException("expected by the test");
            });
            loop.schedule(1_000_000L, next::countDown);
            assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(thrown).hasSize(1);
            assertThat(never.getCount()).isOne();
            assertThat(loop.pending()).isOne();
        } finally {
            loop.close();
        }
    }

    @Test
    void closeDropsWaitingTasksEndsTheThreadAndRefusesNewOnes() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        loop.schedule(TimeUnit.MILLISECONDS.toNanos(200), ran::countDown);
        Thread t = loop.close();
        assertThat(t).isNotNull();
        assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        assertThat(loop.schedule(0, ran::countDown)).isNull();
        assertThat(loop.pending()).isZero();
        assertThat(ran.await(400, TimeUnit.MILLISECONDS)).isFalse();
    }

    private void waitUntilParked() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Thread t = loop.thread();
            if (t != null && t.getState() == Thread.State.TIMED_WAITING) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the timer thread did not park");
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
