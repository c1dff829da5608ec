package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Scheduler#ofThreads}: timed tasks one at a time on a single virtual timer thread (so a
 * pending timeout costs a queue entry, not a thread), blocking work on a virtual thread each.
 * Cancelled tasks leave the queue at once; after {@link #close()} nothing new runs.
 */
final class ThreadScheduler implements Scheduler {
    private static final Timer NOT_SCHEDULED = () -> { };

    private final String name;
    private final Clock clock;
    private final System.Logger log;
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    ThreadScheduler(String name, Clock clock, System.Logger log) {
        this.name = name;
        this.clock = clock;
        this.log = log;
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().name(name + "-timer").factory());
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        try {
            ScheduledFuture<?> f = timer.schedule(() -> run(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return NOT_SCHEDULED; // closed: the task would never run anyway
        }
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            return;
        }
        Thread.ofVirtual().name(name + "-work").start(() -> run(task));
    }

    @Override
    public boolean await(CountDownLatch latch, Duration timeout) throws InterruptedException {
        return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            if (!closed) {
                log.log(System.Logger.Level.ERROR, name + ": scheduled task failed: " + e);
            }
        }
    }

    /** Timed tasks waiting (for tests). */
    int pending() {
        return timer.getQueue().size();
    }

    /** Tasks that threw. */
    long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.log(System.Logger.Level.WARNING, name + ": the timer thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
