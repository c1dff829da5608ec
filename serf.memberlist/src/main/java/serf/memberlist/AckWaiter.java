package serf.memberlist;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The ack (and the nacks) of one sequence number. The receive path records what arrived and calls
 * back the one listener ({@link #onAck}); whoever owns the timeout checks {@link #isAcked()} when
 * it fires. Nothing waits on it: the probe round is steps on the node's scheduler.
 */
final class AckWaiter {
    private final ReentrantLock lock = new ReentrantLock();
    private boolean acked;
    private long ackNanos;
    private java.net.InetSocketAddress from;
    private byte[] payload;
    private int nacks;
    private Runnable onAck;

    /** Records the ack; {@code sender} is where the packet came from (null when not known). */
    void ack(byte[] ackPayload, long receivedNanos, java.net.InetSocketAddress sender) {
        Runnable listener = null;
        lock.lock();
        try {
            if (!acked) {
                acked = true;
                ackNanos = receivedNanos;
                from = sender;
                payload = ackPayload;
                listener = onAck;
                onAck = null;
            }
        } finally {
            lock.unlock();
        }
        if (listener != null) {
            listener.run();
        }
    }

    /**
     * Runs {@code listener} once when the ack arrives, on the thread that receives it (at once, on
     * this thread, if it already has): for waits that must not keep a thread.
     */
    void onAck(Runnable listener) {
        lock.lock();
        try {
            if (!acked) {
                onAck = listener;
                return;
            }
        } finally {
            lock.unlock();
        }
        listener.run();
    }

    void nack() {
        lock.lock();
        try {
            nacks++;
        } finally {
            lock.unlock();
        }
    }

    boolean isAcked() {
        lock.lock();
        try {
            return acked;
        } finally {
            lock.unlock();
        }
    }

    long ackNanos() {
        lock.lock();
        try {
            return ackNanos;
        } finally {
            lock.unlock();
        }
    }

    /** {@return where the ack came from: the probed node, a relay, or null when not known} */
    java.net.InetSocketAddress from() {
        lock.lock();
        try {
            return from;
        } finally {
            lock.unlock();
        }
    }

    byte[] payload() {
        lock.lock();
        try {
            return payload;
        } finally {
            lock.unlock();
        }
    }

    int nacks() {
        lock.lock();
        try {
            return nacks;
        } finally {
            lock.unlock();
        }
    }
}
