package serf.agent.handler;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the last {@code capacity} bytes written and counts them all, like the {@code circbuf}
 * buffer the Go agent captures a script's stdout and stderr in. Thread-safe.
 */
final class OutputRing {
    private final byte[] buf;
    private final ReentrantLock lock = new ReentrantLock();
    private long total;

    OutputRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        buf = new byte[capacity];
    }

    void write(byte[] b, int off, int len) {
        lock.lock();
        try {
            if (len > buf.length) {
                // only the last capacity bytes can survive; account for the rest as written
                total += len - buf.length;
                off += len - buf.length;
                len = buf.length;
            }
            int pos = (int) (total % buf.length);
            int first = Math.min(len, buf.length - pos);
            System.arraycopy(b, off, buf, pos, first);
            System.arraycopy(b, off + first, buf, 0, len - first);
            total += len;
        } finally {
            lock.unlock();
        }
    }

    /** Everything written so far, if it fits, else the last {@code capacity} bytes, oldest first. */
    byte[] bytes() {
        lock.lock();
        try {
            if (total <= buf.length) {
                return java.util.Arrays.copyOf(buf, (int) total);
            }
            int pos = (int) (total % buf.length);
            byte[] out = new byte[buf.length];
            System.arraycopy(buf, pos, out, 0, buf.length - pos);
            System.arraycopy(buf, 0, out, buf.length - pos, pos);
            return out;
        } finally {
            lock.unlock();
        }
    }

    long totalWritten() {
        lock.lock();
        try {
            return total;
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return buf.length;
    }
}
