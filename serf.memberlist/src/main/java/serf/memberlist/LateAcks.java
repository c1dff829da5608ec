package serf.memberlist;

import java.net.InetSocketAddress;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last few probe pings that their round gave up on, so that an ack arriving after its round
 * still teaches the {@link RoundTripEstimate} how long answers take. Without it the estimate
 * learns only from acks inside a round, and could never learn round trips longer than the round
 * itself. A fixed ring: the oldest entry goes when a new one comes.
 */
final class LateAcks {
    static final int CAPACITY = 8;

    private final ReentrantLock lock = new ReentrantLock();
    private final RoundTripEstimate estimate;
    // Guarded by lock; a slot with a null address is empty.
    private final long[] seqs = new long[CAPACITY];
    private final long[] sentNanos = new long[CAPACITY];
    private final InetSocketAddress[] targets = new InetSocketAddress[CAPACITY];
    private int next;

    LateAcks(RoundTripEstimate estimate) {
        this.estimate = estimate;
    }

    /** Remembers a ping to {@code target} whose round ended without its ack. */
    void unanswered(long seq, long sent, InetSocketAddress target) {
        lock.lock();
        try {
            seqs[next] = seq;
            sentNanos[next] = sent;
            targets[next] = target;
            next = (next + 1) % CAPACITY;
        } finally {
            lock.unlock();
        }
    }

    /**
     * An ack that no waiter took: if it answers a remembered ping and came from its target, its
     * round trip counts (once).
     */
    void ack(long seq, long receivedNanos, InetSocketAddress from) {
        long roundTrip = -1;
        lock.lock();
        try {
            for (int i = 0; i < CAPACITY; i++) {
                if (targets[i] != null && seqs[i] == seq) {
                    if (targets[i].equals(from)) {
                        roundTrip = receivedNanos - sentNanos[i];
                    }
                    targets[i] = null;
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (roundTrip >= 0) {
            estimate.record(roundTrip);
        }
    }
}
