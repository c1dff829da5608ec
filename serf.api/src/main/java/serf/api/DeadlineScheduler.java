package serf.api;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The node's one timer thread: query timeouts and other deadlines run here instead of on a
 * sleeping thread each, so a deadline chosen far away costs a queue entry, not a thread.
 * Cancelled tasks leave the queue at once; {@link #shutdown()} drops what is pending and joins
 * the thread. Tasks must be short and must not block.
 */
final class DeadlineScheduler {
    private final ScheduledThreadPoolExecutor executor;
    private final System.Logger log;

    DeadlineScheduler(String threadName, System.Logger log) {
        this.log = log;
        this.executor = new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().name(threadName).factory());
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /** Runs {@code task} once {@code after} has passed; cancel the returned future to forget it. */
    Future<?> schedule(Duration after, Runnable task) {
        long nanos = Math.max(0, after.toNanos());
        return executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.ERROR, "serf: scheduled task failed", e);
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    /** Tasks waiting for their deadline. */
    int pending() {
        return executor.getQueue().size();
    }

    /** Forgets pending tasks and waits (bounded) for the thread to end. */
    void shutdown() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.log(System.Logger.Level.WARNING, "serf: the deadline scheduler did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
