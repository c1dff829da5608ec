package serf.memberlist.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * One reliable, ordered byte stream to a peer (a TCP connection, or its in-memory stand-in).
 * memberlist uses each for exactly one request and at most one reply.
 */
public interface StreamConnection extends Closeable {

    /**
     * {@return the bytes from the peer} Reads block until data, end of stream, or the deadline. Closing this
     * stream closes the whole connection, as with {@link java.net.Socket}.
     *
     * @throws IOException when the connection is closed
     */
    InputStream input() throws IOException;

    /**
     * {@return the bytes to the peer} Closing this stream closes the whole connection, as with
     * {@link java.net.Socket}; to end a message, just stop writing.
     *
     * @throws IOException when the connection is closed
     */
    OutputStream output() throws IOException;

    /** {@return the peer's address} */
    InetSocketAddress remoteAddress();

    /**
     * Sets an absolute deadline ({@link System#nanoTime()} based) after which blocked reads fail
     * with {@link java.net.SocketTimeoutException} and blocked writes fail or the connection is
     * closed. {@code 0} clears it.
     *
     * @param deadlineNanos the deadline in {@link System#nanoTime()} terms, or 0 for none
     * @throws IOException when the connection is closed
     */
    void setDeadline(long deadlineNanos) throws IOException;

    /** Closes both directions. Idempotent. */
    @Override
    void close();
}
