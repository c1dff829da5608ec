package serf.memberlist;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Suspicion timeouts as timers on the node's {@link Scheduler}: no thread per suspect. Re-arming
 * replaces a node's entry; the firing entry hands the node's name to {@code onTimeout}, which
 * checks the suspicion's deadline against the clock (a stale firing does nothing).
 */
final class SuspicionTimers implements SuspicionScheduler {
    private final NodeScheduler tasks;
    private final Clock clock;
    private final Consumer<String> onTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Scheduler.Timer> armed = new HashMap<>();

    SuspicionTimers(NodeScheduler tasks, Clock clock, Consumer<String> onTimeout) {
        this.tasks = tasks;
        this.clock = clock;
        this.onTimeout = onTimeout;
    }

    @Override
    public void arm(String node, long deadlineNanos) {
        lock.lock();
        try {
            Scheduler.Timer old = armed.remove(node);
            if (old != null) {
                old.cancel();
            }
            Scheduler.Timer[] self = new Scheduler.Timer[1];
            Scheduler.Timer f = tasks.schedule(java.time.Duration.ofNanos(deadlineNanos - clock.nanoTime()), "suspicion-timeout", () -> {
                lock.lock();
                try {
                    armed.remove(node, self[0]);
                } finally {
                    lock.unlock();
                }
                onTimeout.accept(node);
            });
            self[0] = f;
            armed.put(node, f);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel(String node) {
        lock.lock();
        try {
            Scheduler.Timer f = armed.remove(node);
            if (f != null) {
                f.cancel();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Timeouts armed now (for tests). */
    int armed() {
        lock.lock();
        try {
            return armed.size();
        } finally {
            lock.unlock();
        }
    }
}
