package serf.memberlist.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StreamConnection} over a TCP socket, with an absolute deadline for reads and writes.
 *
 * <p>Reads: before every read the socket's read timeout is set to the time left, so a read blocked
 * past the deadline fails with {@link SocketTimeoutException} and the socket stays usable.
 * Writes: a socket write has no timeout option, so while a write runs under a deadline a watchdog
 * virtual thread waits for the deadline and, if the write is still blocked then, closes the socket;
 * the write then fails with {@link SocketTimeoutException}. The deadline in force when a write
 * starts bounds that write.
 */
final class SocketStreamConnection implements StreamConnection {

    private final Socket socket;
    private final InetSocketAddress remote;
    private final OwnedThreads threads;
    private final String watchdogName;
    private final Runnable onClose;
    private final InputStream input;
    private final OutputStream output;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long deadlineNanos;

    /**
     * @param threads      where write watchdogs are started (the owning transport's threads)
     * @param watchdogName the name of those watchdog threads
     * @param onClose      run once when this connection closes (the transport forgets it)
     */
    SocketStreamConnection(Socket socket, OwnedThreads threads, String watchdogName, Runnable onClose)
            throws IOException {
        this.socket = socket;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.threads = threads;
        this.watchdogName = watchdogName;
        this.onClose = onClose;
        this.input = new DeadlineInput(socket.getInputStream());
        this.output = new DeadlineOutput(socket.getOutputStream());
    }

    @Override
    public InputStream input() throws IOException {
        ensureOpen();
        return input;
    }

    @Override
    public OutputStream output() throws IOException {
        ensureOpen();
        return output;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public void setDeadline(long deadlineNanos) throws IOException {
        ensureOpen();
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeSocketQuietly();
            onClose.run();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    private void closeSocketQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException("stream connection closed");
        }
    }

    /** Time left before the deadline, {@code Long.MAX_VALUE} without one; throws once it has passed. */
    private long remainingNanos(String operation) throws SocketTimeoutException {
        long deadline = deadlineNanos;
        if (deadline == 0) {
            return Long.MAX_VALUE;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException(operation + " deadline exceeded");
        }
        return remaining;
    }

    private final class DeadlineInput extends InputStream {
        private final InputStream raw;

        DeadlineInput(InputStream raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long remaining = remainingNanos("read");
            int timeoutMillis = 0;
            if (remaining != Long.MAX_VALUE) {
                // Round up so that a read never gives up before the deadline; 0 would mean "forever".
                long millis = Math.max(1, (remaining + 999_999) / 1_000_000);
                timeoutMillis = (int) Math.min(Integer.MAX_VALUE, millis);
            }
            socket.setSoTimeout(timeoutMillis);
            return raw.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return raw.available();
        }

        @Override
        public void close() {
            SocketStreamConnection.this.close();
        }
    }

    private final class DeadlineOutput extends OutputStream {
        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int FIRED = 2;

        private final OutputStream raw;

        DeadlineOutput(OutputStream raw) {
            this.raw = raw;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long remaining = remainingNanos("write");
            if (remaining == Long.MAX_VALUE) {
                raw.write(b, off, len);
                return;
            }
            AtomicInteger state = new AtomicInteger(RUNNING);
            Thread watchdog;
            try {
                watchdog = threads.start(watchdogName, () -> {
                    try {
                        Thread.sleep(Duration.ofNanos(remaining));
                    } catch (InterruptedException e) {
                        return; // the write finished, or the transport is closing
                    }
                    if (state.compareAndSet(RUNNING, FIRED)) {
                        closeSocketQuietly();
                    }
                });
            } catch (RejectedExecutionException e) {
                throw new IOException("transport closed", e);
            }
            try {
                raw.write(b, off, len);
            } catch (IOException e) {
                if (state.get() == FIRED) {
                    SocketTimeoutException timeout = new SocketTimeoutException("write deadline exceeded");
                    timeout.initCause(e);
                    throw timeout;
                }
                throw e;
            } finally {
                if (state.compareAndSet(RUNNING, DONE)) {
                    watchdog.interrupt();
                }
            }
            if (state.get() == FIRED) {
                // The bytes were handed over, but only as the socket was being closed for the deadline.
                throw new SocketTimeoutException("write deadline exceeded");
            }
        }

        @Override
        public void flush() throws IOException {
            raw.flush();
        }

        @Override
        public void close() {
            SocketStreamConnection.this.close();
        }
    }
}
