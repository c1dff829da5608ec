package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe and gossip rounds' ticker keeps a Go ticker's beat, in virtual time. */
class TickerTest {
    private static final long MS = 1_000_000L;
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ShutdownSignal shutdown = new ShutdownSignal();
    private final NodeScheduler tasks = new NodeScheduler(scheduler, shutdown, new LogLimiter(System.getLogger("test")), () -> { });
    private final long t0 = scheduler.clock().nanoTime();
    private final List<Long> starts = new ArrayList<>();

    private long sinceStart() {
        return (scheduler.clock().nanoTime() - t0) / MS;
    }

    @Test
    void roundsTickOnTheBeatFromAStaggeredStart() {
        Ticker t = new Ticker(tasks, scheduler.clock(), "test", Duration.ofMillis(100), done -> {
            starts.add(sinceStart());
            done.run();
        });
        t.start(Duration.ofMillis(30));
        scheduler.runUntil(t0 + 350 * MS);
        assertThat(starts).containsExactly(30L, 130L, 230L, 330L);
    }

    @Test
    void anOverrunningRoundIsFollowedAtOnceByOneRoundThenTheBeatGoesOn() {
        Ticker t = new Ticker(tasks, scheduler.clock(), "test", Duration.ofMillis(100), done -> {
            long at = sinceStart();
            starts.add(at);
            // The first round takes 250 ms (ends in later steps, as a probe round does); the others 10 ms.
            scheduler.schedule(Duration.ofMillis(at == 0 ? 250 : 10), done);
        });
        t.start(Duration.ZERO);
        scheduler.runUntil(t0 + 450 * MS);
        // Ticks at 100 and 200 were missed: one round at 250 (Go's buffered tick), then 300, 400.
        assertThat(starts).containsExactly(0L, 250L, 300L, 400L);
    }

    @Test
    void aRoundThatThrowsDoesNotStopTheTicker() {
        long[] failures = {0};
        NodeScheduler counting = new NodeScheduler(scheduler, shutdown, new LogLimiter(System.getLogger("test")), () -> failures[0]++);
        Ticker t = new Ticker(counting, scheduler.clock(), "test", Duration.ofMillis(100), done -> {
            starts.add(sinceStart());
            throw new IllegalStateException("boom");
        });
        t.start(Duration.ZERO);
        scheduler.runUntil(t0 + 250 * MS);
        assertThat(starts).containsExactly(0L, 100L, 200L);
        assertThat(failures[0]).isEqualTo(3);
    }

    @Test
    void stoppedOrShutDownItTicksNoMore() {
        Ticker t = new Ticker(tasks, scheduler.clock(), "test", Duration.ofMillis(100), done -> {
            starts.add(sinceStart());
            done.run();
        });
        t.start(Duration.ZERO);
        scheduler.runUntil(t0 + 150 * MS);
        t.stop();
        scheduler.runUntil(t0 + 1000 * MS);
        assertThat(starts).containsExactly(0L, 100L);
        assertThat(scheduler.pending()).isZero();

        Ticker u = new Ticker(tasks, scheduler.clock(), "test", Duration.ofMillis(100), done -> {
            starts.add(-1L);
            done.run();
        });
        u.start(Duration.ofMillis(10));
        shutdown.raise();
        scheduler.runFor(Duration.ofSeconds(1));
        assertThat(starts).containsExactly(0L, 100L);
    }

    @Test
    void anIdleRoundSleepsAStrideAndReportsTheBeatsItSlept() {
        List<Integer> slept = new ArrayList<>();
        Ticker t = Ticker.idling(tasks, scheduler.clock(), "test", Duration.ofMillis(100), 5, s -> {
            starts.add(sinceStart());
            slept.add(s);
            return false; // never anything to do
        });
        t.start(Duration.ofMillis(30));
        scheduler.runUntil(t0 + 1200 * MS);
        assertThat(starts).containsExactly(30L, 530L, 1030L);
        assertThat(slept).containsExactly(0, 4, 4);
    }

    /** An idling ticker (100 ms, stride 5) whose round has work once each time {@code work[0]} is set. */
    private Ticker workOnDemand(boolean[] work, List<Integer> slept) {
        return Ticker.idling(tasks, scheduler.clock(), "test", Duration.ofMillis(100), 5, s -> {
            starts.add(sinceStart());
            slept.add(s);
            boolean had = work[0];
            work[0] = false;
            return had;
        });
    }

    @Test
    void aWakeDuringTheSleepTicksAtOnceAndTheBeatGoesOnFromThere() {
        boolean[] work = {false};
        List<Integer> slept = new ArrayList<>();
        Ticker t = workOnDemand(work, slept);
        t.start(Duration.ZERO);
        scheduler.runUntil(t0 + 250 * MS); // idle round at 0, sleeping until 500
        work[0] = true;
        t.wake();
        scheduler.runUntil(t0 + 1000 * MS);
        // Woken at 250: a round at once (the beats at 100 and 200 were slept through) has work; 350
        // finds none; then a stride.
        assertThat(starts).containsExactly(0L, 250L, 350L, 850L);
        assertThat(slept).containsExactly(0, 2, 0, 4);
    }

    @Test
    void aWakeSoonAfterTheIdleRoundTicksAtOnceToo() {
        boolean[] work = {false};
        List<Integer> slept = new ArrayList<>();
        Ticker t = workOnDemand(work, slept);
        t.start(Duration.ZERO);
        scheduler.runUntil(t0 + 40 * MS); // idle round at 0, sleeping until 500
        work[0] = true;
        t.wake();
        scheduler.runUntil(t0 + 700 * MS);
        // The idle round at 0 sent nothing, so the woken one need not wait for 100: it runs at 40.
        assertThat(starts).containsExactly(0L, 40L, 140L, 640L);
        assertThat(slept).containsExactly(0, 0, 0, 4);
    }

    @Test
    void aWakeWhileARoundRunsKeepsTheTickerAwake() {
        Ticker[] self = new Ticker[1];
        Ticker t = Ticker.idling(tasks, scheduler.clock(), "test", Duration.ofMillis(100), 5, s -> {
            long at = sinceStart();
            starts.add(at);
            if (at == 0) {
                self[0].wake(); // a broadcast queued while this round decided it had nothing
            }
            return false;
        });
        self[0] = t;
        t.start(Duration.ZERO);
        scheduler.runUntil(t0 + 700 * MS);
        assertThat(starts).containsExactly(0L, 100L, 600L);
    }

    @Test
    void aWakeOfATickerThatIsNotSleepingChangesNothing() {
        Ticker t = Ticker.idling(tasks, scheduler.clock(), "test", Duration.ofMillis(100), 5, s -> {
            starts.add(sinceStart());
            return true;
        });
        t.start(Duration.ZERO);
        scheduler.runUntil(t0 + 150 * MS);
        t.wake();
        t.wake();
        scheduler.runUntil(t0 + 350 * MS);
        assertThat(starts).containsExactly(0L, 100L, 200L, 300L);
        assertThat(NodeRounds.idleStride(Duration.ofMillis(200))).isEqualTo(5);
        assertThat(NodeRounds.idleStride(Duration.ofMillis(100))).isEqualTo(10);
        assertThat(NodeRounds.idleStride(Duration.ofMillis(500))).isEqualTo(2);
        assertThat(NodeRounds.idleStride(Duration.ofSeconds(2))).isEqualTo(1);
        assertThat(NodeRounds.idleStride(Duration.ofMillis(10))).isEqualTo(10);
    }
}
