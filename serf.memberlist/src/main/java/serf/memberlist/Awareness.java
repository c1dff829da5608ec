package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lifeguard's local health score: 0 is healthy, up to {@code max - 1}. A node that misses acks
 * or has to refute accusations probes more slowly, so a sick node accuses others less.
 */
final class Awareness {
    private final int max;
    private final AtomicInteger score = new AtomicInteger();

    Awareness(int max) {
        this.max = Math.max(1, max);
    }

    void applyDelta(int delta) {
        score.updateAndGet(s -> Math.max(0, Math.min(max - 1, s + delta)));
    }

    int healthScore() {
        return score.get();
    }

    Duration scaleTimeout(Duration timeout) {
        return timeout.multipliedBy(score.get() + 1L);
    }
}
