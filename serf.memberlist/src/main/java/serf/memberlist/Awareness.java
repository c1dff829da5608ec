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
    private final serf.memberlist.metrics.Gauge gauge; // memberlist.health.score, or null

    Awareness(int max) {
        this(max, null);
    }

    Awareness(int max, serf.memberlist.metrics.Gauge gauge) {
        this.max = Math.max(1, max);
        this.gauge = gauge;
    }

    void applyDelta(int delta) {
        int before = score.getAndUpdate(s -> Math.max(0, Math.min(max - 1, s + delta)));
        int after = Math.max(0, Math.min(max - 1, before + delta));
        if (gauge != null && after != before) {
            gauge.set(after);
        }
    }

    int healthScore() {
        return score.get();
    }

    Duration scaleTimeout(Duration timeout) {
        return Durations.times(timeout, score.get() + 1L);
    }
}
