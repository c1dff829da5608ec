package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread of a node ({@code memberlist-timer-<node>}), for short timeouts that must
 * not keep a thread each (indirect-ping relays). Tasks must be quick: they run one at a time. A
 * task that throws is logged (rate-limited) and does not stop the timer. Stopped and joined by
 * {@link #shutdown}.
 */
final class NodeTimer {
    private final ScheduledThreadPoolExecutor executor;
    private final LogLimiter limited;
    private final Runnable onFailure;

    /** @param onFailure counts a task that threw */
    NodeTimer(String nodeName, LogLimiter limited, Runnable onFailure) {
        this.limited = limited;
        this.onFailure = onFailure;
        this.executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofVirtual().name("memberlist-timer-" + nodeName).factory());
        executor.setRemoveOnCancelPolicy(true); // cancelled timeouts do not pile up in the queue
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Runs {@code task} after {@code delay}; null when the timer is shut down (the task never runs).
     */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return executor.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    onFailure.run();
                    limited.log(System.Logger.Level.ERROR, "timer-task", "memberlist: timer task failed: " + e);
                }
            }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Tasks waiting to run (for tests). */
    int pending() {
        return executor.getQueue().size();
    }

    /** Drops what is pending, stops the thread and waits for it (boundedly). */
    void shutdown(Duration wait) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
