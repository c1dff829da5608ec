package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission of inbound push/pulls: at most {@link Memberlist#MAX_PUSH_PULL_REQUESTS} served at once
 * (Go's maxPushPullRequests). Unlike a bare counter, a request that finds them all busy waits (up to
 * a bound) for one to end, so joins that arrive faster than they are served are delayed rather than
 * refused; what is still refused after the wait is counted. Every admitted request must
 * {@link #release()}, on every path.
 */
final class PushPullAdmission {
    private final Semaphore permits;
    private final Duration maxWait;
    private final AtomicLong refused = new AtomicLong();

    /** @param maxWait how long a request waits for a free slot (the node uses half its TCP timeout) */
    PushPullAdmission(int maxInFlight, Duration maxWait) {
        this.permits = new Semaphore(maxInFlight);
        this.maxWait = maxWait;
    }

    /** Takes a slot, waiting up to the bound; false (counted) when none became free or interrupted. */
    boolean acquire() {
        try {
            if (permits.tryAcquire() || permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        refused.incrementAndGet();
        return false;
    }

    /** Gives back a slot taken by {@link #acquire()}. */
    void release() {
        permits.release();
    }

    /** Slots free now. */
    int available() {
        return permits.availablePermits();
    }

    /** Requests refused after waiting. */
    long refused() {
        return refused.get();
    }
}
