package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import serf.memberlist.Clock;
import serf.memberlist.Scheduler;
import serf.testkit.Poll;
import serf.testkit.RecordingLogger;
import serf.testkit.ThreadNames;

/** Serf runs on the scheduler in its memberlist config when one is given, and leaves it open. */
class SerfSchedulerSeamTest {

    /** Counts what goes through a thread-backed scheduler. */
    private static final class CountingScheduler implements Scheduler {
        final Scheduler inner;
        final AtomicInteger scheduled = new AtomicInteger();
        final AtomicInteger executed = new AtomicInteger();
        final AtomicInteger awaited = new AtomicInteger();

        CountingScheduler(Scheduler inner) {
            this.inner = inner;
        }

        @Override
        public Clock clock() {
            return inner.clock();
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            scheduled.incrementAndGet();
            return inner.schedule(delay, task);
        }

        @Override
        public void execute(Runnable task) {
            executed.incrementAndGet();
            inner.execute(task);
        }

        @Override
        public boolean await(CountDownLatch latch, Duration timeout) throws InterruptedException {
            awaited.incrementAndGet();
            return inner.await(latch, timeout);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aGivenSchedulerCarriesSerfsTimersAndWorkAndIsNotClosedBySerf() throws Exception {
        CountingScheduler given = new CountingScheduler(Scheduler.ofThreads("given-scheduler", new RecordingLogger()));
        try (SerfCluster c = new SerfCluster(61)) {
            Serf a = c.add("a", cfg -> {
                cfg.memberlistConfig().scheduler(given);
                return cfg;
            });
            c.add("b");
            c.joinAll();
            c.awaitAllAlive(2, Duration.ofSeconds(10));
            assertThat(ThreadNames.liveStartingWith("serf-a-")).as("no scheduler of its own").isEmpty();
            int scheduledBefore = given.scheduled.get();
            assertThat(scheduledBefore).as("reaper, reconnector, queue monitor").isGreaterThanOrEqualTo(3);
            c.nodes.get(1).userEvent("hello", null, false);
            Poll.until("the event delivered on a", Duration.ofSeconds(10),
                    () -> c.userEvents("a").stream().anyMatch(e -> e.name().equals("hello")));
            assertThat(given.executed.get()).as("delivery to the sink is a task").isPositive();
            QueryResponse r = a.query("q", null, a.defaultQueryParams().withTimeout(Duration.ofMillis(200)));
            assertThat(r.awaitResponses()).isEmpty();
            assertThat(given.awaited.get()).as("waiting for answers goes through the scheduler").isPositive();
            a.shutdown();
            CountDownLatch stillRuns = new CountDownLatch(1);
            given.schedule(Duration.ZERO, stillRuns::countDown);
            assertThat(stillRuns.await(5, TimeUnit.SECONDS)).as("Serf never closes a scheduler it was given").isTrue();
            assertThat(List.of(a.state())).containsExactly(SerfState.SHUTDOWN);
        } finally {
            given.close();
        }
    }
}
