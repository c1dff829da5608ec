package serf.memberlist;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The sequence numbers of this node's pings and the waiters for their acks (Go's ackHandlers). */
final class AckWaiters {
    private final Map<Long, AckWaiter> waiters = new ConcurrentHashMap<>();
    private final AtomicLong sequenceNum = new AtomicLong();
    private volatile LateAcks late;

    /** Where acks that no waiter takes go (a probe's, after its round gave up). */
    void lateAcks(LateAcks l) {
        late = l;
    }

    long nextSeqNo() {
        return sequenceNum.incrementAndGet() & 0xffffffffL;
    }

    AckWaiter register(long seq) {
        AckWaiter w = new AckWaiter();
        waiters.put(seq, w);
        return w;
    }

    void remove(long seq) {
        waiters.remove(seq);
    }

    void ack(long seq, byte[] payload, long receivedNanos) {
        ack(seq, payload, receivedNanos, null);
    }

    /** Records the ack of {@code seq}, which came from {@code from} (null when not known). */
    void ack(long seq, byte[] payload, long receivedNanos, java.net.InetSocketAddress from) {
        AckWaiter w = waiters.get(seq);
        if (w != null) {
            w.ack(payload, receivedNanos, from);
            return;
        }
        LateAcks l = late;
        if (l != null && from != null) {
            l.ack(seq, receivedNanos, from);
        }
    }

    void nack(long seq) {
        AckWaiter w = waiters.get(seq);
        if (w != null) {
            w.nack();
        }
    }
}
