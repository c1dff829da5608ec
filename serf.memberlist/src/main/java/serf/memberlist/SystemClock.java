package serf.memberlist;

import java.time.Instant;

/** {@link Clock#system()}. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant wallTime() {
        return Instant.now();
    }

    @Override
    public boolean isSystem() {
        return true;
    }
}
