package serf.api;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Starts name-conflict resolution (a cluster-wide query) at most once at a time and at most once
 * per {@code minInterval}: anyone can forge alive messages carrying our name, and each would
 * otherwise cost a thread and a query to every node. Requests in between are counted as dropped;
 * a real conflict keeps being reported by memberlist, so it is resolved at the next slot.
 */
final class ConflictResolver {
    private final String threadName;
    private final long minIntervalNanos;
    private final Runnable resolve;
    private final DropCounter drops;
    private final ReentrantLock lock = new ReentrantLock();
    private Thread running;
    private long lastStartNanos;
    private boolean started;
    private boolean closed;

    ConflictResolver(String threadName, Duration minInterval, Runnable resolve, DropCounter drops) {
        this.threadName = threadName;
        this.minIntervalNanos = minInterval.toNanos();
        this.resolve = resolve;
        this.drops = drops;
    }

    /** Starts a resolution unless one is running, one started within the interval, or we are closed. */
    boolean request() {
        lock.lock();
        try {
            long now = System.nanoTime();
            if (closed || (running != null && running.isAlive())
                    || (started && now - lastStartNanos < minIntervalNanos)) {
                drops.dropped("a resolution is running or ran recently");
                return false;
            }
            started = true;
            lastStartNanos = now;
            running = Thread.ofVirtual().name(threadName).start(resolve);
            drops.passed();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** True while a resolution runs. */
    boolean inFlight() {
        lock.lock();
        try {
            return running != null && running.isAlive();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further requests and joins a running resolution (unless called from it). */
    void shutdown() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            t = running;
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drops.flush();
    }
}
