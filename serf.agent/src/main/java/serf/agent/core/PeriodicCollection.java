package serf.agent.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A full garbage collection at a fixed period in the agent's own process, as Go's runtime forces a
 * collection when none ran for two minutes.
 *
 * <p>Why: the image runs the serial collector with a heap that starts at 4 MB. Each event leaves
 * short-lived objects that outgrow its 1.2 MB young generation; survivors are promoted, and the old
 * generation grows to take them instead of being collected, which it only is near {@code -Xmx}. An
 * agent under steady events therefore gained about 10 MB of RSS per hour (docs/faults.md, "the
 * hour"), all of it garbage. Collecting every two minutes keeps the old generation at what is live
 * plus two minutes of promotions: a few milliseconds of CPU per collection for a flat RSS.
 *
 * <p>Only the agent command starts one: the process is the agent's. A library never does this, and
 * {@code -XX:+DisableExplicitGC} in {@code SERF_JAVA_OPTS} turns it off.
 */
final class PeriodicCollection implements AutoCloseable {
    /** Go's runtime: a forced collection when none ran for two minutes. */
    static final Duration PERIOD = Duration.ofMinutes(2);

    private final Duration period;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private final AtomicLong collections = new AtomicLong();
    private final Thread thread;
    private boolean closed;

    private PeriodicCollection(Duration period) {
        this.period = period;
        this.thread = Thread.ofVirtual().name("agent-periodic-gc").unstarted(this::run);
    }

    static PeriodicCollection start(Duration period) {
        PeriodicCollection c = new PeriodicCollection(period);
        c.thread.start();
        return c;
    }

    private void run() {
        while (waitOnePeriod()) {
            System.gc();
            collections.incrementAndGet();
        }
    }

    /** False once closed. */
    private boolean waitOnePeriod() {
        lock.lock();
        try {
            long nanos = period.toNanos();
            while (!closed && nanos > 0) {
                nanos = stopped.awaitNanos(nanos);
            }
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Collections run so far. */
    long collections() {
        return collections.get();
    }

    /** Whether its thread still runs (false after {@link #close}). */
    boolean running() {
        return thread.isAlive();
    }

    /** For the agent's stats ({@code limits} section). */
    Map<String, String> stats() {
        return Map.of("agent_periodic_gc", Long.toString(collections.get()));
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
