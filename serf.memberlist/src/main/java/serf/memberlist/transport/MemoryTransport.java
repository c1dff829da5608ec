package serf.memberlist.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One node's transport on a {@link MemoryNetwork}. Packets arrive in a bounded inbox that one virtual
 * thread drains into the packet handler (so, as with UDP, a slow handler makes the inbox overflow and
 * packets drop, and the handler is never called concurrently). Each accepted stream gets a virtual thread.
 */
final class MemoryTransport implements Transport {

    /** Packets waiting for the handler, like a socket receive buffer; beyond this they are dropped. */
    static final int INBOX_CAPACITY = 4096;

    /** Accepted streams served at once; more are closed at once (see NetTransportConfig). */
    static final int MAX_INBOUND_STREAMS = NetTransportConfig.DEFAULT_MAX_INBOUND_STREAMS;

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private record InboundPacket(byte[] payload, InetSocketAddress from, long receivedNanos) {
    }

    private final MemoryNetwork network;
    private final InetSocketAddress address;
    private final String threadSuffix;
    private final BlockingQueue<InboundPacket> inbox = new LinkedBlockingQueue<>(INBOX_CAPACITY);
    private final OwnedThreads threads = new OwnedThreads();
    private final Semaphore inboundPermits = new Semaphore(MAX_INBOUND_STREAMS);
    private final Set<MemoryStreamConnection> openConnections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile PacketHandler packetHandler;
    private volatile StreamHandler streamHandler;

    MemoryTransport(MemoryNetwork network, InetSocketAddress address) {
        this.network = network;
        this.address = address;
        this.threadSuffix = network.id() + "-" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Starts the receive thread; called once the network has registered this transport. */
    void startReceiving() {
        threads.start("memberlist-mem-udp-" + threadSuffix, this::receivePackets);
    }

    @Override
    public void start(PacketHandler packets, StreamHandler streams) {
        if (packets == null || streams == null) {
            throw new NullPointerException("handlers");
        }
        this.streamHandler = streams;
        this.packetHandler = packets;
    }

    @Override
    public InetSocketAddress advertiseAddress() {
        return address;
    }

    @Override
    public void sendPacket(byte[] payload, InetSocketAddress to) throws IOException {
        if (closed.get()) {
            throw new IOException("transport closed");
        }
        if (payload.length > maxPacketSize()) {
            throw new IOException("packet too large: " + payload.length + " bytes");
        }
        network.route(address, payload, to);
    }

    @Override
    public StreamConnection dialStream(InetSocketAddress to, Duration timeout) throws IOException {
        if (closed.get()) {
            throw new IOException("transport closed");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new SocketTimeoutException("connect timed out");
        }
        return network.connect(this, to);
    }

    /** Queues an arrived packet for the handler; false if the inbox is full or this transport closed. */
    boolean enqueue(byte[] payload, InetSocketAddress from) {
        return !closed.get() && inbox.offer(new InboundPacket(payload, from, System.nanoTime()));
    }

    /**
     * Accepts a stream from {@code dialer}: returns the dialer's end, and serves this end on a new thread.
     * Over the limit of streams in flight, the connection is accepted and closed at once (the dialer
     * reads end-of-stream), as the TCP transport does.
     */
    StreamConnection accept(MemoryTransport dialer) throws IOException {
        StreamHandler handler = streamHandler;
        if (closed.get() || handler == null) {
            throw new ConnectException("Connection refused: " + address);
        }
        MemoryPipe toServer = new MemoryPipe(MemoryPipe.DEFAULT_CAPACITY);
        MemoryPipe toClient = new MemoryPipe(MemoryPipe.DEFAULT_CAPACITY);
        InetSocketAddress dialerAddress = dialer.address;
        MemoryStreamConnection[] ends = new MemoryStreamConnection[2];
        ends[0] = new MemoryStreamConnection(toClient, toServer, address,
                () -> network.canReach(dialerAddress, address), () -> dialer.openConnections.remove(ends[0]));
        ends[1] = new MemoryStreamConnection(toServer, toClient, dialerAddress,
                () -> network.canReach(address, dialerAddress), () -> openConnections.remove(ends[1]));
        MemoryStreamConnection client = ends[0];
        MemoryStreamConnection server = ends[1];
        dialer.track(client);
        if (!inboundPermits.tryAcquire()) {
            network.countStreamRefused();
            server.close();
            return client;
        }
        openConnections.add(server);
        try {
            threads.start("memberlist-mem-stream-" + threadSuffix, () -> serve(server, handler));
        } catch (RejectedExecutionException e) {
            inboundPermits.release();
            server.close();
            client.close();
            throw new ConnectException("Connection refused: " + address);
        }
        if (closed.get()) {
            server.close(); // lost a race with close(), which may have missed it
        }
        network.countStreamOpened();
        return client;
    }

    private void track(MemoryStreamConnection connection) throws IOException {
        openConnections.add(connection);
        if (closed.get()) {
            connection.close();
            throw new IOException("transport closed");
        }
    }

    private void serve(MemoryStreamConnection connection, StreamHandler handler) {
        try {
            handler.onStream(connection);
        } catch (RuntimeException e) {
            network.logger().log(System.Logger.Level.ERROR,
                    "memberlist: stream handler failed on a connection from " + connection.remoteAddress(), e);
        } finally {
            connection.close();
            inboundPermits.release();
        }
    }

    private void receivePackets() {
        while (!closed.get()) {
            InboundPacket packet;
            try {
                packet = inbox.take();
            } catch (InterruptedException e) {
                return; // closing
            }
            PacketHandler handler = packetHandler;
            if (handler == null) {
                network.countNotStarted();
                continue;
            }
            network.countDelivered();
            try {
                handler.onPacket(packet.payload(), packet.from(), packet.receivedNanos());
            } catch (RuntimeException e) {
                network.logger().log(System.Logger.Level.ERROR,
                        "memberlist: packet handler failed on a packet from " + packet.from(), e);
            }
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Unregisters from the network, closes every stream and ends every thread. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        network.unregister(this);
        for (MemoryStreamConnection connection : List.copyOf(openConnections)) {
            connection.close();
        }
        List<Thread> stuck = threads.shutDown(CLOSE_WAIT);
        for (MemoryStreamConnection connection : List.copyOf(openConnections)) {
            connection.close();
        }
        inbox.clear();
        if (!stuck.isEmpty()) {
            network.logger().log(System.Logger.Level.WARNING,
                    "memberlist: " + stuck.size() + " in-memory transport threads did not end within " + CLOSE_WAIT);
        }
    }

    /** Threads started by this transport that are still running (for tests). */
    List<Thread> liveThreads() {
        return threads.alive();
    }

    @Override
    public String toString() {
        return "MemoryTransport[" + address + "]";
    }
}
