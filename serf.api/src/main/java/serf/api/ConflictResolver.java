package serf.api;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import serf.memberlist.Clock;
import serf.memberlist.Scheduler;

/**
 * Starts name-conflict resolution (a cluster-wide query) at most once at a time and at most once
 * per {@code minInterval}: anyone can forge alive messages carrying our name, and each would
 * otherwise cost a query to every node. Requests in between are counted as dropped; a real
 * conflict keeps being reported by memberlist, so it is resolved at the next slot. A resolution
 * starts as a task on the node's scheduler and is given a callback to call when it has finished
 * (it waits for its query's answers as a continuation, not by blocking).
 */
final class ConflictResolver {
    private final Scheduler scheduler;
    private final Clock clock;
    private final long minIntervalNanos;
    private final Consumer<Runnable> resolve;
    private final DropCounter drops;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean running;
    private long lastStartNanos;
    private boolean started;
    private boolean closed;

    /** {@code resolve} starts a resolution and calls the runnable it is given once it has finished. */
    ConflictResolver(Scheduler scheduler, Clock clock, Duration minInterval, Consumer<Runnable> resolve, DropCounter drops) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.minIntervalNanos = minInterval.toNanos();
        this.resolve = resolve;
        this.drops = drops;
    }

    /** Starts a resolution unless one is running, one started within the interval, or we are closed. */
    boolean request() {
        lock.lock();
        try {
            long now = clock.nanoTime();
            if (closed || running || (started && now - lastStartNanos < minIntervalNanos)) {
                drops.dropped("a resolution is running or ran recently");
                return false;
            }
            started = true;
            running = true;
            lastStartNanos = now;
            drops.passed();
        } finally {
            lock.unlock();
        }
        scheduler.execute(this::run);
        return true;
    }

    private void run() {
        boolean[] once = new boolean[1];
        Runnable finished = () -> {
            lock.lock();
            try {
                if (!once[0]) {
                    once[0] = true;
                    running = false;
                }
            } finally {
                lock.unlock();
            }
        };
        try {
            resolve.accept(finished);
        } catch (RuntimeException e) {
            finished.run();
            throw e;
        }
    }

    /** True while a resolution runs. */
    boolean inFlight() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further requests (a running resolution ends with its query, which shutdown closes). */
    void shutdown() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        drops.flush();
    }
}
