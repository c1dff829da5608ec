package serf.agent.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.function.LongSupplier;

/**
 * A socket's input whose reads end at a deadline that changes with the connection's state (before
 * the handshake: the whole handshake; after it: the frame being received; idle: none). The socket
 * has a short read timeout (the tick); a read that times out checks the deadline and reads again,
 * and every read checks it first, so a client trickling a byte now and then is cut off too.
 */
final class DeadlineInput extends InputStream {
    /** What {@link #deadline} returns when nothing is due. */
    static final long NONE = Long.MIN_VALUE;

    /** Thrown when the deadline passed; says which one. */
    static final class DeadlineExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        DeadlineExceeded(String message) {
            super(message);
        }
    }

    /** The deadline now, as {@link System#nanoTime()}, or {@link #NONE}; and its name for the error. */
    interface Deadline extends LongSupplier {
        String describe();
    }

    private final InputStream in;
    private final Deadline deadline;

    DeadlineInput(InputStream in, Deadline deadline) {
        this.in = in;
        this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            long due = deadline.getAsLong();
            if (due != NONE && System.nanoTime() - due >= 0) {
                throw new DeadlineExceeded(deadline.describe());
            }
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException tick) {
                // the socket stays usable: check the deadline and go on reading
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
