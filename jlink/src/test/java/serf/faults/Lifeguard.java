package serf.faults;

import java.time.Duration;
import java.util.List;

/**
 * What Lifeguard allows (memberlist's suspicion timeouts, LAN profile: probe interval 1 s,
 * suspicion multiplier 4, max-timeout multiplier 6): a node suspected by others is declared failed no
 * sooner than {@code 4 × max(1, log10(n)) × 1 s} after the suspicion starts (the minimum, reached
 * only with enough independent confirmations) and no later than 6 times that. A node that is
 * unreachable for less than the minimum is therefore never declared failed; each window at least
 * that long may cost one failure.
 */
final class Lifeguard {
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final int SUSPICION_MULT = 4;
    static final int SUSPICION_MAX_TIMEOUT_MULT = 6;

    private Lifeguard() {
    }

    static Duration minSuspicionTimeout(int nodes) {
        double scale = Math.max(1.0, Math.log10(Math.max(1.0, nodes)));
        return Duration.ofMillis((long) (SUSPICION_MULT * scale * PROBE_INTERVAL.toMillis()));
    }

    static Duration maxSuspicionTimeout(int nodes) {
        return minSuspicionTimeout(nodes).multipliedBy(SUSPICION_MAX_TIMEOUT_MULT);
    }

    /** The most alive→failed transitions of one node that outages of these lengths allow. */
    static int allowedFailures(List<Duration> unreachableWindows, int nodes) {
        Duration min = minSuspicionTimeout(nodes);
        return (int) unreachableWindows.stream().filter(w -> w.compareTo(min) >= 0).count();
    }
}
