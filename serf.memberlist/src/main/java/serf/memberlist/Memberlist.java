package serf.memberlist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import serf.crypto.Keyring;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.PacketCodec;
import serf.memberlist.internal.msg.StreamCodec;
import serf.memberlist.internal.msg.StreamRejectedException;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.StreamConnection;
import serf.memberlist.transport.Transport;
import serf.wire.DecodeException;
import serf.wire.InputBudget;
import serf.wire.InputRefusedException;

/**
 * One memberlist node: SWIM membership and failure detection with the Lifeguard extensions,
 * speaking Go memberlist's wire protocol. Create it with {@link #create(Config)}, {@link #join}
 * some members, and {@link #shutdown()} it when done (after {@link #leave} for a graceful exit).
 *
 * <p>Threads: a virtual thread each for the probe, gossip and push/pull loops, for the handoff
 * queue and for the node's timer (relay timeouts); a virtual thread per incoming stream (the
 * transport's, bounded there), per TCP fallback ping (bounded) and per suspicion timer while it
 * runs. A loop that serves the network logs, counts and goes on when something throws.
 *
 * <p>Delegates are called on these threads and must return quickly (hand slow work to a queue of
 * their own): the thread calling them is a protocol thread. Event, conflict delegates are called
 * after the state lock is released, in the order of the changes, so they may call back into the
 * node ({@link #members()}, …); only the {@link AliveDelegate} is called under the lock, because its
 * veto decides the change.
 *
 * <p>Input memory is reserved from {@link Config#inputBudget} before it is allocated; see
 * {@link Stats} for what is dropped or refused.
 */
public final class Memberlist {
    /** memberlist protocol versions this implementation speaks. */
    public static final int PROTOCOL_VERSION_MIN = 1;
    public static final int PROTOCOL_VERSION_MAX = 5;
    /** Go's MetaMaxSize. */
    public static final int META_MAX_SIZE = 512;
    /** Go's maxPushStateBytes: the largest push/pull we accept. */
    static final int MAX_PUSH_STATE_BYTES = 20 * 1024 * 1024;
    /** Go's maxPushPullRequests: concurrent inbound push/pulls served. */
    static final int MAX_PUSH_PULL_REQUESTS = 128;
    /** TCP fallback pings in flight at once; a probe starts at most one, so this is never reached in health. */
    static final int MAX_TCP_PINGS = 32;
    /** Reserved for every stream before its first byte: the read buffer and small headers. */
    static final int STREAM_OVERHEAD = 16 * 1024;
    private static final int COMPOUND_HEADER_OVERHEAD = 2;
    private static final int COMPOUND_OVERHEAD = 2;
    private static final int USER_MSG_OVERHEAD = 1;
    private static final int MAX_COMPOUND_PARTS = 127;

    private final Config config;
    private final Clock clock;
    private final RandomGenerator random;
    private final System.Logger log;
    private final Transport transport;
    private final Keyring keyring;
    private final Awareness awareness;
    private final TransmitLimitedQueue broadcasts;
    private final HandoffQueue handoff;
    private final CidrFilter cidrs;
    private final LogLimiter limited;
    private final WireOptions wire;

    private final ReentrantLock stateLock = new ReentrantLock();
    private final List<NodeRecord> nodes = new ArrayList<>();
    private final Map<String, NodeRecord> nodeMap = new HashMap<>();
    private final Map<String, Suspicion> nodeTimers = new HashMap<>();
    private int probeIndex;

    private final Map<Long, AckWaiter> ackWaiters = new ConcurrentHashMap<>();
    private final AtomicLong sequenceNum = new AtomicLong();
    private final AtomicLong incarnation = new AtomicLong();
    private final AtomicInteger numNodes = new AtomicInteger();
    private final PushPullAdmission pushPullAdmission;
    private final NodeTimer timer;
    private final IndirectPingRelays relays;
    private final java.util.concurrent.Semaphore tcpPingPermits = new java.util.concurrent.Semaphore(MAX_TCP_PINGS);
    private final DeferredNotifications notifications;
    private final InputBudget budget;
    private final AtomicBoolean leaving = new AtomicBoolean();
    private final AtomicBoolean shutdown = new AtomicBoolean();
    private final CountDownLatch shutdownLatch = new CountDownLatch(1);
    private final List<Thread> loops = new ArrayList<>();
    private volatile CountDownLatch leaveBroadcastDone;

    private final InetAddress advertiseAddr;
    private final int advertisePort;
    private final Stats stats = new Stats();
    /** For tests: true while a delegate is being called with the state lock held by its thread. */
    volatile boolean delegateUnderLock;

    /**
     * Counters for what the node dropped or refused, so hostile input is visible without log floods.
     * The input budget's figures are the whole budget's, which nodes of one process normally share.
     */
    public final class Stats {
        final AtomicLong packetsReceived = new AtomicLong();
        final AtomicLong packetsDropped = new AtomicLong();
        final AtomicLong messagesMalformed = new AtomicLong();
        final AtomicLong handoffDropped = new AtomicLong();
        final AtomicLong streamsFailed = new AtomicLong();
        final AtomicLong streamsRefusedBudget = new AtomicLong();
        final AtomicLong streamsRefusedCap = new AtomicLong();
        final AtomicLong tcpPingsDropped = new AtomicLong();
        final AtomicLong decompressionRefused = new AtomicLong();
        final AtomicLong loopExceptions = new AtomicLong();

        public long packetsReceived() { return packetsReceived.get(); }
        public long packetsDropped() { return packetsDropped.get(); }
        public long messagesMalformed() { return messagesMalformed.get(); }
        public long handoffDropped() { return handoffDropped.get(); }
        public long streamsFailed() { return streamsFailed.get(); }
        /** Streams dropped because the input budget could not cover them. */
        public long streamsRefusedBudget() { return streamsRefusedBudget.get(); }
        /** Streams refused because they declared more than the cluster's state could be (see {@link Config#streamCapBase}). */
        public long streamsRefusedCap() { return streamsRefusedCap.get(); }
        /** Indirect-ping requests dropped because too many relays were in flight. */
        public long relaysDropped() { return relays.dropped(); }
        /** Indirect pings being relayed now. */
        public long relaysInFlight() { return relays.inFlight(); }
        /** TCP fallback pings not made because too many were in flight. */
        public long tcpPingsDropped() { return tcpPingsDropped.get(); }
        /** Inbound push/pulls refused after waiting for a free slot. */
        public long pushPullRefused() { return pushPullAdmission.refused(); }
        /** Packets dropped because the budget refused their decompression. */
        public long decompressionRefused() { return decompressionRefused.get(); }
        /** Exceptions caught by the loops and delegate calls that serve the network (which went on). */
        public long loopExceptions() { return loopExceptions.get(); }
        public long inputBudgetLimit() { return budget.limit(); }
        public long inputBudgetInUse() { return budget.inUse(); }
        public long inputBudgetPeak() { return budget.peak(); }
        public long inputBudgetRefusals() { return budget.refusals(); }

        /** Every counter under a stable snake_case key, in a fixed order (for stats displays). */
        public Map<String, Long> asMap() {
            Map<String, Long> m = new java.util.LinkedHashMap<>();
            m.put("packets_received", packetsReceived());
            m.put("packets_dropped", packetsDropped());
            m.put("messages_malformed", messagesMalformed());
            m.put("handoff_dropped", handoffDropped());
            m.put("streams_failed", streamsFailed());
            m.put("streams_refused_budget", streamsRefusedBudget());
            m.put("streams_refused_cap", streamsRefusedCap());
            m.put("relays_dropped", relaysDropped());
            m.put("relays_in_flight", relaysInFlight());
            m.put("tcp_pings_dropped", tcpPingsDropped());
            m.put("push_pull_refused", pushPullRefused());
            m.put("decompression_refused", decompressionRefused());
            m.put("loop_exceptions", loopExceptions());
            m.put("input_budget_limit", inputBudgetLimit());
            m.put("input_budget_in_use", inputBudgetInUse());
            m.put("input_budget_peak", inputBudgetPeak());
            m.put("input_budget_refusals", inputBudgetRefusals());
            return Collections.unmodifiableMap(m);
        }
    }

    private Memberlist(Config config, Transport transport, Keyring keyring) {
        this.config = config;
        this.clock = config.clock();
        this.random = config.random();
        this.log = config.logger();
        this.transport = transport;
        this.keyring = keyring;
        this.awareness = new Awareness(config.awarenessMaxMultiplier());
        this.broadcasts = new TransmitLimitedQueue(numNodes::get, config.retransmitMult());
        this.handoff = new HandoffQueue(config.handoffQueueDepth());
        this.cidrs = CidrFilter.parse(config.cidrsAllowed());
        this.limited = new LogLimiter(log);
        this.wire = wireOptions(config, keyring);
        this.budget = config.inputBudget();
        this.pushPullAdmission = new PushPullAdmission(MAX_PUSH_PULL_REQUESTS, config.tcpTimeout().dividedBy(2));
        this.timer = new NodeTimer(config.name(), limited, stats.loopExceptions::incrementAndGet);
        this.relays = new IndirectPingRelays(IndirectPingRelays.MAX_IN_FLIGHT, timer);
        this.notifications = new DeferredNotifications(limited, () -> {
            stats.loopExceptions.incrementAndGet();
            delegateUnderLock |= stateLock.isHeldByCurrentThread();
        });
        InetSocketAddress adv = transport.advertiseAddress();
        this.advertiseAddr = adv.getAddress();
        this.advertisePort = adv.getPort();
    }

    /**
     * Starts a node: binds its transport (unless one is supplied), queues its own alive message and
     * starts the protocol loops. Fails if the configuration is invalid or the address is taken.
     */
    public static Memberlist create(Config config) throws IOException {
        Config c = config.copy();
        validate(c);
        Keyring ring = c.keyring();
        if (c.secretKey() != null) {
            if (ring == null) {
                ring = Keyring.of(List.of(), c.secretKey());
            } else {
                ring.addKey(c.secretKey());
                ring.useKey(c.secretKey());
            }
        }
        Transport t = c.transport();
        if (t == null) {
            t = NetTransportFactory.create(c);
        }
        if (c.bindPort() == 0) {
            // The transport picked the port: it is the one to substitute for port 0 in messages.
            c.bindPort(t.advertiseAddress().getPort());
        }
        Memberlist m = new Memberlist(c, t, ring);
        try {
            m.start();
        } catch (RuntimeException | IOException e) {
            m.shutdown();
            throw e;
        }
        return m;
    }

    private static void validate(Config c) {
        if (c.name() == null || c.name().isEmpty()) {
            throw new IllegalArgumentException("a node name is required");
        }
        if (c.protocolVersion() < PROTOCOL_VERSION_MIN || c.protocolVersion() > PROTOCOL_VERSION_MAX) {
            throw new IllegalArgumentException("protocol version '" + c.protocolVersion()
                    + "' too " + (c.protocolVersion() < PROTOCOL_VERSION_MIN ? "low" : "high")
                    + ". Must be in range: [" + PROTOCOL_VERSION_MIN + ", " + PROTOCOL_VERSION_MAX + "]");
        }
        if (c.label().length() > 255) {
            throw new IllegalArgumentException("label is too long: " + c.label().length() + " > 255");
        }
        if (c.streamCapBase() <= 0 || c.streamCapPerNode() < 0) {
            throw new IllegalArgumentException("stream cap must be positive: base " + c.streamCapBase()
                    + ", per node " + c.streamCapPerNode());
        }
    }

    private void start() throws IOException {
        transport.start(this::onPacket, this::onStream);
        setAlive();
        loops.add(startLoop("handoff", this::handoffLoop));
        loops.add(startLoop("probe", this::probeLoop));
        loops.add(startLoop("gossip", this::gossipLoop));
        if (!config.pushPullInterval().isZero()) {
            loops.add(startLoop("pushpull", this::pushPullLoop));
        }
    }

    /** A loop that never dies from an exception: it is logged (rate-limited), counted and the loop goes on. */
    private Thread startLoop(String what, Runnable body) {
        return Thread.ofVirtual().name("memberlist-" + what + "-" + config.name()).start(() -> {
            while (!shutdown.get()) {
                try {
                    body.run();
                    return; // the body returns only when shutting down
                } catch (RuntimeException e) {
                    if (shutdown.get()) {
                        return;
                    }
                    stats.loopExceptions.incrementAndGet();
                    limited.log(System.Logger.Level.ERROR, "loop-" + what, "memberlist: " + what + " loop failed, going on: " + e);
                    if (sleepInterrupted(Duration.ofMillis(100))) {
                        return;
                    }
                }
            }
        });
    }

    /** Releases the state lock, then makes the delegate calls decided under it (in order). */
    private void unlockState() {
        stateLock.unlock();
        notifications.deliver();
    }

    /** Queues a delegate call to be made once the state lock is released. */
    private void notifyLater(Runnable call) {
        notifications.add(() -> {
            delegateUnderLock |= stateLock.isHeldByCurrentThread();
            call.run();
        });
    }

    // ------------------------------------------------------------------------------------------
    // Public API
    // ------------------------------------------------------------------------------------------

    /** This node's name. */
    public String name() {
        return config.name();
    }

    /** A view of this node. */
    public Node localNode() {
        stateLock.lock();
        try {
            return nodeMap.get(config.name()).snapshot();
        } finally {
            stateLock.unlock();
        }
    }

    /** Every node not dead or left (self included). */
    public List<Node> members() {
        stateLock.lock();
        try {
            List<Node> out = new ArrayList<>(nodes.size());
            for (NodeRecord n : nodes) {
                if (!n.deadOrLeft()) {
                    out.add(n.snapshot());
                }
            }
            return out;
        } finally {
            stateLock.unlock();
        }
    }

    /** Every node memberlist still knows, whatever its state. */
    public List<Node> allNodes() {
        stateLock.lock();
        try {
            List<Node> out = new ArrayList<>(nodes.size());
            for (NodeRecord n : nodes) {
                out.add(n.snapshot());
            }
            return out;
        } finally {
            stateLock.unlock();
        }
    }

    /** Number of nodes not dead or left (self included). */
    public int numMembers() {
        stateLock.lock();
        try {
            int alive = 0;
            for (NodeRecord n : nodes) {
                if (!n.deadOrLeft()) {
                    alive++;
                }
            }
            return alive;
        } finally {
            stateLock.unlock();
        }
    }

    /** The incarnation memberlist holds for {@code node}, or -1 if unknown (for tests). */
    long incarnationOf(String node) {
        stateLock.lock();
        try {
            NodeRecord n = nodeMap.get(node);
            return n == null ? -1 : n.incarnation;
        } finally {
            stateLock.unlock();
        }
    }

    /** Free inbound push/pull slots (for tests: all of them once no push/pull is being served). */
    int pushPullSlotsFree() {
        return pushPullAdmission.available();
    }

    /** Lifeguard health score: 0 is healthy. */
    public int healthScore() {
        return awareness.healthScore();
    }

    public int protocolVersion() {
        return config.protocolVersion();
    }

    /** The keyring in use, or null when encryption is off. */
    public Keyring keyring() {
        return keyring;
    }

    public boolean encryptionEnabled() {
        return keyring != null && !keyring.isEmpty();
    }

    public InetSocketAddress advertiseAddress() {
        return new InetSocketAddress(advertiseAddr, advertisePort);
    }

    public Stats stats() {
        return stats;
    }

    /** Estimated cluster size used for timeouts and retransmit limits: every node in the list. */
    public int estimatedNumNodes() {
        return numNodes.get();
    }

    /**
     * Joins a cluster through one or more known members, each {@code [name/]host[:port]}. Every
     * address the host resolves to is tried with a push/pull. Returns how many were contacted;
     * throws when none could be.
     */
    public int join(List<String> existing) throws IOException {
        int ok = 0;
        List<String> errors = new ArrayList<>();
        for (String spec : existing) {
            List<InetSocketAddress> addrs;
            try {
                addrs = resolve(spec);
            } catch (IOException | IllegalArgumentException e) {
                errors.add("Failed to resolve " + spec + ": " + e.getMessage());
                continue;
            }
            for (InetSocketAddress a : addrs) {
                try {
                    pushPullNode("", a, true);
                    ok++;
                } catch (IOException | DecodeException e) {
                    errors.add("Failed to join " + a.getAddress().getHostAddress() + ": " + e.getMessage());
                }
            }
        }
        if (ok == 0 && !errors.isEmpty()) {
            // go-multierror's text, as Go's Join returns it.
            throw new IOException((errors.size() == 1 ? "1 error occurred" : errors.size() + " errors occurred")
                    + ":\n\t* " + String.join("\n\t* ", errors) + "\n\n");
        }
        return ok;
    }

    private List<InetSocketAddress> resolve(String spec) throws IOException {
        String hostPort = spec;
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            if (slash == 0) {
                throw new IllegalArgumentException("empty node name provided");
            }
            hostPort = spec.substring(slash + 1);
        }
        String host = hostPort;
        int port = config.bindPort();
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in address " + hostPort);
            }
            host = hostPort.substring(1, close);
            if (hostPort.length() > close + 1) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad address " + hostPort);
                }
                port = parsePort(hostPort.substring(close + 2));
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0 && hostPort.indexOf(':') == colon) {
                host = hostPort.substring(0, colon);
                port = parsePort(hostPort.substring(colon + 1));
            }
        }
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                out.add(new InetSocketAddress(a, port));
            }
        } catch (UnknownHostException e) {
            throw new IOException("no such host " + host, e);
        }
        return out;
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("invalid port " + s);
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port " + s, e);
        }
    }

    /**
     * Leaves gracefully: broadcasts that this node left and waits, up to {@code timeout}, until the
     * message has been gossiped (only if some other node is alive). Call {@link #shutdown()} after.
     */
    public void leave(Duration timeout) throws IOException {
        if (shutdown.get()) {
            throw new IllegalStateException("memberlist is shut down");
        }
        if (!leaving.compareAndSet(false, true)) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        leaveBroadcastDone = done;
        boolean wait;
        stateLock.lock();
        try {
            NodeRecord self = nodeMap.get(config.name());
            if (self == null) {
                return;
            }
            deadNode(new Message.Dead(self.incarnation, self.name, self.name));
            wait = anyAliveLocked();
        } finally {
            unlockState();
        }
        if (wait) {
            awaitBroadcast(done, timeout, "leave");
        }
    }

    /**
     * Re-reads the delegate's node metadata and gossips it with a new incarnation, waiting up to
     * {@code timeout} for the broadcast when other nodes are alive.
     */
    public void updateNode(Duration timeout) throws IOException {
        byte[] meta = localMeta();
        CountDownLatch done = new CountDownLatch(1);
        boolean wait;
        stateLock.lock();
        try {
            NodeRecord self = nodeMap.get(config.name());
            long inc = nextIncarnation();
            Message.Alive a = new Message.Alive(inc, self.name, addrBytes(advertiseAddr), advertisePort, meta, self.versions());
            aliveNode(a, done, true);
            wait = anyAliveLocked();
        } finally {
            unlockState();
        }
        if (wait) {
            awaitBroadcast(done, timeout, "update");
        }
    }

    /** Waits until a broadcast has been sent as often as the retransmit limit allows. */
    private static void awaitBroadcast(CountDownLatch done, Duration timeout, String what) throws IOException {
        try {
            if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException("timeout waiting for " + what + " broadcast");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + what + " broadcast", e);
        }
    }

    /** Sends a user message to {@code to} over UDP, best effort. */
    public void sendBestEffort(Node to, byte[] message) throws IOException {
        byte[] msg = MessageCodec.encode(new Message.User(message));
        rawSendPacket(to.address(), msg, to.pMax() >= 5);
    }

    /** Sends a user message to an address over UDP, best effort, without CRC (Go's SendToAddress). */
    public void sendToAddress(InetSocketAddress to, byte[] message) throws IOException {
        byte[] msg = MessageCodec.encode(new Message.User(message));
        rawSendPacket(to, msg, crcForAddress(to));
    }

    /** Sends a user message to {@code to} over a TCP stream. */
    public void sendReliable(Node to, byte[] message) throws IOException {
        try (StreamConnection c = transport.dialStream(to.address(), config.tcpTimeout())) {
            c.setDeadline(socketDeadline(config.tcpTimeout()));
            StreamCodec.write(c.output(), StreamCodec.encodeUserStream(message), wireOptions());
        }
    }

    /** A socket deadline: transports keep the system's time, whatever the protocol's clock is. */
    private static long socketDeadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    /** Queues a user broadcast on memberlist's own queue (the delegate's queues are preferred). */
    public void queueBroadcast(Broadcast b) {
        broadcasts.queueBroadcast(b);
    }

    /**
     * Stops everything: the loops, the transport (also one supplied in the config) and every thread. Does not
     * leave gracefully; call {@link #leave} first for that. Idempotent.
     */
    public void shutdown() {
        if (!shutdown.compareAndSet(false, true)) {
            return;
        }
        shutdownLatch.countDown();
        handoff.close();
        // Like Go, the transport is shut down with the node even when the caller supplied it.
        transport.close();
        List<Suspicion> timers;
        stateLock.lock();
        try {
            timers = new ArrayList<>(nodeTimers.values());
            nodeTimers.clear();
        } finally {
            stateLock.unlock();
        }
        timers.forEach(Suspicion::cancel);
        timer.shutdown(Duration.ofSeconds(5));
        for (Thread t : loops) {
            t.interrupt();
        }
        for (Thread t : loops) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    public boolean isShutdown() {
        return shutdown.get();
    }

    // ------------------------------------------------------------------------------------------
    // Self
    // ------------------------------------------------------------------------------------------

    private byte[] localMeta() {
        Delegate d = config.delegate();
        if (d == null) {
            return new byte[0];
        }
        byte[] meta = d.nodeMeta(META_MAX_SIZE);
        if (meta == null) {
            return new byte[0];
        }
        if (meta.length > META_MAX_SIZE) {
            throw new IllegalStateException("node meta data provided is longer than the limit (" + meta.length + " > " + META_MAX_SIZE + ")");
        }
        return meta;
    }

    private byte[] localVsn() {
        return new byte[] {PROTOCOL_VERSION_MIN, PROTOCOL_VERSION_MAX, (byte) config.protocolVersion(),
            (byte) config.delegateProtocolMin(), (byte) config.delegateProtocolMax(),
            (byte) config.delegateProtocolVersion()};
    }

    private void setAlive() {
        Message.Alive a = new Message.Alive(nextIncarnation(), config.name(), addrBytes(advertiseAddr),
                advertisePort, localMeta(), localVsn());
        stateLock.lock();
        try {
            aliveNode(a, null, true);
        } finally {
            unlockState();
        }
    }

    private long nextIncarnation() {
        return incarnation.incrementAndGet() & 0xffffffffL;
    }

    private long nextSeqNo() {
        return sequenceNum.incrementAndGet() & 0xffffffffL;
    }

    static byte[] addrBytes(InetAddress a) {
        return a.getAddress();
    }

    private static InetAddress toInetAddress(byte[] addr) {
        if (addr == null || (addr.length != 4 && addr.length != 16)) {
            return null;
        }
        try {
            return InetAddress.getByAddress(addr);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private boolean anyAliveLocked() {
        for (NodeRecord n : nodes) {
            if (!n.deadOrLeft() && !n.name.equals(config.name())) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------
    // State machine (Go's aliveNode, suspectNode, deadNode); callers hold stateLock
    // ------------------------------------------------------------------------------------------

    private void aliveNode(Message.Alive a, CountDownLatch notify, boolean bootstrap) {
        NodeRecord state = nodeMap.get(a.node());
        boolean isLocal = a.node().equals(config.name());
        if (leaving.get() && isLocal) {
            return;
        }
        byte[] vsn = a.vsn() == null ? new byte[0] : a.vsn();
        if (vsn.length >= 3) {
            int pMin = vsn[0] & 0xff;
            int pMax = vsn[1] & 0xff;
            if (pMin == 0 || pMax == 0 || pMin > pMax) {
                limited.log(System.Logger.Level.WARNING, "alive-vsn", "memberlist: Ignoring an alive message for '" + a.node()
                        + "' because protocol version(s) are wrong");
                return;
            }
        }
        if (vsn.length != 6) {
            // Go crashes on 1..5 byte versions and is poisoned by an empty one (its later push/pulls
            // fail the version check); we refuse both, and so never relay them.
            limited.log(System.Logger.Level.WARNING, "alive-vsn", "memberlist: Ignoring an alive message for '" + a.node()
                    + "' with a " + vsn.length + "-byte version vector");
            return;
        }
        InetAddress addr = toInetAddress(a.addr());
        if (addr == null) {
            limited.log(System.Logger.Level.WARNING, "alive-addr", "memberlist: Ignoring an alive message for '" + a.node() + "' with a bad address");
            return;
        }
        if (config.alive() != null) {
            if (vsn.length < 6) {
                limited.log(System.Logger.Level.WARNING, "alive-veto", "memberlist: ignoring alive message for '" + a.node() + "' because Vsn is not present");
                return;
            }
            Node candidate = new Node(a.node(), addr, a.port(), a.meta(), NodeState.ALIVE,
                    vsn[0] & 0xff, vsn[1] & 0xff, vsn[2] & 0xff, vsn[3] & 0xff, vsn[4] & 0xff, vsn[5] & 0xff);
            // Called under the state lock (as Go does): its veto decides whether the state changes.
            String veto = config.alive().notifyAlive(candidate);
            if (veto != null) {
                limited.log(System.Logger.Level.WARNING, "alive-veto", "memberlist: ignoring alive message for '" + a.node() + "': " + veto);
                return;
            }
        }
        boolean updatesNode = false;
        if (state == null) {
            if (!cidrs.allowed(addr)) {
                limited.log(System.Logger.Level.WARNING, "cidr", "memberlist: Rejected node " + a.node() + " (" + addr.getHostAddress() + "): not in the allowed CIDRs");
                return;
            }
            state = new NodeRecord(a.node(), addr, a.port(), a.meta(), NodeState.DEAD, clock.nanoTime());
            if (vsn.length == 6) {
                state.setVersions(vsn);
            }
            nodeMap.put(a.node(), state);
            // Insert at a random position so that probe order differs across nodes.
            int n = nodes.size();
            int offset = n == 0 ? 0 : random.nextInt(n + 1);
            nodes.add(state);
            Collections.swap(nodes, offset, n);
            numNodes.incrementAndGet();
        } else if (!state.addr.equals(addr) || state.port != a.port()) {
            if (!cidrs.allowed(addr)) {
                limited.log(System.Logger.Level.WARNING, "cidr", "memberlist: Rejected IP update for node " + a.node() + ": not in the allowed CIDRs");
                return;
            }
            long reclaim = config.deadNodeReclaimTime().toNanos();
            boolean canReclaim = reclaim > 0 && clock.nanoTime() - state.stateChangeNanos > reclaim;
            if (state.state == NodeState.LEFT || (state.state == NodeState.DEAD && canReclaim)) {
                log.log(System.Logger.Level.INFO, "memberlist: Updating address for left or failed node " + state.name
                        + " from " + state.addr.getHostAddress() + ":" + state.port + " to " + addr.getHostAddress() + ":" + a.port());
                updatesNode = true;
            } else {
                limited.log(System.Logger.Level.ERROR, "conflict-" + state.name, "memberlist: Conflicting address for " + state.name + ". Mine: "
                        + state.addr.getHostAddress() + ":" + state.port + " Theirs: " + addr.getHostAddress() + ":" + a.port()
                        + " Old state: " + state.state);
                ConflictDelegate conflict = config.conflict();
                if (conflict != null) {
                    Node other = new Node(a.node(), addr, a.port(), a.meta(), NodeState.ALIVE, 0, 0, 0, 0, 0, 0);
                    Node existing = state.snapshot();
                    notifyLater(() -> conflict.notifyConflict(existing, other));
                }
                return;
            }
        }
        if (a.incarnation() <= state.incarnation && !isLocal && !updatesNode) {
            return;
        }
        if (a.incarnation() < state.incarnation && isLocal) {
            return;
        }
        cancelTimer(a.node());
        NodeState oldState = state.state;
        byte[] oldMeta = state.meta;
        if (!bootstrap && isLocal) {
            if (a.incarnation() == state.incarnation && java.util.Arrays.equals(nullToEmpty(a.meta()), state.meta)
                    && java.util.Arrays.equals(vsn, state.versions())) {
                return;
            }
            refute(state, a.incarnation());
            limited.log(System.Logger.Level.WARNING, "refute", "memberlist: Refuting an alive message for '" + a.node() + "'");
        } else {
            queueNodeBroadcast(a.node(), MessageCodec.encode(a), notify);
            if (vsn.length == 6) {
                state.setVersions(vsn);
            }
            state.incarnation = a.incarnation();
            state.meta = nullToEmpty(a.meta());
            state.addr = addr;
            state.port = a.port();
            if (state.state != NodeState.ALIVE) {
                state.state = NodeState.ALIVE;
                state.stateChangeNanos = clock.nanoTime();
            }
        }
        EventDelegate events = config.events();
        if (events != null) {
            Node view = state.snapshot();
            if (oldState == NodeState.DEAD || oldState == NodeState.LEFT) {
                notifyLater(() -> events.notifyJoin(view));
            } else if (!java.util.Arrays.equals(oldMeta, state.meta)) {
                notifyLater(() -> events.notifyUpdate(view));
            }
        }
    }

    private static byte[] nullToEmpty(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    private void suspectNode(Message.Suspect s) {
        NodeRecord state = nodeMap.get(s.node());
        if (state == null || s.incarnation() < state.incarnation) {
            return;
        }
        Suspicion timer = nodeTimers.get(s.node());
        if (timer != null) {
            if (timer.confirm(s.from())) {
                queueNodeBroadcast(s.node(), MessageCodec.encode(s), null);
            }
            return;
        }
        if (state.state != NodeState.ALIVE) {
            return;
        }
        if (state.name.equals(config.name())) {
            refute(state, s.incarnation());
            limited.log(System.Logger.Level.WARNING, "refute", "memberlist: Refuting a suspect message (from: " + s.from() + ")");
            return;
        }
        queueNodeBroadcast(s.node(), MessageCodec.encode(s), null);
        state.incarnation = s.incarnation();
        state.state = NodeState.SUSPECT;
        long changeTime = clock.nanoTime();
        state.stateChangeNanos = changeTime;

        int n = numNodes.get();
        int k = config.suspicionMult() - 2;
        if (n - 2 < k) {
            k = 0;
        }
        Duration min = suspicionTimeout(config.suspicionMult(), n, config.probeInterval());
        Duration max = min.multipliedBy(config.suspicionMaxTimeoutMult());
        String name = s.node();
        Suspicion t = new Suspicion(clock, s.from(), k, min, max, confirmations -> suspicionExpired(name, changeTime, confirmations));
        nodeTimers.put(name, t);
        t.start("memberlist-suspicion-" + config.name() + "-" + name);
    }

    private void suspicionExpired(String name, long changeTime, int confirmations) {
        stateLock.lock();
        try {
            if (shutdown.get()) {
                return;
            }
            NodeRecord state = nodeMap.get(name);
            if (state == null || state.state != NodeState.SUSPECT || state.stateChangeNanos != changeTime) {
                return;
            }
            log.log(System.Logger.Level.INFO, "memberlist: Marking " + name + " as failed, suspect timeout reached ("
                    + confirmations + " peer confirmations)");
            deadNode(new Message.Dead(state.incarnation, name, config.name()));
        } finally {
            unlockState();
        }
    }

    /** Go's suspicionTimeout: mult × max(1, log10(max(1, n))) × interval, the scale truncated to 1/1000. */
    static Duration suspicionTimeout(int suspicionMult, int n, Duration interval) {
        double nodeScale = Math.max(1.0, Math.log10(Math.max(1.0, n)));
        long scaleMillis = (long) (nodeScale * 1000);
        return interval.multipliedBy(suspicionMult).multipliedBy(scaleMillis).dividedBy(1000);
    }

    private void deadNode(Message.Dead d) {
        NodeRecord state = nodeMap.get(d.node());
        if (state == null || d.incarnation() < state.incarnation) {
            return;
        }
        cancelTimer(d.node());
        if (state.deadOrLeft()) {
            return;
        }
        if (state.name.equals(config.name())) {
            if (!leaving.get()) {
                refute(state, d.incarnation());
                limited.log(System.Logger.Level.WARNING, "refute", "memberlist: Refuting a dead message (from: " + d.from() + ")");
                return;
            }
            queueNodeBroadcast(d.node(), MessageCodec.encode(d), leaveBroadcastDone);
        } else {
            queueNodeBroadcast(d.node(), MessageCodec.encode(d), null);
        }
        state.incarnation = d.incarnation();
        state.state = d.node().equals(d.from()) ? NodeState.LEFT : NodeState.DEAD;
        state.stateChangeNanos = clock.nanoTime();
        EventDelegate events = config.events();
        if (events != null) {
            Node view = state.snapshot();
            notifyLater(() -> events.notifyLeave(view));
        }
    }

    private void cancelTimer(String name) {
        Suspicion t = nodeTimers.remove(name);
        if (t != null) {
            t.cancel();
        }
    }

    private void refute(NodeRecord me, long accusedInc) {
        long inc = nextIncarnation();
        if (accusedInc >= inc) {
            inc = incarnation.addAndGet(accusedInc - inc + 1) & 0xffffffffL;
        }
        me.incarnation = inc;
        awareness.applyDelta(1);
        Message.Alive a = new Message.Alive(inc, me.name, addrBytes(me.addr), me.port, me.meta, me.versions());
        queueNodeBroadcast(me.name, MessageCodec.encode(a), null);
    }

    private void queueNodeBroadcast(String node, byte[] message, CountDownLatch notify) {
        broadcasts.queueBroadcast(new NodeBroadcast(node, message, notify));
    }

    private void mergeState(List<Message.PushNodeState> remote) {
        for (Message.PushNodeState r : remote) {
            switch (NodeState.fromCode(r.state())) {
                case ALIVE -> aliveNode(new Message.Alive(r.incarnation(), r.name(), r.addr(), r.port(), r.meta(), r.vsn()), null, false);
                case LEFT -> deadNode(new Message.Dead(r.incarnation(), r.name(), r.name()));
                case DEAD, SUSPECT -> suspectNode(new Message.Suspect(r.incarnation(), r.name(), config.name()));
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Packets in
    // ------------------------------------------------------------------------------------------

    /** How packets and streams are framed; fixed for the node's life (keys rotate inside the keyring). */
    WireOptions wireOptions() {
        return wire;
    }

    private static WireOptions wireOptions(Config config, Keyring keyring) {
        Keyring ring = keyring != null && !keyring.isEmpty() ? keyring : null;
        byte[] label = config.label().isEmpty() ? null : config.label().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new WireOptions(config.enableCompression(), ring, config.protocolVersion() < 2 ? 0 : 1,
                config.gossipVerifyIncoming(), config.gossipVerifyOutgoing(), label, config.skipInboundLabelCheck());
    }

    private void onPacket(byte[] datagram, InetSocketAddress from, long receivedNanos) {
        if (shutdown.get()) {
            return;
        }
        stats.packetsReceived.incrementAndGet();
        // Decompressed bytes are reserved as they are produced, and held until the messages are handled.
        try (InputBudget.Reservation r = budget.tryReserve(0)) {
            handlePacket(datagram, from, receivedNanos, r);
        }
    }

    private void handlePacket(byte[] datagram, InetSocketAddress from, long receivedNanos, InputBudget.Reservation r) {
        PacketCodec.Decoded decoded;
        try {
            byte[] plain = PacketCodec.open(datagram, wireOptions());
            decoded = PacketCodec.decode(plain, r);
        } catch (DecodeException e) {
            stats.packetsDropped.incrementAndGet();
            log.log(System.Logger.Level.DEBUG, () -> "memberlist: dropped packet from " + from + ": " + e.getMessage());
            return;
        }
        if (decoded.budgetRefused()) {
            stats.packetsDropped.incrementAndGet();
            stats.decompressionRefused.incrementAndGet();
            limited.log(System.Logger.Level.WARNING, "packet-budget", "memberlist: dropped a packet from " + from
                    + ": its decompression was refused by the input budget");
            return;
        }
        if (!decoded.problems().isEmpty()) {
            stats.messagesMalformed.addAndGet(decoded.problems().size());
            log.log(System.Logger.Level.DEBUG, () -> "memberlist: problems in packet from " + from + ": " + decoded.problems());
        }
        for (Message m : decoded.messages()) {
            try {
                handlePacketMessage(m, from, receivedNanos);
            } catch (RuntimeException e) {
                stats.messagesMalformed.incrementAndGet();
                limited.log(System.Logger.Level.WARNING, "handle-failed", "memberlist: failed to handle " + m.type() + " from " + from + ": " + e);
            }
        }
    }

    private void handlePacketMessage(Message m, InetSocketAddress from, long receivedNanos) {
        switch (m) {
            case Message.Ping p -> handlePing(p, from);
            case Message.IndirectPing ip -> handleIndirectPing(ip, from);
            case Message.Ack a -> {
                AckWaiter w = ackWaiters.get(a.seqNo());
                if (w != null) {
                    // The transport stamps arrivals in the system's time; another clock is read now.
                    w.ack(a.payload(), clock.isSystem() ? receivedNanos : clock.nanoTime());
                }
            }
            case Message.Nack n -> {
                AckWaiter w = ackWaiters.get(n.seqNo());
                if (w != null) {
                    w.nack();
                }
            }
            case Message.Alive a -> {
                InetAddress addr = toInetAddress(a.addr());
                if (addr != null && !cidrs.allowed(addr)) {
                    return;
                }
                Message.Alive fixed = a;
                if (config.protocolVersion() < 2 || a.port() == 0) {
                    fixed = new Message.Alive(a.incarnation(), a.node(), a.addr(), config.bindPort(), a.meta(), a.vsn());
                }
                enqueue(fixed);
            }
            case Message.Suspect s -> enqueue(s);
            case Message.Dead d -> enqueue(d);
            case Message.User u -> enqueue(u);
            case Message.PushPull pp -> log.log(System.Logger.Level.DEBUG, "memberlist: push/pull in a packet ignored");
            case Message.Err e -> log.log(System.Logger.Level.DEBUG, "memberlist: err in a packet ignored");
        }
    }

    private void enqueue(Message m) {
        if (!handoff.offer(m)) {
            stats.handoffDropped.incrementAndGet();
            limited.log(System.Logger.Level.WARNING, "handoff-full", "memberlist: handler queue full, dropping message (" + m.type() + ")");
        }
    }

    private void handoffLoop() {
        while (!shutdown.get()) {
            Message m;
            try {
                m = handoff.take();
            } catch (InterruptedException e) {
                return;
            }
            if (m == null) {
                return;
            }
            try {
                switch (m) {
                    case Message.User u -> {
                        if (config.delegate() != null && u.payload().length > 0) {
                            config.delegate().notifyMsg(u.payload());
                        }
                    }
                    default -> {
                        stateLock.lock();
                        try {
                            switch (m) {
                                case Message.Alive a -> aliveNode(a, null, false);
                                case Message.Suspect s -> suspectNode(s);
                                case Message.Dead d -> deadNode(d);
                                default -> { }
                            }
                        } finally {
                            unlockState();
                        }
                    }
                }
            } catch (RuntimeException e) {
                stats.loopExceptions.incrementAndGet();
                limited.log(System.Logger.Level.WARNING, "handoff-failed", "memberlist: failed to handle " + m.type() + ": " + e);
            }
        }
    }

    private void handlePing(Message.Ping p, InetSocketAddress from) {
        if (!p.node().isEmpty() && !p.node().equals(config.name())) {
            limited.log(System.Logger.Level.WARNING, "unexpected-ping", "memberlist: Got ping for unexpected node '" + p.node() + "' from=" + from);
            return;
        }
        byte[] payload = config.ping() != null ? config.ping().ackPayload() : null;
        InetSocketAddress to = replyAddress(p.sourceAddr(), p.sourcePort(), from);
        sendMsg(to, MessageCodec.encode(new Message.Ack(p.seqNo(), payload)), false);
    }

    private static InetSocketAddress replyAddress(byte[] sourceAddr, int sourcePort, InetSocketAddress from) {
        if (sourceAddr != null && sourceAddr.length > 0 && sourcePort > 0) {
            InetAddress a = toInetAddress(sourceAddr);
            if (a != null) {
                return new InetSocketAddress(a, sourcePort);
            }
        }
        return from;
    }

    private void handleIndirectPing(Message.IndirectPing ind, InetSocketAddress from) {
        InetAddress target = toInetAddress(ind.target());
        if (target == null) {
            return;
        }
        int port = (config.protocolVersion() < 2 || ind.port() == 0) ? config.bindPort() : ind.port();
        long localSeq = nextSeqNo();
        Message.Ping ping = new Message.Ping(localSeq, ind.node(), addrBytes(advertiseAddr), advertisePort, config.name());
        InetSocketAddress requester = replyAddress(ind.sourceAddr(), ind.sourcePort(), from);
        AckWaiter waiter = new AckWaiter();
        ackWaiters.put(localSeq, waiter);
        boolean started = relays.start(waiter, config.probeTimeout(),
                () -> sendMsg(requester, MessageCodec.encode(new Message.Ack(ind.seqNo(), null)), false),
                () -> {
                    if (ind.nack()) {
                        sendMsg(requester, MessageCodec.encode(new Message.Nack(ind.seqNo())), false);
                    }
                },
                () -> ackWaiters.remove(localSeq));
        if (!started) {
            ackWaiters.remove(localSeq);
            limited.log(System.Logger.Level.WARNING, "relay-dropped", "memberlist: too many indirect pings in flight, dropping a request from " + from);
            return;
        }
        sendMsg(new InetSocketAddress(target, port), MessageCodec.encode(ping), false);
    }

    // ------------------------------------------------------------------------------------------
    // Packets out
    // ------------------------------------------------------------------------------------------

    private int encryptionOverhead() {
        return encryptionEnabled() && config.gossipVerifyOutgoing()
                ? serf.crypto.Encryption.overhead(config.protocolVersion() < 2 ? 0 : 1) : 0;
    }

    /** Sends a message with whatever broadcasts fit piggybacked (Go's sendMsg). */
    private void sendMsg(InetSocketAddress to, byte[] msg, boolean crc) {
        int bytesAvail = config.udpBufferSize() - msg.length - COMPOUND_HEADER_OVERHEAD - encryptionOverhead();
        List<byte[]> extra = bytesAvail > 0 ? getBroadcasts(COMPOUND_OVERHEAD, bytesAvail) : List.of();
        if (extra.isEmpty()) {
            rawSendPacket(to, msg, crc);
            return;
        }
        List<byte[]> all = new ArrayList<>(extra.size() + 1);
        all.add(msg);
        all.addAll(extra);
        sendCompound(to, all, crc);
    }

    private void sendCompound(InetSocketAddress to, List<byte[]> msgs, boolean crc) {
        for (int i = 0; i < msgs.size(); i += MAX_COMPOUND_PARTS) {
            List<byte[]> part = msgs.subList(i, Math.min(msgs.size(), i + MAX_COMPOUND_PARTS));
            rawSendPacket(to, part.size() == 1 ? part.get(0) : PacketCodec.compound(part), crc);
        }
    }

    /** memberlist's broadcasts first, then the delegate's (each prefixed with the user type byte). */
    private List<byte[]> getBroadcasts(int overhead, int limit) {
        List<byte[]> out = new ArrayList<>(broadcasts.getBroadcasts(overhead, limit));
        Delegate d = config.delegate();
        if (d != null) {
            int used = 0;
            for (byte[] b : out) {
                used += b.length + overhead;
            }
            int avail = limit - used;
            if (avail > overhead + USER_MSG_OVERHEAD) {
                for (byte[] userMsg : d.getBroadcasts(overhead + USER_MSG_OVERHEAD, avail)) {
                    if (userMsg == null || userMsg.length == 0) {
                        continue;
                    }
                    byte[] framed = new byte[userMsg.length + 1];
                    framed[0] = 8;
                    System.arraycopy(userMsg, 0, framed, 1, userMsg.length);
                    out.add(framed);
                }
            }
        }
        return out;
    }

    private boolean crcForAddress(InetSocketAddress to) {
        // Go adds CRC when the destination host equals a known node's name (names that are IPs).
        stateLock.lock();
        try {
            NodeRecord n = nodeMap.get(to.getAddress().getHostAddress());
            return n != null && n.pMax >= 5;
        } finally {
            stateLock.unlock();
        }
    }

    private void rawSendPacket(InetSocketAddress to, byte[] msg, boolean crc) {
        if (shutdown.get()) {
            return;
        }
        try {
            transport.sendPacket(PacketCodec.seal(msg, wireOptions(), crc), to);
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.DEBUG, () -> "memberlist: failed to send packet to " + to + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Probing
    // ------------------------------------------------------------------------------------------

    private boolean sleepInterrupted(Duration d) {
        try {
            return shutdownLatch.await(d.toNanos(), TimeUnit.NANOSECONDS) || shutdown.get();
        } catch (InterruptedException e) {
            return true;
        }
    }

    private Duration stagger(Duration interval) {
        long n = interval.toNanos();
        return Duration.ofNanos(n <= 0 ? 0 : random.nextLong(n));
    }

    private void probeLoop() {
        if (sleepInterrupted(stagger(config.probeInterval()))) {
            return;
        }
        long next = clock.nanoTime();
        while (!shutdown.get()) {
            probe();
            next += config.probeInterval().toNanos();
            long now = clock.nanoTime();
            if (next < now) {
                next = now; // like a Go ticker: missed ticks are dropped, not bunched
            }
            if (sleepInterrupted(Duration.ofNanos(next - now))) {
                return;
            }
        }
    }

    /** Picks the next node in the rotation and probes it (Go's probe). */
    private void probe() {
        NodeRecord target = null;
        Node targetView = null;
        long targetInc = 0;
        NodeState targetState = null;
        stateLock.lock();
        try {
            int checked = 0;
            while (checked < nodes.size()) {
                if (probeIndex >= nodes.size()) {
                    resetNodesLocked();
                    probeIndex = 0;
                    checked++;
                    continue;
                }
                NodeRecord n = nodes.get(probeIndex);
                probeIndex++;
                checked++;
                if (n.name.equals(config.name()) || n.deadOrLeft()) {
                    continue;
                }
                target = n;
                targetView = n.snapshot();
                targetInc = n.incarnation;
                targetState = n.state;
                break;
            }
        } finally {
            stateLock.unlock();
        }
        if (target != null) {
            probeNode(targetView, targetInc, targetState);
        }
    }

    /** Forgets nodes dead for longer than GossipToTheDeadTime and reshuffles (Go's resetNodes). */
    private void resetNodesLocked() {
        long cutoff = config.gossipToTheDeadTime().toNanos();
        long now = clock.nanoTime();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeRecord n = nodes.get(i);
            if (n.state == NodeState.DEAD && now - n.stateChangeNanos > cutoff) {
                nodes.remove(i);
                nodeMap.remove(n.name);
            }
        }
        numNodes.set(nodes.size());
        Collections.shuffle(nodes, random);
    }

    private void probeNode(Node node, long nodeInc, NodeState nodeState) {
        long seq = nextSeqNo();
        Duration scaledInterval = awareness.scaleTimeout(config.probeInterval());
        long start = clock.nanoTime();
        long deadline = start + scaledInterval.toNanos();
        AckWaiter waiter = new AckWaiter();
        ackWaiters.put(seq, waiter);
        int awarenessDelta = 0;
        try {
            Message.Ping ping = new Message.Ping(seq, node.name(), addrBytes(advertiseAddr), advertisePort, config.name());
            byte[] pingBytes = MessageCodec.encode(ping);
            // As Go: the sent time is taken before the send (it over-reports a little; taken after the
            // send it under-reports, and the Vivaldi coordinates of Go peers and ours disagree).
            long sent = clock.nanoTime();
            if (nodeState == NodeState.ALIVE) {
                sendMsg(node.address(), pingBytes, false);
            } else {
                byte[] suspect = MessageCodec.encode(new Message.Suspect(nodeInc, node.name(), config.name()));
                rawSendPacket(node.address(), PacketCodec.compound(List.of(pingBytes, suspect)), node.pMax() >= 5);
            }
            if (waiter.awaitAck(Math.min(start + config.probeTimeout().toNanos(), deadline) - clock.nanoTime())) {
                PingDelegate pd = config.ping();
                if (pd != null) {
                    pd.notifyPingComplete(node, Duration.ofNanos(Math.max(0, waiter.ackNanos() - sent)), waiter.payload());
                }
                awarenessDelta = -1;
                return;
            }
            log.log(System.Logger.Level.DEBUG, () -> "memberlist: Failed ping: " + node.name() + " (timeout reached)");
            // Indirect probes through up to k random alive peers.
            List<Node> peers = randomNodes(config.indirectChecks(), n ->
                    n.name.equals(config.name()) || n.name.equals(node.name()) || n.state != NodeState.ALIVE);
            int expectedNacks = 0;
            for (Node peer : peers) {
                boolean nack = peer.pMax() >= 4;
                if (nack) {
                    expectedNacks++;
                }
                Message.IndirectPing ind = new Message.IndirectPing(seq, addrBytes(node.addr()), node.port(), node.name(), nack,
                        addrBytes(advertiseAddr), advertisePort, config.name());
                sendMsg(peer.address(), MessageCodec.encode(ind), false);
            }
            TcpPing tcp = null;
            boolean tcpDisabled = config.disableTcpPings()
                    || (config.disableTcpPingsForNode() != null && config.disableTcpPingsForNode().test(node.name()));
            if (!tcpDisabled && node.pMax() >= 3) {
                if (tcpPingPermits.tryAcquire()) {
                    tcp = new TcpPing(node, ping, deadline);
                    tcp.start();
                } else {
                    stats.tcpPingsDropped.incrementAndGet();
                    limited.log(System.Logger.Level.WARNING, "tcpping-dropped", "memberlist: too many TCP pings in flight, not pinging " + node.name() + " over TCP");
                }
            }
            if (waiter.awaitAck(deadline - clock.nanoTime())) {
                awarenessDelta = -1;
                return;
            }
            if (tcp != null && tcp.await()) {
                log.log(System.Logger.Level.WARNING, "memberlist: Was able to connect to " + node.name()
                        + " but other probes failed, network may be misconfigured");
                awarenessDelta = -1;
                return;
            }
            if (expectedNacks > 0) {
                int nacks = waiter.nacks();
                if (nacks < expectedNacks) {
                    awarenessDelta += expectedNacks - nacks;
                }
            } else {
                awarenessDelta += 1;
            }
            log.log(System.Logger.Level.INFO, "memberlist: Suspect " + node.name() + " has failed, no acks received");
            stateLock.lock();
            try {
                suspectNode(new Message.Suspect(nodeInc, node.name(), config.name()));
            } finally {
                unlockState();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ackWaiters.remove(seq);
            awareness.applyDelta(awarenessDelta);
        }
    }

    /** The TCP fallback ping of a probe, on its own virtual thread (Go: a goroutine per probe). */
    private final class TcpPing {
        private final Node node;
        private final Message.Ping ping;
        private final long deadline;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean contact;

        TcpPing(Node node, Message.Ping ping, long deadline) {
            this.node = node;
            this.ping = ping;
            this.deadline = deadline;
        }

        void start() {
            try {
                Thread.ofVirtual().name("memberlist-tcpping-" + config.name()).start(this::run);
            } catch (RuntimeException e) {
                tcpPingPermits.release();
                done.countDown();
                throw e;
            }
        }

        private void run() {
            try {
                contact = sendPingAndWaitForAck(node.address(), ping, deadline);
            } catch (IOException | DecodeException | StreamRejectedException e) {
                log.log(System.Logger.Level.DEBUG, () -> "memberlist: TCP ping to " + node.name() + " failed: " + e.getMessage());
            } catch (RuntimeException e) {
                stats.loopExceptions.incrementAndGet();
                limited.log(System.Logger.Level.WARNING, "tcpping-failed", "memberlist: TCP ping to " + node.name() + " failed: " + e);
            } finally {
                tcpPingPermits.release();
                done.countDown();
            }
        }

        boolean await() throws InterruptedException {
            long left = deadline - clock.nanoTime();
            // The result can arrive just after the deadline; give it the same small grace Go's channel read does.
            done.await(Math.max(left, 0) + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.NANOSECONDS);
            return contact;
        }
    }

    private boolean sendPingAndWaitForAck(InetSocketAddress to, Message.Ping ping, long deadline)
            throws IOException, StreamRejectedException {
        long timeout = deadline - clock.nanoTime();
        if (timeout <= 0) {
            return false;
        }
        try (StreamConnection c = transport.dialStream(to, Duration.ofNanos(timeout))) {
            c.setDeadline(socketDeadline(Duration.ofNanos(timeout)));
            WireOptions opts = wireOptions();
            StreamCodec.write(c.output(), MessageCodec.encode(ping), opts);
            Message reply;
            try (InputBudget.Reservation r = budget.reserve(STREAM_OVERHEAD)) {
                reply = StreamCodec.read(new java.io.BufferedInputStream(c.input(), 512), opts, MAX_PUSH_STATE_BYTES, streamCap(false), r);
            }
            if (reply instanceof Message.Ack ack) {
                if (ack.seqNo() != ping.seqNo()) {
                    throw new IOException("Sequence number from ack (" + ack.seqNo() + ") doesn't match ping (" + ping.seqNo() + ")");
                }
                return true;
            }
            throw new IOException("Unexpected msgType (" + (reply == null ? "none" : reply.type()) + ") from ping");
        }
    }

    /** Up to {@code k} random distinct nodes for which {@code exclude} is false. */
    private List<Node> randomNodes(int k, java.util.function.Predicate<NodeRecord> exclude) {
        stateLock.lock();
        try {
            int n = nodes.size();
            List<Node> out = new ArrayList<>(k);
            for (int i = 0; i < 3 * n && out.size() < k; i++) {
                NodeRecord cand = nodes.get(random.nextInt(n));
                if (exclude.test(cand)) {
                    continue;
                }
                boolean dup = false;
                for (Node o : out) {
                    if (o.name().equals(cand.name)) {
                        dup = true;
                        break;
                    }
                }
                if (!dup) {
                    out.add(cand.snapshot());
                }
            }
            return out;
        } finally {
            stateLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Gossip
    // ------------------------------------------------------------------------------------------

    private void gossipLoop() {
        if (sleepInterrupted(stagger(config.gossipInterval()))) {
            return;
        }
        while (!shutdown.get()) {
            gossip();
            if (sleepInterrupted(config.gossipInterval())) {
                return;
            }
        }
    }

    private void gossip() {
        long deadCutoff = config.gossipToTheDeadTime().toNanos();
        long now = clock.nanoTime();
        List<Node> targets = randomNodes(config.gossipNodes(), n -> {
            if (n.name.equals(config.name())) {
                return true;
            }
            return switch (n.state) {
                case ALIVE, SUSPECT -> false;
                case DEAD -> now - n.stateChangeNanos > deadCutoff;
                case LEFT -> true;
            };
        });
        int bytesAvail = config.udpBufferSize() - COMPOUND_HEADER_OVERHEAD - encryptionOverhead();
        for (Node target : targets) {
            List<byte[]> msgs = getBroadcasts(COMPOUND_OVERHEAD, bytesAvail);
            if (msgs.isEmpty()) {
                return;
            }
            boolean crc = target.pMax() >= 5;
            if (msgs.size() == 1) {
                rawSendPacket(target.address(), msgs.get(0), crc);
            } else {
                sendCompound(target.address(), msgs, crc);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Push/pull
    // ------------------------------------------------------------------------------------------

    private void pushPullLoop() {
        if (sleepInterrupted(stagger(config.pushPullInterval()))) {
            return;
        }
        while (!shutdown.get()) {
            if (sleepInterrupted(pushPullScale(config.pushPullInterval(), numNodes.get()))) {
                return;
            }
            List<Node> peer = randomNodes(1, n -> n.name.equals(config.name()) || n.state != NodeState.ALIVE);
            if (peer.isEmpty()) {
                continue;
            }
            try {
                pushPullNode(peer.get(0).name(), peer.get(0).address(), false);
            } catch (IOException | DecodeException e) {
                log.log(System.Logger.Level.ERROR, "memberlist: Push/Pull with " + peer.get(0).name() + " failed: " + e.getMessage());
            }
        }
    }

    /** Go's pushPullScale: the interval grows with log2 of the cluster size beyond 32 nodes. */
    static Duration pushPullScale(Duration interval, int n) {
        if (n <= 32) {
            return interval;
        }
        // Go's math.Log2 is exact for powers of two; Math.log(n)/Math.log(2) is not always.
        double log2 = Integer.bitCount(n) == 1 ? 31 - Integer.numberOfLeadingZeros(n) : Math.log(n) / Math.log(2);
        double mult = Math.ceil(log2 - 5) + 1.0;
        return Duration.ofNanos((long) (interval.toNanos() * mult));
    }

    private Message.PushPull localState(boolean join) {
        List<Message.PushNodeState> states;
        stateLock.lock();
        try {
            states = new ArrayList<>(nodes.size());
            for (NodeRecord n : nodes) {
                states.add(new Message.PushNodeState(n.name, addrBytes(n.addr), n.port, n.meta, n.incarnation,
                        n.state.code(), n.versions()));
            }
        } finally {
            stateLock.unlock();
        }
        byte[] user = config.delegate() != null ? config.delegate().localState(join) : null;
        return new Message.PushPull(join, states, user);
    }

    private static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    /** Initiates a push/pull with {@code to} (Go's pushPullNode); {@code name} may be "" (joins). */
    private void pushPullNode(String name, InetSocketAddress to, boolean join) throws IOException {
        log.log(System.Logger.Level.DEBUG, () -> "memberlist: Initiating push/pull sync with: " + name + " " + hostPort(to));
        // The reservation spans the read and the merge: the remote state is held until merged.
        try (InputBudget.Reservation r = budget.reserve(STREAM_OVERHEAD)) {
            Message.PushPull remote;
            try (StreamConnection c = transport.dialStream(to, config.tcpTimeout())) {
                WireOptions opts = wireOptions();
                c.setDeadline(socketDeadline(config.tcpTimeout()));
                StreamCodec.write(c.output(), StreamCodec.encodePushPull(localState(join)), opts);
                c.setDeadline(socketDeadline(config.tcpTimeout()));
                Message reply;
                try {
                    reply = StreamCodec.read(new java.io.BufferedInputStream(c.input(), 8192), opts,
                            MAX_PUSH_STATE_BYTES, streamCap(join), r);
                } catch (StreamRejectedException e) {
                    throw new IOException(e.getMessage(), e);
                }
                if (reply instanceof Message.Err err) {
                    throw new IOException("remote error: " + err.error());
                }
                if (!(reply instanceof Message.PushPull pp)) {
                    throw new IOException("received invalid msgType (" + (reply == null ? "none" : reply.type()) + "), expected pushPullMsg");
                }
                remote = pp;
            }
            mergeRemoteState(remote);
        } catch (InputRefusedException e) {
            stats.streamsRefusedBudget.incrementAndGet();
            throw e;
        }
    }

    /**
     * The most an inbound stream may carry (see {@link StreamCap}): from the cluster's size, or Go's
     * 20 MiB when joining (this node asked for the state of a cluster it does not know yet).
     */
    private long streamCap(boolean join) {
        return join ? StreamCap.MAX : StreamCap.of(config.streamCapBase(), config.streamCapPerNode(), numNodes.get());
    }

    private void mergeRemoteState(Message.PushPull remote) throws IOException {
        List<Message.PushNodeState> states = fixPorts(remote.nodes());
        String incompatible = verifyProtocol(states);
        if (incompatible != null) {
            throw new IOException(incompatible);
        }
        if (remote.join() && config.merge() != null) {
            List<Node> peers = new ArrayList<>(states.size());
            for (Message.PushNodeState s : states) {
                InetAddress a = toInetAddress(s.addr());
                byte[] v = s.vsn() != null && s.vsn().length == 6 ? s.vsn() : new byte[6];
                if (a != null) {
                    peers.add(new Node(s.name(), a, s.port(), s.meta(), NodeState.fromCode(s.state()),
                            v[0] & 0xff, v[1] & 0xff, v[2] & 0xff, v[3] & 0xff, v[4] & 0xff, v[5] & 0xff));
                }
            }
            String veto = config.merge().notifyMerge(peers);
            if (veto != null) {
                throw new IOException(veto);
            }
        }
        stateLock.lock();
        try {
            mergeState(states);
        } finally {
            unlockState();
        }
        if (remote.userState() != null && remote.userState().length > 0 && config.delegate() != null) {
            config.delegate().mergeRemoteState(remote.userState(), remote.join());
        }
    }

    private List<Message.PushNodeState> fixPorts(List<Message.PushNodeState> states) {
        List<Message.PushNodeState> out = new ArrayList<>(states.size());
        for (Message.PushNodeState s : states) {
            if (config.protocolVersion() < 2 || s.port() == 0) {
                s = new Message.PushNodeState(s.name(), s.addr(), config.bindPort(), s.meta(), s.incarnation(), s.state(), s.vsn());
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Go's verifyProtocol: every node, remote or local, must speak a protocol and delegate version
     * inside the range all alive nodes support. Returns the error text, or null when compatible.
     */
    private String verifyProtocol(List<Message.PushNodeState> remote) {
        for (Message.PushNodeState s : remote) {
            if (s.vsn() != null && s.vsn().length != 0 && s.vsn().length != 6) {
                return "Node '" + s.name() + "' sent a " + s.vsn().length + "-byte version vector";
            }
        }
        int maxPMin = 0, minPMax = 255, maxDMin = 0, minDMax = 255;
        List<int[]> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Message.PushNodeState s : remote) {
            byte[] v = s.vsn() == null ? new byte[0] : s.vsn();
            if (s.state() == NodeState.ALIVE.code() && v.length == 6) {
                maxPMin = Math.max(maxPMin, v[0] & 0xff);
                minPMax = Math.min(minPMax, v[1] & 0xff);
                maxDMin = Math.max(maxDMin, v[3] & 0xff);
                minDMax = Math.min(minDMax, v[4] & 0xff);
            }
            all.add(v.length == 6 ? new int[] {v[2] & 0xff, v[5] & 0xff} : new int[] {0, 0});
            names.add(s.name());
        }
        stateLock.lock();
        try {
            for (NodeRecord n : nodes) {
                if (n.state == NodeState.ALIVE) {
                    maxPMin = Math.max(maxPMin, n.pMin);
                    minPMax = Math.min(minPMax, n.pMax);
                    maxDMin = Math.max(maxDMin, n.dMin);
                    minDMax = Math.min(minDMax, n.dMax);
                }
                all.add(new int[] {n.pCur, n.dCur});
                names.add(n.name);
            }
        } finally {
            stateLock.unlock();
        }
        for (int i = 0; i < all.size(); i++) {
            int pCur = all.get(i)[0];
            int dCur = all.get(i)[1];
            if (pCur < maxPMin || pCur > minPMax) {
                return "Node '" + names.get(i) + "' protocol version (" + pCur + ") is incompatible: [" + maxPMin + ", " + minPMax + "]";
            }
            if (dCur < maxDMin || dCur > minDMax) {
                return "Node '" + names.get(i) + "' delegate protocol version (" + dCur + ") is incompatible: [" + maxDMin + ", " + minDMax + "]";
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // Streams in
    // ------------------------------------------------------------------------------------------

    private void onStream(StreamConnection c) {
        if (shutdown.get()) {
            return;
        }
        log.log(System.Logger.Level.DEBUG, () -> "memberlist: Stream connection from=" + hostPort(c.remoteAddress()));
        WireOptions opts = wireOptions();
        // Reserved before the first byte and kept until the message has been handled (merged).
        try (InputBudget.Reservation r = budget.reserve(STREAM_OVERHEAD)) {
            c.setDeadline(socketDeadline(config.tcpTimeout()));
            // One message per stream and nothing after it, so reading ahead is harmless and saves syscalls.
            InputStream in = new java.io.BufferedInputStream(c.input(), 8192);
            Message m;
            try {
                m = StreamCodec.read(in, opts, MAX_PUSH_STATE_BYTES, streamCap(false), r);
            } catch (StreamRejectedException e) {
                if (e.getMessage().startsWith(StreamCodec.TOO_LARGE)) {
                    stats.streamsRefusedCap.incrementAndGet();
                }
                limited.log(System.Logger.Level.ERROR, "stream-rejected", "memberlist: failed to receive: " + e.getMessage() + " from=" + c.remoteAddress());
                if (e.sendErrReply()) {
                    StreamCodec.write(c.output(), MessageCodec.encode(new Message.Err(e.getMessage())), opts);
                }
                return;
            }
            if (m == null) {
                return;
            }
            switch (m) {
                case Message.PushPull pp -> {
                    if (!pushPullAdmission.acquire()) {
                        limited.log(System.Logger.Level.ERROR, "pushpull-limit", "memberlist: Too many pending push/pull requests");
                        return;
                    }
                    try {
                        c.setDeadline(socketDeadline(config.tcpTimeout()));
                        OutputStream out = c.output();
                        StreamCodec.write(out, StreamCodec.encodePushPull(localState(pp.join())), opts);
                        mergeRemoteState(pp);
                    } finally {
                        pushPullAdmission.release();
                    }
                }
                case Message.Ping p -> {
                    if (!p.node().isEmpty() && !p.node().equals(config.name())) {
                        limited.log(System.Logger.Level.WARNING, "unexpected-ping", "memberlist: Got ping for unexpected node " + p.node() + " from=" + c.remoteAddress());
                        return;
                    }
                    StreamCodec.write(c.output(), MessageCodec.encode(new Message.Ack(p.seqNo(), null)), opts);
                }
                case Message.User u -> {
                    if (config.delegate() != null && u.payload().length > 0) {
                        config.delegate().notifyMsg(u.payload());
                    }
                }
                default -> limited.log(System.Logger.Level.ERROR, "stream-type", "memberlist: Received invalid msgType (" + m.type() + ") from=" + c.remoteAddress());
            }
        } catch (InputRefusedException e) {
            stats.streamsRefusedBudget.incrementAndGet();
            limited.log(System.Logger.Level.WARNING, "stream-budget", "memberlist: dropped a stream from " + c.remoteAddress() + ": " + e.getMessage());
        } catch (IOException | DecodeException e) {
            stats.streamsFailed.incrementAndGet();
            log.log(System.Logger.Level.DEBUG, () -> "memberlist: stream from " + c.remoteAddress() + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            stats.streamsFailed.incrementAndGet();
            limited.log(System.Logger.Level.WARNING, "stream-failed", "memberlist: stream from " + c.remoteAddress() + " failed: " + e);
        }
    }
}
