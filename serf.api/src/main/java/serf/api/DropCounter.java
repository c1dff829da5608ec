package serf.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what one bounded stage dropped and keeps the log quiet while it does: a warning when a
 * run of drops starts, a summary with the run's count when the stage recovers (or shuts down),
 * nothing in between. The total is what {@link Serf#stats()} shows.
 */
final class DropCounter {
    private final String what;
    private final System.Logger log;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong run = new AtomicLong();

    /** {@code what} says what is dropped and why, e.g. "event sink queue full, events". */
    DropCounter(String what, System.Logger log) {
        this.what = what;
        this.log = log;
    }

    /** Counts one drop; the first of a run is logged with {@code detail}. */
    void dropped(String detail) {
        total.incrementAndGet();
        if (run.getAndIncrement() == 0) {
            String shown = detail.length() > 200 ? detail.substring(0, 200) + "..." : detail;
            log.log(System.Logger.Level.WARNING, "serf: " + what + ": dropping (first: " + shown
                    + "); further drops are counted until it recovers");
        }
    }

    /** Records that an item went through: ends a run of drops, if one is going on, with its count. */
    void passed() {
        if (run.get() != 0) {
            endRun("recovered");
        }
    }

    /** Logs the summary of a run still going on (at shutdown). */
    void flush() {
        if (run.get() != 0) {
            endRun("stopped");
        }
    }

    private void endRun(String how) {
        long n = run.getAndSet(0);
        if (n > 0) {
            log.log(System.Logger.Level.WARNING, "serf: " + what + ": " + how + " after dropping " + n
                    + " (" + total.get() + " in total)");
        }
    }

    long total() {
        return total.get();
    }
}
