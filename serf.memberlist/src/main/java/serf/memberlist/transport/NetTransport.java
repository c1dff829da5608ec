package serf.memberlist.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The real transport: UDP datagrams for packets and a TCP connection per stream, on one port number
 * for both, like Go memberlist's {@code NetTransport}.
 *
 * <p>Threads (named after the bound port): {@code memberlist-udp-<port>} reads datagrams and calls the
 * packet handler; {@code memberlist-tcp-accept-<port>} accepts connections; these two are virtual or
 * platform threads as {@link NetTransportConfig#loopThreads()} says. The acceptor starts one virtual
 * {@code memberlist-tcp-conn-<port>} per connection to run the stream handler (at most
 * {@link NetTransportConfig#maxInboundStreams()} at once; more are closed at once);
 * {@code memberlist-tcp-watchdog-<port>}, virtual too, bounds one blocked write by its stream's deadline.
 * The listeners run from {@link #open} on; what arrives before {@link #start} is dropped.
 *
 * <p>{@link #sendPacket} and {@link #dialStream} may be called from any thread.
 * {@link #close()} closes both sockets and every connection it accepted or dialed, and waits (boundedly)
 * for all its threads to end.
 */
public final class NetTransport implements Transport {

    /** Each datagram is read into a buffer this large (the UDP maximum); the exact length is copied out. */
    static final int RECEIVE_BUFFER_SIZE = 65536;

    /** The socket receive buffer asked for; halved until the system accepts it. */
    static final int SOCKET_RECEIVE_BUFFER_SIZE = 2 * 1024 * 1024;

    /** With a bind port of 0, how often a new port is tried when UDP cannot bind the port TCP got. */
    static final int BIND_ATTEMPTS_ANY_PORT = 10;

    /** Pending-connection queue of the listener; the kernel caps it at its own maximum. */
    private static final int ACCEPT_BACKLOG = 1024;

    /** How long close() waits for its threads before giving up on them (and logging). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final NetTransportConfig config;
    private final System.Logger logger;
    private final ServerSocket tcpListener;
    private final DatagramSocket udpSocket;
    private final int port;
    private final InetSocketAddress advertise;
    private final OwnedThreads threads = new OwnedThreads();
    private final Semaphore inboundPermits;
    /** Streams being served now (the acceptor holds one more permit while it waits in accept()). */
    private final java.util.concurrent.atomic.AtomicInteger serving = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<SocketStreamConnection> openConnections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile PacketHandler packetHandler;
    private volatile StreamHandler streamHandler;

    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder packetsDropped = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder streamsAccepted = new LongAdder();
    private final LongAdder streamsRefused = new LongAdder();
    private final LongAdder streamsDialed = new LongAdder();
    private final LongAdder handlerFailures = new LongAdder();

    private NetTransport(NetTransportConfig config, ServerSocket tcpListener, DatagramSocket udpSocket) {
        this.config = config;
        this.logger = config.logger();
        this.tcpListener = tcpListener;
        this.udpSocket = udpSocket;
        this.port = tcpListener.getLocalPort();
        this.advertise = chooseAdvertiseAddress(config, port);
        this.inboundPermits = new Semaphore(config.maxInboundStreams());
    }

    /**
     * Binds TCP and then UDP on the same port and starts listening.
     *
     * @throws IOException if the port cannot be bound for both (after retries when the port is 0)
     * @param config the bind address, port and limits
     * @return the transport, bound and ready to start
     */
    public static NetTransport open(NetTransportConfig config) throws IOException {
        int attempts = config.bindPort() == 0 ? BIND_ATTEMPTS_ANY_PORT : 1;
        IOException failure = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            ServerSocket tcp = null;
            DatagramSocket udp = null;
            try {
                tcp = new ServerSocket();
                // Lets a restarted node take its port back while old connections sit in TIME_WAIT (as Go).
                tcp.setReuseAddress(true);
                try {
                    tcp.bind(new InetSocketAddress(config.bindAddress(), config.bindPort()), ACCEPT_BACKLOG);
                } catch (BindException e) {
                    throw GoSocketErrors.bindError("TCP", config.bindAddress(), config.bindPort(), e);
                }
                udp = new DatagramSocket(null);
                udp.setReuseAddress(false);
                try {
                    udp.bind(new InetSocketAddress(config.bindAddress(), tcp.getLocalPort()));
                } catch (BindException e) {
                    throw GoSocketErrors.bindError("UDP", config.bindAddress(), tcp.getLocalPort(), e);
                }
                setReceiveBuffer(udp, config.logger());
                NetTransport transport = new NetTransport(config, tcp, udp);
                transport.startListeners();
                return transport;
            } catch (IOException | RuntimeException e) {
                closeQuietly(tcp);
                if (udp != null) {
                    udp.close();
                }
                IOException io = e instanceof IOException ioe ? ioe
                        : new IOException("cannot bind " + config.bindAddress() + ":" + config.bindPort(), e);
                if (failure != null) {
                    io.addSuppressed(failure);
                }
                failure = io;
                if (!(e instanceof BindException)) {
                    break; // only a taken port is worth another try
                }
            }
        }
        throw failure;
    }

    /** Asks for a 2 MiB socket receive buffer, halving the request while the system refuses it. */
    private static void setReceiveBuffer(DatagramSocket udp, System.Logger logger) throws IOException {
        IOException last = null;
        for (int size = SOCKET_RECEIVE_BUFFER_SIZE; size > 0; size /= 2) {
            try {
                udp.setReceiveBufferSize(size);
                return;
            } catch (IOException | IllegalArgumentException e) {
                last = e instanceof IOException io ? io : new IOException(e);
            }
        }
        logger.log(System.Logger.Level.WARNING, "memberlist: could not resize the UDP receive buffer", last);
    }

    private static InetSocketAddress chooseAdvertiseAddress(NetTransportConfig config, int boundPort) {
        int advertisePort = config.advertisePort() != 0 ? config.advertisePort() : boundPort;
        if (config.advertiseAddress() != null) {
            return new InetSocketAddress(config.advertiseAddress(), advertisePort);
        }
        if (config.bindAddress().isAnyLocalAddress()) {
            InetAddress chosen = PrivateAddress.firstPrivateIPv4().orElseGet(() -> {
                config.logger().log(System.Logger.Level.WARNING,
                        "memberlist: no private IPv4 address found to advertise; using loopback");
                return InetAddress.getLoopbackAddress();
            });
            return new InetSocketAddress(chosen, advertisePort);
        }
        return new InetSocketAddress(config.bindAddress(), advertisePort);
    }

    private void startListeners() {
        threads.start("memberlist-udp-" + port, config.loopThreads(), this::receivePackets);
        threads.start("memberlist-tcp-accept-" + port, config.loopThreads(), this::acceptStreams);
    }

    @Override
    public void start(PacketHandler packets, StreamHandler streams) {
        if (packets == null || streams == null) {
            throw new NullPointerException("handlers");
        }
        this.streamHandler = streams;
        this.packetHandler = packets;
    }

    /**
     * The address and port other nodes should use: the configured advertise address, else the bind
     * address, else (bound to a wildcard) the host's first private IPv4 address, else loopback. The port
     * is the configured advertise port, else the bound port.
     */
    @Override
    public InetSocketAddress advertiseAddress() {
        return advertise;
    }

    /** {@return the port bound for both UDP and TCP (the one the system picked, if the config said 0)} */
    public int boundPort() {
        return port;
    }

    /** {@return the local address and port the sockets are bound to} */
    public InetSocketAddress boundAddress() {
        return new InetSocketAddress(tcpListener.getInetAddress(), port);
    }

    /** {@return the configuration this transport was opened with} */
    public NetTransportConfig config() {
        return config;
    }

    /** {@return a snapshot of this transport's counters} */
    public NetTransportStats stats() {
        return new NetTransportStats(packetsReceived.sum(), bytesReceived.sum(), packetsDropped.sum(),
                packetsSent.sum(), bytesSent.sum(), streamsAccepted.sum(), streamsRefused.sum(),
                streamsDialed.sum(), serving.get(),
                handlerFailures.sum());
    }

    @Override
    public void sendPacket(byte[] payload, InetSocketAddress to) throws IOException {
        if (closed.get()) {
            throw new IOException("transport closed");
        }
        if (to.isUnresolved()) {
            throw new IOException("unresolved address " + to);
        }
        // A pending interrupt must not make the socket give up (or, on some JDKs, close): keep it for later.
        boolean interrupted = Thread.interrupted();
        try {
            udpSocket.send(new DatagramPacket(payload, payload.length, to));
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot send to " + to, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        packetsSent.increment();
        bytesSent.add(payload.length);
    }

    @Override
    public StreamConnection dialStream(InetSocketAddress to, Duration timeout) throws IOException {
        if (closed.get()) {
            throw new IOException("transport closed");
        }
        if (to.isUnresolved()) {
            throw new IOException("unresolved address " + to);
        }
        long timeoutMillis = ceilMillis(timeout);
        if (timeoutMillis <= 0) {
            throw new SocketTimeoutException("connect timed out");
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            try {
                socket.connect(to, (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
            } catch (IOException e) {
                throw GoSocketErrors.dialError(to, e);
            }
            SocketStreamConnection connection = track(socket);
            streamsDialed.increment();
            return connection;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private static long ceilMillis(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            return 0;
        }
        try {
            long nanos = timeout.toNanos();
            return (nanos + 999_999) / 1_000_000;
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Wraps a socket and remembers it until it closes, so that close() can close it. */
    private SocketStreamConnection track(Socket socket) throws IOException {
        SocketStreamConnection[] self = new SocketStreamConnection[1];
        SocketStreamConnection connection = new SocketStreamConnection(socket, threads,
                "memberlist-tcp-watchdog-" + port, () -> openConnections.remove(self[0]));
        self[0] = connection;
        openConnections.add(connection);
        if (closed.get()) {
            connection.close(); // lost a race with close(), which may have missed it
            throw new IOException("transport closed");
        }
        return connection;
    }

    private void receivePackets() {
        byte[] buffer = new byte[RECEIVE_BUFFER_SIZE];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        ErrorBackoff backoff = new ErrorBackoff();
        while (!closed.get()) {
            packet.setData(buffer, 0, buffer.length);
            try {
                udpSocket.receive(packet);
            } catch (IOException e) {
                if (closed.get()) {
                    break;
                }
                if (backoff.firstOfRun()) { // once per run of failures: the back-off bounds the rest
                    logger.log(System.Logger.Level.ERROR, "memberlist: error reading UDP packet", e);
                }
                if (!backoff.pause()) {
                    break;
                }
                continue;
            }
            backoff.reset();
            long receivedNanos = System.nanoTime();
            int length = packet.getLength();
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            PacketHandler handler = packetHandler;
            if (length < 1) {
                packetsDropped.increment();
                logger.log(System.Logger.Level.DEBUG, () -> "memberlist: UDP packet too short (0 bytes) from " + from);
                continue;
            }
            if (handler == null || closed.get()) {
                packetsDropped.increment();
                continue;
            }
            packetsReceived.increment();
            bytesReceived.add(length);
            try {
                handler.onPacket(Arrays.copyOf(buffer, length), from, receivedNanos);
            } catch (RuntimeException e) {
                handlerFailures.increment();
                logger.log(System.Logger.Level.ERROR, "memberlist: packet handler failed on a packet from " + from, e);
            }
        }
    }

    /** How often the acceptor, waiting for a permit, checks whether the transport was closed. */
    private static final long PERMIT_POLL_MILLIS = 200;

    private void acceptStreams() {
        ErrorBackoff backoff = new ErrorBackoff();
        while (!closed.get()) {
            // A permit first: while every one is in use, new connections wait in the kernel's accept
            // queue (no thread, no heap) until one is given back, instead of being accepted and closed
            // unanswered (a join storm then failed its joins beyond the first maxInboundStreams).
            try {
                if (!inboundPermits.tryAcquire(PERMIT_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                break;
            }
            Socket socket;
            try {
                socket = tcpListener.accept();
            } catch (IOException e) {
                inboundPermits.release();
                if (closed.get()) {
                    break;
                }
                // E.g. out of file descriptors: logged once per run of failures, retried with a back-off.
                if (backoff.firstOfRun()) {
                    logger.log(System.Logger.Level.ERROR, "memberlist: error accepting TCP connection", e);
                }
                if (!backoff.pause()) {
                    break;
                }
                continue;
            }
            backoff.reset();
            StreamHandler handler = streamHandler;
            if (handler == null) {
                inboundPermits.release();
                streamsRefused.increment();
                closeQuietly(socket);
                continue;
            }
            streamsAccepted.increment(); // before the handler can run, so counters never lag behind it
            serving.incrementAndGet();
            try {
                socket.setTcpNoDelay(true);
                SocketStreamConnection connection = track(socket);
                threads.start("memberlist-tcp-conn-" + port, () -> serve(connection, handler));
            } catch (IOException | RejectedExecutionException e) {
                streamsAccepted.decrement();
                serving.decrementAndGet();
                inboundPermits.release();
                closeQuietly(socket);
                if (!closed.get()) {
                    streamsRefused.increment();
                    logger.log(System.Logger.Level.WARNING, "memberlist: could not serve a TCP connection", e);
                }
            }
        }
    }

    private void serve(SocketStreamConnection connection, StreamHandler handler) {
        try {
            handler.onStream(connection);
        } catch (RuntimeException e) {
            handlerFailures.increment();
            logger.log(System.Logger.Level.ERROR,
                    "memberlist: stream handler failed on a connection from " + connection.remoteAddress(), e);
        } finally {
            connection.close();
            serving.decrementAndGet();
            inboundPermits.release();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(tcpListener);
        udpSocket.close();
        for (SocketStreamConnection connection : List.copyOf(openConnections)) {
            connection.close();
        }
        List<Thread> stuck = threads.shutDown(CLOSE_WAIT);
        // Accepted in the instant before the listener closed: close those too.
        for (SocketStreamConnection connection : List.copyOf(openConnections)) {
            connection.close();
        }
        if (!stuck.isEmpty()) {
            logger.log(System.Logger.Level.WARNING,
                    "memberlist: " + stuck.size() + " transport threads did not end within " + CLOSE_WAIT);
        }
    }

    /** Threads started by this transport that are still running (for tests). */
    List<Thread> liveThreads() {
        return threads.alive();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing more to release
        }
    }
}
