package serf.agent.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what a bounded queue (or a refusing limit) drops, and tells its owner when to log: once when
 * a run of drops starts (a warning) and once when it ends (a summary), never once per drop, so a
 * flood cannot turn into a flood of log lines. Thread-safe; the split of counts between two runs that
 * overlap a racing success is approximate, the total is exact.
 */
public final class DropRun {
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong inRun = new AtomicLong();

    /** Counts one drop; true when it starts a run (the caller logs a warning). */
    public boolean dropped() {
        total.incrementAndGet();
        return inRun.getAndIncrement() == 0;
    }

    /** Something got through: ends the current run; how many it dropped (0 when there was none: log nothing). */
    public long passed() {
        return inRun.get() == 0 ? 0 : inRun.getAndSet(0);
    }

    /** Every drop counted so far. */
    public long total() {
        return total.get();
    }
}
