package serf.api;

import java.util.concurrent.atomic.AtomicLong;

/** A thread-safe Lamport clock with Go serf's witness rule: seeing a value ≥ ours moves us past it. */
public final class LamportClock {
    private final AtomicLong counter = new AtomicLong();

    /** The current value. */
    public long time() {
        return counter.get();
    }

    /** Advances by one and returns the new value. */
    public long increment() {
        return counter.incrementAndGet();
    }

    /** Records that {@code v} was seen: the clock becomes {@code v + 1} unless already past it. */
    public void witness(long v) {
        counter.updateAndGet(cur -> Long.compareUnsigned(v, cur) < 0 ? cur : v + 1);
    }
}
