package serf.memberlist.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How memberlist reaches the network: unreliable packets and reliable one-shot streams, on one
 * address. The protocol core never touches sockets; it is handed a Transport. Two implementations:
 * {@link NetTransport} (UDP + TCP on virtual threads) and {@link MemoryNetwork}'s transports (in
 * memory, with per-link loss, delay, reordering and partitions for tests).
 *
 * <p>Threading: handlers are invoked on threads the transport owns (a virtual thread per accepted
 * stream; the packet handler on the transport's receive thread, so it must not block for long).
 */
public interface Transport extends AutoCloseable {

    /** Receives every packet that arrives; {@code receivedNanos} is {@link System#nanoTime()} at arrival. */
    @FunctionalInterface
    interface PacketHandler {
        /**
         * Handles one datagram.
         *
         * @param payload the datagram's bytes, the handler's to keep
         * @param from the sender
         * @param receivedNanos {@link System#nanoTime()} when it arrived
         */
        void onPacket(byte[] payload, InetSocketAddress from, long receivedNanos);
    }

    /** Serves one accepted stream; the transport closes it when the handler returns. */
    @FunctionalInterface
    interface StreamHandler {
        /**
         * Serves one stream until done.
         *
         * @param connection the accepted connection
         */
        void onStream(StreamConnection connection);
    }

    /**
     * Starts delivering to the handlers. Called once, before any send. Packets and streams that arrive
     * before this are dropped.
     *
     * @param packets gets every datagram
     * @param streams gets every accepted stream
     */
    void start(PacketHandler packets, StreamHandler streams);

    /** {@return the address and port other nodes should use to reach this one} */
    InetSocketAddress advertiseAddress();

    /**
     * Sends one datagram, best effort. Returns quickly; a failure to send is reported as IOException
     * but a silent loss is not detected.
     *
     * @param payload the datagram's bytes
     * @param to the receiver
     * @throws IOException when the datagram cannot be sent
     */
    void sendPacket(byte[] payload, InetSocketAddress to) throws IOException;

    /**
     * Opens a stream to {@code to}, failing if not connected within {@code timeout}.
     *
     * @param to the peer
     * @param timeout how long connecting may take
     * @return the open connection
     * @throws IOException when it cannot connect in time
     */
    StreamConnection dialStream(InetSocketAddress to, Duration timeout) throws IOException;

    /**
     * Largest datagram this transport can receive; longer ones are truncated or dropped.
     *
     * @return the size in bytes
     */
    default int maxPacketSize() {
        return 65536;
    }

    /** Stops receiving, closes every socket and ends every thread this transport started. Idempotent. */
    @Override
    void close();
}
