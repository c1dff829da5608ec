package serf.memberlist;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Lifeguard's dynamic suspicion timeout for one suspect node, as data: it starts at {@code max}
 * when {@code k} independent confirmations are wanted (else at {@code min}) and shrinks towards
 * {@code min} logarithmically with each new confirmation. It holds no thread: its owner arms a
 * timer for {@link #deadlineNanos()} and re-arms it after each {@link #confirm}. Guarded by the
 * owner's lock.
 */
final class Suspicion {
    private final int k;
    private final long minNanos;
    private final long maxNanos;
    private final long startNanos;
    private final Set<String> confirmations = new HashSet<>();
    private long deadlineNanos;
    private int count;

    /**
     * @param from       who raised the suspicion (not counted as a confirmation)
     * @param k          independent confirmations wanted
     * @param startNanos the clock reading the suspicion started at
     */
    Suspicion(String from, int k, Duration min, Duration max, long startNanos) {
        this.k = k;
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + (k < 1 ? minNanos : maxNanos);
        confirmations.add(from);
    }

    /** Go's remainingSuspicionTime: max − (log(n+1)/log(k+1))·(max − min), floored to ms, ≥ min. */
    static long timeoutNanos(int n, int k, long minNanos, long maxNanos) {
        double frac = Math.log(n + 1.0) / Math.log(k + 1.0);
        double raw = maxNanos - frac * (maxNanos - minNanos);
        long millis = (long) Math.floor(raw / 1_000_000.0);
        return Math.max(millis * 1_000_000L, minNanos);
    }

    /**
     * Records a confirmation from {@code from}; true if it was new and counted (then the deadline
     * moved closer: re-arm the timer, and re-broadcast the suspicion).
     */
    boolean confirm(String from) {
        if (count >= k || confirmations.contains(from)) {
            return false;
        }
        confirmations.add(from);
        count++;
        deadlineNanos = startNanos + timeoutNanos(count, k, minNanos, maxNanos);
        return true;
    }

    /** The clock reading at which the suspect is declared dead. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    /** Confirmations wanted before the timeout shrinks to its minimum. */
    int k() {
        return k;
    }

    /** Confirmations counted so far (the accuser's own suspicion is not one). */
    int confirmations() {
        return count;
    }
}
