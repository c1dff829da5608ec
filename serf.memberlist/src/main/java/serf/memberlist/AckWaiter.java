package serf.memberlist;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Waits for the ack (and counts the nacks) of one sequence number. The waiting thread owns the
 * timeout; the receive path only records what arrived, so no timer thread is needed.
 */
final class AckWaiter {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean acked;
    private long ackNanos;
    private byte[] payload;
    private int nacks;
    private Runnable onAck;

    void ack(byte[] ackPayload, long receivedNanos) {
        Runnable listener = null;
        lock.lock();
        try {
            if (!acked) {
                acked = true;
                ackNanos = receivedNanos;
                payload = ackPayload;
                changed.signalAll();
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

    /** Waits until acked or {@code deadlineNanos}; true if acked. */
    boolean awaitAck(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!acked) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            return true;
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
