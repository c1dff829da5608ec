package serf.memberlist;

import java.util.concurrent.locks.ReentrantLock;

/**
 * This node's estimate of how long a direct ping takes to be answered, from the round trips of its
 * own probes (RFC 6298's smoothed round trip and its mean deviation; gains 1/8 and 1/4), and the
 * timeout that allows for it: the smoothed round trip plus four deviations. Go's memberlist waits a
 * fixed probe timeout whatever the round trips are; on a quiet network they are a thousandth of it
 * and this changes nothing. When every node is short of CPU (a storm of starts on a small machine,
 * many nodes in one process), acks come back in seconds: the fixed timeout then turns the
 * slowness into false suspicions, each of which is gossip for every node to handle, which makes
 * the acks slower still. Only acks that came straight from the probed node count (not those a
 * relay forwarded, which took two paths), in their round or after it ({@link LateAcks}); a ping
 * never answered adds nothing, so a dead node does not stretch the timeouts used to find it.
 */
final class RoundTripEstimate {
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock; 0 samples means no estimate yet.
    private long samples;
    private long smoothedNanos;
    private long deviationNanos;

    /** Adds the round trip of one direct ping. */
    void record(long roundTripNanos) {
        long r = Math.max(0, roundTripNanos);
        lock.lock();
        try {
            if (samples == 0) {
                smoothedNanos = r;
                deviationNanos = r / 2;
            } else {
                deviationNanos += (Math.abs(smoothedNanos - r) - deviationNanos) / 4;
                smoothedNanos += (r - smoothedNanos) / 8;
            }
            samples++;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the smoothed round trip plus four mean deviations, 0 before the first sample} */
    long timeoutNanos() {
        lock.lock();
        try {
            return samples == 0 ? 0 : smoothedNanos + 4 * deviationNanos;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the smoothed round trip, 0 before the first sample} */
    long smoothedNanos() {
        lock.lock();
        try {
            return smoothedNanos;
        } finally {
            lock.unlock();
        }
    }
}
