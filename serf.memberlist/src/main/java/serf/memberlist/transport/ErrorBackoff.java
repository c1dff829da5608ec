package serf.memberlist.transport;

/**
 * Delay after repeated socket errors (5 ms doubling to 1 s), so a failing socket cannot spin; used by
 * {@link NetTransport}'s receive and accept loops, one instance per loop (not thread-safe).
 */
final class ErrorBackoff {
    private long delayMillis;

    /** Sleeps for the next delay; false when interrupted (the transport is closing). */
    boolean pause() {
        delayMillis = delayMillis == 0 ? 5 : Math.min(1000, delayMillis * 2);
        try {
            Thread.sleep(delayMillis);
            return true;
        } catch (InterruptedException e) {
            return false; // closing
        }
    }

    void reset() {
        delayMillis = 0;
    }

    /** True before the first pause of a run of failures. */
    boolean firstOfRun() {
        return delayMillis == 0;
    }
}
