package serf.memberlist.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One direction of an in-memory stream: a bounded ring buffer with blocking reads and writes that give
 * up at a deadline. The writer end closing means end-of-stream for the reader once the buffer is
 * drained; the reader end closing makes writes fail ("broken pipe") and discards unread bytes.
 */
final class MemoryPipe {

    static final int DEFAULT_CAPACITY = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final byte[] ring;
    private int head;
    private int count;
    private boolean writerClosed;
    private boolean readerClosed;

    MemoryPipe(int capacity) {
        this.ring = new byte[capacity];
    }

    /**
     * Reads up to {@code len} bytes, blocking until at least one is there.
     *
     * @param deadline the absolute {@link System#nanoTime()} deadline, read again after each wake-up; 0 = none
     * @return the number of bytes read, or -1 at end of stream
     */
    int read(byte[] b, int off, int len, LongSupplier deadline) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (count == 0) {
                if (readerClosed) {
                    throw new SocketException("Socket closed");
                }
                if (writerClosed) {
                    return -1;
                }
                await(readable, deadline, "Read timed out");
            }
            if (readerClosed) {
                throw new SocketException("Socket closed");
            }
            int n = Math.min(len, count);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, b, off, first);
            System.arraycopy(ring, 0, b, off + first, n - first);
            head = (head + n) % ring.length;
            count -= n;
            writable.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Writes all {@code len} bytes, blocking while the buffer is full. */
    void write(byte[] b, int off, int len, LongSupplier deadline) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        lock.lock();
        try {
            while (len > 0) {
                while (true) {
                    if (writerClosed) {
                        throw new SocketException("Socket closed");
                    }
                    if (readerClosed) {
                        throw new SocketException("Broken pipe");
                    }
                    if (count < ring.length) {
                        break;
                    }
                    await(writable, deadline, "Write timed out");
                }
                int tail = (head + count) % ring.length;
                int n = Math.min(len, Math.min(ring.length - count, ring.length - tail));
                System.arraycopy(b, off, ring, tail, n);
                count += n;
                off += n;
                len -= n;
                readable.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    int available() {
        lock.lock();
        try {
            return readerClosed ? 0 : count;
        } finally {
            lock.unlock();
        }
    }

    /** The writer is done: the reader sees end-of-stream after the buffered bytes. */
    void closeWriter() {
        lock.lock();
        try {
            writerClosed = true;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The reader is gone: buffered bytes are discarded and writes fail. */
    void closeReader() {
        lock.lock();
        try {
            readerClosed = true;
            head = 0;
            count = 0;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes blocked readers and writers so they re-read a deadline that has changed. */
    void wakeUp() {
        lock.lock();
        try {
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static void await(Condition condition, LongSupplier deadline, String timeoutMessage)
            throws IOException {
        long at = deadline.getAsLong();
        try {
            if (at == 0) {
                condition.await();
                return;
            }
            long remaining = at - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException(timeoutMessage);
            }
            condition.await(remaining, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
