package serf.memberlist;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Lifeguard's dynamic suspicion timer for one suspect node. It starts at {@code max} when
 * {@code k} independent confirmations are wanted (else at {@code min}) and shrinks towards
 * {@code min} logarithmically with each new confirmation. A virtual thread waits for the deadline
 * only while the node is suspect; {@link #cancel()} ends it.
 */
final class Suspicion {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Clock clock;
    private final int k;
    private final long minNanos;
    private final long maxNanos;
    private final long startNanos;
    private final Set<String> confirmations = new HashSet<>();
    private final IntConsumer onTimeout;
    private long deadlineNanos;
    private boolean done;
    private int count;

    /**
     * @param from      who raised the suspicion (not counted as a confirmation)
     * @param k         independent confirmations wanted
     * @param onTimeout called once, on the timer's own thread, with the number of confirmations
     */
    Suspicion(Clock clock, String from, int k, Duration min, Duration max, IntConsumer onTimeout) {
        this.clock = clock;
        this.k = k;
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.onTimeout = onTimeout;
        this.startNanos = clock.nanoTime();
        this.deadlineNanos = startNanos + (k < 1 ? minNanos : maxNanos);
        confirmations.add(from);
    }

    /** Starts the waiting thread. */
    void start(String threadName) {
        Thread.ofVirtual().name(threadName).start(this::await);
    }

    /** Go's remainingSuspicionTime: max − (log(n+1)/log(k+1))·(max − min), floored to ms, ≥ min. */
    static long timeoutNanos(int n, int k, long minNanos, long maxNanos) {
        double frac = Math.log(n + 1.0) / Math.log(k + 1.0);
        double raw = maxNanos - frac * (maxNanos - minNanos);
        long millis = (long) Math.floor(raw / 1_000_000.0);
        return Math.max(millis * 1_000_000L, minNanos);
    }

    /** Records a confirmation from {@code from}; true if it was new and counted (then re-broadcast it). */
    boolean confirm(String from) {
        lock.lock();
        try {
            if (done || count >= k || confirmations.contains(from)) {
                return false;
            }
            confirmations.add(from);
            count++;
            deadlineNanos = startNanos + timeoutNanos(count, k, minNanos, maxNanos);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    void cancel() {
        lock.lock();
        try {
            done = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void await() {
        int n;
        lock.lock();
        try {
            while (!done) {
                long left = deadlineNanos - clock.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            if (done) {
                return;
            }
            done = true;
            n = count;
        } catch (InterruptedException e) {
            return;
        } finally {
            lock.unlock();
        }
        onTimeout.accept(n);
    }
}
