package serf.memberlist;

import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told to: the protocol core's time in one-input-at-a-time tests. */
final class ManualClock implements Clock {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant wallTime() {
        return EPOCH.plusNanos(nanos);
    }

    void advance(Duration d) {
        nanos += d.toNanos();
    }
}
