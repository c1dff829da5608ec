package serf.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import serf.memberlist.Clock;
import serf.memberlist.Scheduler;

/**
 * A scheduler in virtual time for one-input-at-a-time tests: nothing runs until the test says so.
 * Tasks wait in a queue ordered by (due time, sequence): {@link #schedule} is due at now + delay,
 * {@link #execute} at now (so work runs FIFO after what is already due); {@link #runUntil} and
 * {@link #advance} run due tasks one at a time on the test's thread, moving the clock to each
 * task's time. {@link #await} pumps the queue until the latch opens or the virtual timeout passes.
 * A task that throws is recorded in {@link #failures} and does not stop the run. Not thread-safe:
 * one thread drives it.
 */
final class ManualScheduler implements Scheduler, Clock {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private static final class Task implements Timer {
        final long at;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long at, long seq, Runnable body) {
            this.at = at;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now = 1_000_000_000L;
    private long seq;
    private boolean closed;
    final List<Throwable> failures = new ArrayList<>();
    /** Tasks run so far. */
    long ran;

    @Override
    public Clock clock() {
        return this;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Instant wallTime() {
        return EPOCH.plusNanos(now);
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Task t = new Task(now + Math.max(0, delay.toNanos()), seq++, task);
        if (!closed) {
            queue.add(t);
        }
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    @Override
    public boolean await(CountDownLatch latch, Duration timeout) {
        long deadline = now + Math.max(0, timeout.toNanos());
        while (latch.getCount() > 0) {
            if (!runNext(deadline)) {
                now = Math.max(now, deadline);
                return latch.getCount() == 0;
            }
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
    }

    boolean closed() {
        return closed;
    }

    /** Runs the next live task due by {@code until}; false if there is none. */
    private boolean runNext(long until) {
        while (!queue.isEmpty()) {
            Task t = queue.peek();
            if (t.at > until) {
                return false;
            }
            queue.poll();
            if (t.cancelled) {
                continue;
            }
            now = Math.max(now, t.at);
            ran++;
            try {
                t.body.run();
            } catch (RuntimeException | AssertionError e) {
                failures.add(e);
            }
            return true;
        }
        return false;
    }

    /** Runs every task due within {@code d} of now, then sets the clock to now + d. */
    void advance(Duration d) {
        long until = now + d.toNanos();
        while (runNext(until)) {
            // one task at a time
        }
        now = Math.max(now, until);
    }

    /** Runs what is due now (work handed to {@link #execute}, timers at zero delay). */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Runs tasks in order until {@code done} holds; fails if it does not within {@code limit} of virtual time. */
    void runUntil(BooleanSupplier done, Duration limit) {
        long until = now + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (!runNext(until)) {
                throw new AssertionError("not reached within " + limit + " of virtual time");
            }
        }
    }

    /** Live tasks waiting (cancelled ones not counted). */
    int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled).count();
    }

    /** When the next live task is due, relative to now; null if none. */
    Duration nextDue() {
        return queue.stream().filter(t -> !t.cancelled).mapToLong(t -> t.at).min()
                .stream().mapToObj(at -> Duration.ofNanos(at - now)).findFirst().orElse(null);
    }
}
