package serf.memberlist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import serf.crypto.Keyring;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.StreamCodec;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.StreamConnection;
import serf.memberlist.transport.Transport;
import serf.wire.DecodeException;
import serf.wire.InputBudget;

/**
 * One memberlist node: SWIM membership and failure detection with the Lifeguard extensions,
 * speaking Go memberlist's wire protocol. Create it with {@link #create(MemberlistConfig)}, {@link #join}
 * some members, and {@link #shutdown()} it when done (after {@link #leave} for a graceful exit).
 *
 * <p>The parts, along the lines of Go's files: {@link MembershipState} (the node table and the
 * SWIM state machine, without I/O or threads, in the time of {@link MemberlistConfig#clock}), {@link Prober},
 * {@link Gossiper}, {@link PushPull}, {@link PacketHandler} and {@link StreamHandler}; this class
 * wires them and runs their loops.
 *
 * <p>Threads: none of its own. Everything the node does by itself runs on its {@link Scheduler}
 * ({@link MemberlistConfig#scheduler}): the probe and gossip rounds, the push/pull trigger, relay and
 * suspicion timeouts as timed tasks; push/pulls, TCP fallback pings and the drain of the handoff
 * queue on its blocking side. Without a scheduler in the config the node makes its own
 * ({@link Scheduler#ofThreads}: one timer thread {@code memberlist-<name>-timer}, virtual unless
 * {@link MemberlistConfig#loopThreads} says platform, a virtual
 * thread {@code memberlist-<name>-work} per piece of blocking work) and closes it at shutdown. The
 * transport receives on threads of its own (a virtual thread per incoming stream, bounded there).
 * A task that throws is logged, counted and the node goes on.
 *
 * <p>Delegates are called on these threads and must return quickly (hand slow work to a queue of
 * their own): the thread calling them is a protocol thread. Event, conflict delegates are called
 * after the state lock is released, in the order of the changes, so they may call back into the
 * node ({@link #members()}, …); only the {@link AliveDelegate} is called under the lock, because its
 * veto decides the change.
 *
 * <p>Input memory is reserved from {@link MemberlistConfig#inputBudget} before it is allocated; see
 * {@link Stats} for what is dropped or refused.
 */
public final class Memberlist implements AutoCloseable {
    /** memberlist protocol versions this implementation speaks. */
    public static final int PROTOCOL_VERSION_MIN = 1;
    /** The newest memberlist protocol version this implementation speaks. */
    public static final int PROTOCOL_VERSION_MAX = 5;
    /** Go's MetaMaxSize. */
    public static final int META_MAX_SIZE = 512;
    /** Go's maxPushStateBytes: the largest push/pull we accept. */
    static final int MAX_PUSH_STATE_BYTES = serf.memberlist.internal.msg.StreamCodec.MAX_ENCRYPTED_BYTES;
    /** Go's maxPushPullRequests: inbound push/pulls pending at once (a few of them served at a time). */
    static final int MAX_PUSH_PULL_REQUESTS = 128;
    /** Reserved for every stream before its first byte: the read buffer and small headers. */
    static final int STREAM_OVERHEAD = 16 * 1024;
    /** Why a join or ping without a node name fails when {@link MemberlistConfig#requireNodeNames()} is set (Go's words). */
    static final String NODE_NAMES_REQUIRED = "memberlist: node names are required by configuration but one was not provided";

    private final MemberlistConfig config;
    private final System.Logger log;
    private final Transport transport;
    private final Keyring keyring;
    private final WireOptions wire;
    private final InputBudget budget;
    private final LogLimiter limited;
    private final ShutdownSignal shutdown = new ShutdownSignal();
    private final Stats stats = new Stats();
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final NodeScheduler tasks;
    private final MembershipState state;
    private final HandoffQueue handoff;
    private final AckWaiters acks = new AckWaiters();
    private final IndirectPingRelays relays;
    private final PushPullAdmission pushPullAdmission;
    private final PacketSender sender;
    private final PacketHandler packets;
    private final StreamHandler streams;
    private final Prober prober;
    private final DirectPing directPing;
    private final Gossiper gossiper;
    private final PushPull pushPull;
    private final NodeRounds rounds;

    private final java.net.InetAddress advertiseAddr;
    private final int advertisePort;

    /**
     * Counters for what the node dropped or refused, so hostile input is visible without log floods.
     * The input budget's figures are the whole budget's, which nodes of one process normally share.
     */
    public final class Stats {
        Stats() {
            // only the node makes one: read it through Memberlist.stats()
        }

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

        /** {@return packets received (before decryption and decoding)} */
        public long packetsReceived() { return packetsReceived.get(); }
        /** {@return packets dropped because they could not be opened or decoded} */
        public long packetsDropped() { return packetsDropped.get(); }
        /** {@return messages inside packets that were malformed and skipped} */
        public long messagesMalformed() { return messagesMalformed.get(); }
        /** {@return gossip messages dropped because the handoff queue was full} */
        public long handoffDropped() { return handoffDropped.get(); }
        /** {@return inbound streams that failed (read errors, timeouts, malformed content)} */
        public long streamsFailed() { return streamsFailed.get(); }
        /**
         * Streams dropped because the input budget could not cover them.
         *
         * @return the count so far
         */
        public long streamsRefusedBudget() { return streamsRefusedBudget.get(); }
        /**
         * Streams refused because they declared more than the cluster's state could be (see {@link MemberlistConfig#streamCapBase}).
         *
         * @return the count so far
         */
        public long streamsRefusedCap() { return streamsRefusedCap.get(); }
        /**
         * Indirect-ping requests dropped because too many relays were in flight.
         *
         * @return the count so far
         */
        public long relaysDropped() { return relays.dropped(); }
        /**
         * Indirect pings being relayed now.
         *
         * @return the number now
         */
        public long relaysInFlight() { return relays.inFlight(); }
        /**
         * TCP fallback pings not made because too many were in flight.
         *
         * @return the count so far
         */
        public long tcpPingsDropped() { return tcpPingsDropped.get(); }
        /**
         * Inbound push/pulls refused after waiting for a free slot.
         *
         * @return the count so far
         */
        public long pushPullRefused() { return pushPullAdmission.refused(); }
        /**
         * Packets dropped because the budget refused their decompression.
         *
         * @return the count so far
         */
        public long decompressionRefused() { return decompressionRefused.get(); }
        /**
         * Exceptions caught by the loops and delegate calls that serve the network (which went on).
         *
         * @return the count so far
         */
        public long loopExceptions() { return loopExceptions.get(); }
        /**
         * Alive messages for new nodes ignored because {@link MemberlistConfig#maxNodes()} nodes were known.
         *
         * @return the count so far
         */
        public long nodesRefused() { return state.nodesRefused.get(); }
        /** {@return the input budget's size in bytes} */
        public long inputBudgetLimit() { return budget.limit(); }
        /** {@return bytes of the input budget reserved now} */
        public long inputBudgetInUse() { return budget.inUse(); }
        /** {@return the most bytes of the input budget ever reserved at once} */
        public long inputBudgetPeak() { return budget.peak(); }
        /** {@return how often the input budget refused a reservation} */
        public long inputBudgetRefusals() { return budget.refusals(); }

        /** {@return broadcasts dropped because the queue was full (its oldest, least-sent entries went)} */
        public long broadcastsDropped() { return state.broadcasts().dropped(); }
        /** {@return broadcasts pruned by the queue's prune} */
        public long broadcastsPruned() { return state.broadcasts().pruned(); }

        /** {@return every counter under a stable snake_case key, in a fixed order (for stats displays)} */
        public Map<String, Long> asMap() {
            Map<String, Long> m = new java.util.LinkedHashMap<>();
            suppliers().forEach((k, v) -> m.put(k, v.getAsLong()));
            return Collections.unmodifiableMap(m);
        }

        /** The counters of {@link #asMap()}, each read when called (the metrics registry polls them). */
        Map<String, java.util.function.LongSupplier> suppliers() {
            Map<String, java.util.function.LongSupplier> m = new java.util.LinkedHashMap<>();
            m.put("packets_received", this::packetsReceived);
            m.put("packets_dropped", this::packetsDropped);
            m.put("messages_malformed", this::messagesMalformed);
            m.put("handoff_dropped", this::handoffDropped);
            m.put("streams_failed", this::streamsFailed);
            m.put("streams_refused_budget", this::streamsRefusedBudget);
            m.put("streams_refused_cap", this::streamsRefusedCap);
            m.put("relays_dropped", this::relaysDropped);
            m.put("relays_in_flight", this::relaysInFlight);
            m.put("tcp_pings_dropped", this::tcpPingsDropped);
            m.put("push_pull_refused", this::pushPullRefused);
            m.put("decompression_refused", this::decompressionRefused);
            m.put("loop_exceptions", this::loopExceptions);
            m.put("nodes_refused", this::nodesRefused);
            m.put("broadcasts_dropped", this::broadcastsDropped);
            m.put("broadcasts_pruned", this::broadcastsPruned);
            m.put("input_budget_limit", this::inputBudgetLimit);
            m.put("input_budget_in_use", this::inputBudgetInUse);
            m.put("input_budget_peak", this::inputBudgetPeak);
            m.put("input_budget_refusals", this::inputBudgetRefusals);
            return m;
        }
    }

    private Memberlist(MemberlistConfig config, Transport transport, Keyring keyring) {
        this.config = config;
        this.log = config.logger();
        this.transport = transport;
        this.keyring = keyring;
        this.limited = new LogLimiter(log, config.clock());
        this.wire = wireOptions(config, keyring);
        this.budget = config.inputBudget();
        this.handoff = new HandoffQueue(config.handoffQueueDepth());
        this.ownsScheduler = config.scheduler() == null;
        // The node's own runtime measures its delays on the node's clock (the system's, unless a test set one).
        this.scheduler = ownsScheduler ? new ThreadScheduler("memberlist-" + config.name(), config.loopThreads(), config.clock(), log) : config.scheduler();
        this.tasks = new NodeScheduler(scheduler, shutdown, limited, stats.loopExceptions::incrementAndGet);
        // A thread may wait a while for a push/pull slot; a task of a given (simulated) scheduler must not.
        Duration admissionWait = ownsScheduler ? config.tcpTimeout().dividedBy(2) : Duration.ZERO;
        this.pushPullAdmission = new PushPullAdmission(MAX_PUSH_PULL_REQUESTS,
                ownsScheduler ? PushPullAdmission.defaultServing() : MAX_PUSH_PULL_REQUESTS, admissionWait, budget);
        this.relays = new IndirectPingRelays(IndirectPingRelays.MAX_IN_FLIGHT, tasks);
        SuspicionTimers suspicions = new SuspicionTimers(tasks, config.clock(), name -> state().suspicionTimerFired(name));
        if (config.metrics() == null) {
            config.metrics(new serf.memberlist.metrics.Metrics());
        }
        this.state = new MembershipState(config, limited, suspicions, stats.loopExceptions::incrementAndGet);
        registerPolled(config.metrics());
        InetSocketAddress adv = transport.advertiseAddress();
        this.advertiseAddr = adv.getAddress();
        this.advertisePort = adv.getPort();
        NodeContext ctx = new NodeContext(config, config.clock(), config.random(), log, limited, stats, transport, wire,
                budget, state, shutdown, tasks, advertiseAddr, advertisePort);
        this.sender = new PacketSender(ctx, keyring);
        this.packets = new PacketHandler(ctx, sender, acks, relays, handoff);
        this.pushPull = new PushPull(ctx);
        this.streams = new StreamHandler(ctx, pushPull, pushPullAdmission);
        this.prober = new Prober(ctx, sender, acks);
        this.directPing = new DirectPing(ctx, sender, acks);
        this.gossiper = new Gossiper(ctx, sender);
        this.rounds = new NodeRounds(ctx, prober, gossiper, pushPull);
    }

    /** The suspicion timer's callback is built before the state it calls; it reads the field when it fires. */
    private MembershipState state() {
        return state;
    }

    /**
     * Starts a node: binds its transport (unless one is supplied), queues its own alive message and
     * starts the protocol loops. Fails if the configuration is invalid or the address is taken.
     *
     * @param config the settings; copied, so later changes have no effect
     * @return the running node
     * @throws IOException when the transport cannot bind or start
     */
    public static Memberlist create(MemberlistConfig config) throws IOException {
        MemberlistConfig c = config.copy();
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

    private static void validate(MemberlistConfig c) {
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

    /** Starts receiving, announces this node, starts its rounds. */
    private void start() throws IOException {
        transport.start(packets::onPacket, streams::onStream);
        setAlive();
        rounds.start();
    }

    // ------------------------------------------------------------------------------------------
    // Public API
    // ------------------------------------------------------------------------------------------

    /** {@return this node's name} */
    public String name() {
        return config.name();
    }

    /** {@return a view of this node} */
    public Node localNode() {
        return state.table().node(config.name());
    }

    /** {@return every node not dead or left (self included)} */
    public List<Node> members() {
        return state.table().nodes(true);
    }

    /** {@return every node memberlist still knows, whatever its state} */
    public List<Node> allNodes() {
        return state.table().nodes(false);
    }

    /** {@return number of nodes not dead or left (self included)} */
    public int numMembers() {
        return state.table().numMembers();
    }

    /** The incarnation memberlist holds for {@code node}, or -1 if unknown (for tests). */
    long incarnationOf(String node) {
        return state.table().incarnationOf(node);
    }

    /** Free inbound push/pull slots (for tests: all of them once no push/pull is being served). */
    int pushPullSlotsFree() {
        return pushPullAdmission.available();
    }

    /** For tests: how many more inbound push/pulls may start being served now. */
    int pushPullServingFree() {
        return pushPullAdmission.servingAvailable();
    }

    /** For tests: whether a delegate was ever called with the state lock held by its thread. */
    boolean delegateCalledUnderLock() {
        return state.delegateUnderLock;
    }

    /**
     * Lifeguard health score: 0 is healthy.
     *
     * @return the score, 0 to {@code awarenessMaxMultiplier - 1}
     */
    public int healthScore() {
        return state.awareness().healthScore();
    }

    /** {@return the memberlist protocol version this node speaks} */
    public int protocolVersion() {
        return config.protocolVersion();
    }

    /** {@return the keyring in use, or null when encryption is off} */
    public Keyring keyring() {
        return keyring;
    }

    /** {@return true when messages are encrypted (a non-empty keyring)} */
    public boolean encryptionEnabled() {
        return keyring != null && !keyring.isEmpty();
    }

    /** {@return the address and port other members reach this node at} */
    public InetSocketAddress advertiseAddress() {
        return new InetSocketAddress(advertiseAddr, advertisePort);
    }

    /**
     * {@return this node's metrics registry} Go memberlist's metrics ({@code memberlist.gossip},
     * {@code memberlist.probeNode}, ...) and, under {@code memberlist.stats.*}, the counters of {@link #stats()}.
     */
    public serf.memberlist.metrics.Metrics metrics() {
        return config.metrics();
    }

    /** The drop and refusal counters of {@link Stats}, reported by the registry as memberlist.stats.&lt;key&gt;. */
    private void registerPolled(serf.memberlist.metrics.Metrics m) {
        stats.suppliers().forEach((k, v) -> m.polled("memberlist.stats." + k, v));
        m.polled("memberlist.broadcasts.queued", state.broadcasts()::numQueued);
        m.polled("memberlist.metrics.names_refused", m::namesRefused);
        m.polled("memberlist.metrics.listener_failures", m::listenerFailures);
    }

    /** {@return the node's counters of dropped and refused input} */
    public Stats stats() {
        return stats;
    }

    /**
     * Estimated cluster size used for timeouts and retransmit limits: every node in the list.
     *
     * @return the number of nodes in the member list, whatever their state
     */
    public int estimatedNumNodes() {
        return state.table().estimatedNumNodes();
    }

    /**
     * Joins a cluster through one or more known members, each {@code [name/]host[:port]}. Every
     * address the host resolves to is tried with a push/pull. Returns how many were contacted;
     * throws when none could be.
     *
     * @param existing the members to contact, each {@code [name/]host[:port]}
     * @return how many members were contacted successfully
     * @throws IOException when no member could be contacted; the message lists each failure
     */
    public int join(List<String> existing) throws IOException {
        int ok = 0;
        List<String> errors = new ArrayList<>();
        for (String spec : existing) {
            List<InetSocketAddress> addrs;
            try {
                addrs = JoinAddresses.resolve(spec, config.bindPort());
            } catch (IOException | IllegalArgumentException e) {
                errors.add("Failed to resolve " + spec + ": " + e.getMessage());
                continue;
            }
            String name = spec.indexOf('/') > 0 ? spec.substring(0, spec.indexOf('/')) : "";
            for (InetSocketAddress a : addrs) {
                try {
                    if (name.isEmpty() && config.requireNodeNames()) {
                        throw new IOException(NODE_NAMES_REQUIRED);
                    }
                    pushPull.pushPullNode(name, a, true);
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

    /**
     * Leaves gracefully: broadcasts that this node left and waits, up to {@code timeout}, until the
     * message has been gossiped (only if some other node is alive). Call {@link #shutdown()} after.
     *
     * @param timeout how long to wait for the leave message to be gossiped
     * @throws IOException when the leave message was not gossiped within {@code timeout}, or the wait was
     *         interrupted
     * @throws IllegalStateException when the node is shut down
     */
    public void leave(Duration timeout) throws IOException {
        if (shutdown.isDown()) {
            throw new IllegalStateException("memberlist is shut down");
        }
        CountDownLatch done = new CountDownLatch(1);
        Boolean wait = state.leave(done);
        if (wait != null && wait) {
            awaitBroadcast(done, timeout, "leave");
        }
    }

    /**
     * Re-reads the delegate's node metadata and gossips it with a new incarnation, waiting up to
     * {@code timeout} for the broadcast when other nodes are alive.
     *
     * @param timeout how long to wait for the broadcast
     * @throws IOException when the broadcast was not gossiped within {@code timeout}, or the wait was interrupted
     */
    public void updateNode(Duration timeout) throws IOException {
        byte[] meta = localMeta();
        CountDownLatch done = new CountDownLatch(1);
        if (state.updateLocal(advertiseAddr, advertisePort, meta, done)) {
            awaitBroadcast(done, timeout, "update");
        }
    }

    /** Waits until a broadcast has been sent as often as the retransmit limit allows. */
    private void awaitBroadcast(CountDownLatch done, Duration timeout, String what) throws IOException {
        try {
            if (!tasks.await(done, timeout)) {
                throw new IOException("timeout waiting for " + what + " broadcast");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + what + " broadcast", e);
        }
    }

    /**
     * Sends a user message to {@code to} over UDP, best effort.
     *
     * @param to the member to send to
     * @param message the payload, at most one packet
     * @throws IOException when the packet cannot be sent
     */
    public void sendBestEffort(Node to, byte[] message) throws IOException {
        byte[] msg = MessageCodec.encode(new Message.User(message));
        sender.rawSendPacket(to.address(), msg, to.pMax() >= 5);
    }

    /**
     * Sends a user message to an address over UDP, best effort, without CRC (Go's SendToAddress).
     *
     * @param to the address to send to
     * @param message the payload, at most one packet
     * @throws IOException when the packet cannot be sent
     */
    public void sendToAddress(InetSocketAddress to, byte[] message) throws IOException {
        byte[] msg = MessageCodec.encode(new Message.User(message));
        sender.rawSendPacket(to, msg, sender.crcForAddress(to));
    }

    /**
     * Sends a user message to {@code to} over a TCP stream.
     *
     * @param to the member to send to
     * @param message the payload
     * @throws IOException when the stream cannot be opened or written
     */
    public void sendReliable(Node to, byte[] message) throws IOException {
        try (StreamConnection c = transport.dialStream(to.address(), config.tcpTimeout())) {
            c.setDeadline(NodeContext.socketDeadline(config.tcpTimeout()));
            state.metrics().tcpSent.add(StreamCodec.write(c.output(), StreamCodec.encodeUserStream(message), wire));
        }
    }

    /**
     * Pings one node directly over UDP and measures the round trip (Go's {@code Memberlist.Ping}):
     * a single ping, without indirect probes or a TCP fallback, that changes no state and does not
     * go through the ping delegate. It waits up to the probe timeout
     * ({@link MemberlistConfig#probeTimeout()}).
     *
     * @param node    the name the ping is addressed to (the receiver checks it when it is not empty)
     * @param address where to send the ping
     * @return the time from sending the ping to receiving its ack
     * @throws NoPingResponseException when no ack came within the probe timeout
     * @throws IOException when the node has no name and {@link MemberlistConfig#requireNodeNames()}
     *                     is set, or this node is shut down
     */
    public Duration ping(String node, InetSocketAddress address) throws IOException {
        return directPing.ping(node, address);
    }

    /**
     * Queues a user broadcast on memberlist's own queue (the delegate's queues are preferred).
     *
     * @param b the broadcast to queue
     */
    public void queueBroadcast(Broadcast b) {
        state.broadcasts().queueBroadcast(b);
    }

    /**
     * Stops everything: the rounds and timers, the transport (also one supplied in the config) and,
     * when the node made its own scheduler, its threads. Tasks of this node still pending on a
     * scheduler given in the config do nothing when they run. Does not leave gracefully; call
     * {@link #leave} first for that. Idempotent.
     */
    public void shutdown() {
        if (!shutdown.raise()) {
            return;
        }
        rounds.stop();
        prober.stop();
        handoff.close();
        // Like Go, the transport is shut down with the node even when the caller supplied it.
        transport.close();
        state.close(); // disarms the suspicion timers
        if (ownsScheduler) {
            scheduler.close();
        }
    }

    /**
     * The same as {@link #shutdown()}, for try-with-resources: stops the node without leaving.
     */
    @Override
    public void close() {
        shutdown();
    }

    /** {@return true once {@link #shutdown()} was called} */
    public boolean isShutdown() {
        return shutdown.isDown();
    }

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
        state.setAlive(advertiseAddr, advertisePort, localMeta(), localVsn(), null);
    }

    /** How packets and streams are framed; fixed for the node's life (keys rotate inside the keyring). */
    WireOptions wireOptions() {
        return wire;
    }

    private static WireOptions wireOptions(MemberlistConfig config, Keyring keyring) {
        Keyring ring = keyring != null && !keyring.isEmpty() ? keyring : null;
        byte[] label = config.label().isEmpty() ? null : config.label().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new WireOptions(config.enableCompression(), ring, config.protocolVersion() < 2 ? 0 : 1,
                config.gossipVerifyIncoming(), config.gossipVerifyOutgoing(), label, config.skipInboundLabelCheck());
    }
}
