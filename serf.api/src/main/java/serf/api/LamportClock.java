package serf.api;

import java.util.concurrent.atomic.AtomicLong;

/** A thread-safe Lamport clock with Go serf's witness rule: seeing a value ≥ ours moves us past it. */
public final class LamportClock {
    /** A clock at 0. */
    public LamportClock() {
    }

    private final AtomicLong counter = new AtomicLong();

    /** {@return the current value} */
    public long time() {
        return counter.get();
    }

    /** {@return the new value, after advancing by one} */
    public long increment() {
        return counter.incrementAndGet();
    }

    /**
     * Records that {@code v} was seen: the clock becomes {@code v + 1} unless already past it.
     *
     * @param v a Lamport time seen in a message (compared unsigned, as Go's uint64)
     */
    public void witness(long v) {
        counter.updateAndGet(cur -> Long.compareUnsigned(v, cur) < 0 ? cur : v + 1);
    }
}
