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
     * The bytes from the peer. Reads block until data, end of stream, or the deadline. Closing this
     * stream closes the whole connection, as with {@link java.net.Socket}.
     */
    InputStream input() throws IOException;

    /**
     * The bytes to the peer. Closing this stream closes the whole connection, as with
     * {@link java.net.Socket}; to end a message, just stop writing.
     */
    OutputStream output() throws IOException;

    InetSocketAddress remoteAddress();

    /**
     * Sets an absolute deadline ({@link System#nanoTime()} based) after which blocked reads fail
     * with {@link java.net.SocketTimeoutException} and blocked writes fail or the connection is
     * closed. {@code 0} clears it.
     */
    void setDeadline(long deadlineNanos) throws IOException;

    /** Closes both directions. Idempotent. */
    @Override
    void close();
}
