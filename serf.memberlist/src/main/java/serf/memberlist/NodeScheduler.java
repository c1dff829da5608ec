package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A node's use of its {@link Scheduler}. Every task first checks the node's shutdown flag: a
 * scheduler given in the config outlives the node, so whatever of this node is still pending there
 * after {@link Memberlist#shutdown()} must do nothing. A task that throws is counted
 * ({@code loop_exceptions}) and logged rate-limited, per kind of task; the node goes on.
 */
final class NodeScheduler {
    private final Scheduler scheduler;
    private final ShutdownSignal shutdown;
    private final LogLimiter limited;
    private final Runnable onFailure;

    /** @param onFailure counts a task that threw */
    NodeScheduler(Scheduler scheduler, ShutdownSignal shutdown, LogLimiter limited, Runnable onFailure) {
        this.scheduler = scheduler;
        this.shutdown = shutdown;
        this.limited = limited;
        this.onFailure = onFailure;
    }

    /** Runs {@code task} after {@code delay} (a short, non-blocking step); {@code what} names it in logs. */
    Scheduler.Timer schedule(Duration delay, String what, Runnable task) {
        return scheduler.schedule(delay, () -> run(what, task));
    }

    /** Runs {@code task} soon, where it may block (stream I/O). */
    void execute(String what, Runnable task) {
        scheduler.execute(() -> run(what, task));
    }

    /** Waits for {@code latch} the scheduler's way (a thread's wait, or a simulator running forward). */
    boolean await(CountDownLatch latch, Duration timeout) throws InterruptedException {
        return scheduler.await(latch, timeout);
    }

    boolean isDown() {
        return shutdown.isDown();
    }

    private void run(String what, Runnable task) {
        if (shutdown.isDown()) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            if (shutdown.isDown()) {
                return;
            }
            onFailure.run();
            limited.log(System.Logger.Level.ERROR, "task-" + what, "memberlist: " + what + " failed, going on: " + e);
        }
    }
}
