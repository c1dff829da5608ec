package serf.memberlist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import serf.crypto.Keyring;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.StreamCodec;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.StreamConnection;
import serf.memberlist.transport.Transport;
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
 * {@link MemberlistConfig#loopThreads(serf.memberlist.transport.LoopThreads)} says platform, a virtual
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
 * {@link MemberlistStats} for what is dropped or refused.
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
    private final MemberlistStats stats = new MemberlistStats();
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
    private final ClusterJoin joiner;
    private final LocalAnnouncements self;

    private final java.net.InetAddress advertiseAddr;
    private final int advertisePort;

    static {
        serf.memberlist.internal.sim.ClusterSeeding.open(new SettledStart());
    }

    private Memberlist(MemberlistConfig config, Transport transport, Keyring keyring) {
        this.config = config;
        this.log = config.logger();
        this.transport = transport;
        this.keyring = keyring;
        this.limited = new LogLimiter(log, config.clock());
        this.wire = NodeSetup.wireOptions(config, keyring);
        this.budget = config.inputBudget();
        this.handoff = new HandoffQueue(config.handoffQueueDepth(), config.name(), config.suspicionMult());
        this.ownsScheduler = config.scheduler() == null;
        // The node's own runtime measures its delays on the node's clock (the system's, unless a test set one).
        this.scheduler = ownsScheduler ? new ThreadScheduler("memberlist-" + config.name(), config.loopThreads(), config.clock(), log) : config.scheduler();
        this.tasks = new NodeScheduler(scheduler, shutdown, limited, stats.loopExceptions::incrementAndGet);
        // On the thread runtime (this node's own scheduler, or the one Serf made and shares with it) a
        // stream's thread may wait a while for a push/pull slot, and only a few are served at once; on any
        // other scheduler (a simulator's, a test's manual one) streams may run as its tasks, which must not
        // block. Keying this on who made the scheduler left every Serf node serving all 128 at once.
        boolean threadRuntime = scheduler instanceof ThreadScheduler;
        Duration admissionWait = threadRuntime ? Durations.dividedBy(config.tcpTimeout(), 2) : Duration.ZERO;
        this.pushPullAdmission = new PushPullAdmission(MAX_PUSH_PULL_REQUESTS,
                threadRuntime ? PushPullAdmission.defaultServing() : MAX_PUSH_PULL_REQUESTS, admissionWait, budget);
        this.relays = new IndirectPingRelays(IndirectPingRelays.MAX_IN_FLIGHT, tasks);
        // Before a suspicion can end in a death, what the handoff queue holds about the node is handled:
        // a refutation received but still waiting there cancels the suspicion instead.
        SuspicionTimers suspicions = new SuspicionTimers(tasks, config.clock(), name -> {
            packets().handleQueued(name);
            state().suspicionTimerFired(name);
        });
        if (config.metrics() == null) {
            config.metrics(new serf.memberlist.metrics.Metrics());
        }
        this.state = new MembershipState(config, limited, suspicions, stats.loopExceptions::incrementAndGet);
        stats.attach(handoff, relays, pushPullAdmission, state, budget);
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
        stats.attachProber(prober);
        prober.beforeVerdict(packets::handleQueued);
        this.directPing = new DirectPing(ctx, sender, acks);
        this.gossiper = new Gossiper(ctx, sender);
        this.rounds = new NodeRounds(ctx, prober, gossiper, pushPull);
        state.broadcasts().onQueued(rounds::broadcastQueued);
        this.joiner = new ClusterJoin(config, pushPull, tasks);
        this.self = new LocalAnnouncements(config, state, tasks, shutdown, advertiseAddr, advertisePort);
    }

    /** The suspicion timer's callback is built before the state it calls; it reads the field when it fires. */
    MembershipState state() {
        return state;
    }

    /** Likewise for the packet handler, built after the suspicion timers. */
    private PacketHandler packets() {
        return packets;
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
        NodeSetup.validate(c);
        Keyring ring = NodeSetup.keyring(c);
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

    /** Starts receiving, announces this node, starts its rounds. */
    private void start() throws IOException {
        transport.start(packets::onPacket, streams::onStream);
        self.setAlive();
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

    /** The drop and refusal counters of {@link MemberlistStats}, reported by the registry as memberlist.stats.&lt;key&gt;. */
    private void registerPolled(serf.memberlist.metrics.Metrics m) {
        stats.suppliers().forEach((k, v) -> m.polled("memberlist.stats." + k, v));
        m.polled("memberlist.broadcasts.queued", state.broadcasts()::numQueued);
        m.polled("memberlist.metrics.names_refused", m::namesRefused);
        m.polled("memberlist.metrics.listener_failures", m::listenerFailures);
    }

    /** {@return the node's counters of dropped and refused input} */
    public MemberlistStats stats() {
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
        return joiner.join(existing);
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
        self.leave(timeout);
    }

    /**
     * Re-reads the delegate's node metadata and gossips it with a new incarnation, waiting up to
     * {@code timeout} for the broadcast when other nodes are alive.
     *
     * @param timeout how long to wait for the broadcast
     * @throws IOException when the broadcast was not gossiped within {@code timeout}, or the wait was interrupted
     */
    public void updateNode(Duration timeout) throws IOException {
        self.updateNode(timeout);
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
     * Says that the delegate queued a broadcast. An idle node's gossip rounds sleep about a second at a
     * time while nothing is queued (a round with nothing to send sends nothing, in Go as here); a queued
     * broadcast wakes them: a sleeping node gossips at once, where Go's would wait for its ticker's
     * next beat, and then every interval. memberlist's own queue does this by itself, and so do
     * queues handed {@code TransmitLimitedQueue.onQueued(memberlist::broadcastQueued)}. A delegate
     * whose {@link Delegate#hasBroadcasts()} can return false calls this when it queues a message;
     * one that forgets has its broadcasts sent up to a second late, never lost.
     */
    public void broadcastQueued() {
        rounds.broadcastQueued();
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
}
