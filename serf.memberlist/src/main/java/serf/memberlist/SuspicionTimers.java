package serf.memberlist;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Suspicion timeouts as entries on the node's {@link NodeTimer}: no thread per suspect. Re-arming
 * replaces a node's entry; the firing entry hands the node's name to {@code onTimeout}, which
 * checks the suspicion's deadline against the clock (a stale firing does nothing).
 */
final class SuspicionTimers implements SuspicionScheduler {
    private final NodeTimer timer;
    private final Clock clock;
    private final Consumer<String> onTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ScheduledFuture<?>> armed = new HashMap<>();

    SuspicionTimers(NodeTimer timer, Clock clock, Consumer<String> onTimeout) {
        this.timer = timer;
        this.clock = clock;
        this.onTimeout = onTimeout;
    }

    @Override
    public void arm(String node, long deadlineNanos) {
        lock.lock();
        try {
            ScheduledFuture<?> old = armed.remove(node);
            if (old != null) {
                old.cancel(false);
            }
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
            ScheduledFuture<?> f = timer.schedule(() -> {
                lock.lock();
                try {
                    armed.remove(node, self[0]);
                } finally {
                    lock.unlock();
                }
                onTimeout.accept(node);
            }, java.time.Duration.ofNanos(deadlineNanos - clock.nanoTime()));
            self[0] = f;
            if (f != null) {
                armed.put(node, f);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel(String node) {
        lock.lock();
        try {
            ScheduledFuture<?> f = armed.remove(node);
            if (f != null) {
                f.cancel(false);
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
