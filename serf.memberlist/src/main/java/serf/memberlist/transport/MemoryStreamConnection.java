package serf.memberlist.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * One end of an in-memory stream: reads from one {@link MemoryPipe}, writes to the other. While the
 * link to the peer is cut (partition, node down) the bytes written are lost without an error, as on
 * a TCP connection across a broken network: the peer's read then runs into its deadline.
 * Closing either stream closes the connection, as with {@link java.net.Socket}.
 */
final class MemoryStreamConnection implements StreamConnection {

    private final MemoryPipe in;
    private final MemoryPipe out;
    private final InetSocketAddress remote;
    private final BooleanSupplier linkUp;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InputStream input = new PipeInput();
    private final OutputStream output = new PipeOutput();
    private volatile long deadlineNanos;

    /**
     * @param linkUp  whether bytes written now reach the peer
     * @param onClose run once when this end closes (its transport forgets it)
     */
    MemoryStreamConnection(MemoryPipe in, MemoryPipe out, InetSocketAddress remote, BooleanSupplier linkUp,
            Runnable onClose) {
        this.in = in;
        this.out = out;
        this.remote = remote;
        this.linkUp = linkUp;
        this.onClose = onClose;
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
        in.wakeUp();
        out.wakeUp();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            out.closeWriter();
            in.closeReader();
            onClose.run();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException("stream connection closed");
        }
    }

    private long deadline() {
        return deadlineNanos;
    }

    private final class PipeInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len, MemoryStreamConnection.this::deadline);
        }

        @Override
        public int available() {
            return in.available();
        }

        @Override
        public void close() {
            MemoryStreamConnection.this.close();
        }
    }

    private final class PipeOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (!linkUp.getAsBoolean()) {
                return; // lost on the cut link
            }
            out.write(b, off, len, MemoryStreamConnection.this::deadline);
        }

        @Override
        public void close() {
            MemoryStreamConnection.this.close();
        }
    }
}
