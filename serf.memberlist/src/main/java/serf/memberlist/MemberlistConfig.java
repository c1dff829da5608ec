package serf.memberlist;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import serf.memberlist.transport.Transport;

/**
 * memberlist's configuration, with the Go defaults of the three profiles ({@link #lan()},
 * {@link #wan()}, {@link #local()}). Fluent setters; {@link Memberlist#create(MemberlistConfig)} takes a
 * copy, so changing a MemberlistConfig afterwards has no effect on a running node.
 *
 * <p>Each setting is a setter and a getter of the same name; the setter's comment gives the unit, the
 * default of each profile and the field of Go's {@code memberlist.Config} it mirrors. The profiles
 * differ only in these settings:
 * <table class="striped">
 * <caption>Profile defaults</caption>
 * <thead><tr><th scope="col">setting</th><th scope="col">lan</th><th scope="col">wan</th><th scope="col">local</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@link #tcpTimeout(Duration) tcpTimeout}</th><td>10 s</td><td>30 s</td><td>1 s</td></tr>
 * <tr><th scope="row">{@link #indirectChecks(int) indirectChecks}</th><td>3</td><td>3</td><td>1</td></tr>
 * <tr><th scope="row">{@link #retransmitMult(int) retransmitMult}</th><td>4</td><td>4</td><td>2</td></tr>
 * <tr><th scope="row">{@link #suspicionMult(int) suspicionMult}</th><td>4</td><td>6</td><td>3</td></tr>
 * <tr><th scope="row">{@link #pushPullInterval(Duration) pushPullInterval}</th><td>30 s</td><td>60 s</td><td>15 s</td></tr>
 * <tr><th scope="row">{@link #probeTimeout(Duration) probeTimeout}</th><td>500 ms</td><td>3 s</td><td>200 ms</td></tr>
 * <tr><th scope="row">{@link #probeInterval(Duration) probeInterval}</th><td>1 s</td><td>5 s</td><td>1 s</td></tr>
 * <tr><th scope="row">{@link #gossipNodes(int) gossipNodes}</th><td>3</td><td>4</td><td>3</td></tr>
 * <tr><th scope="row">{@link #gossipInterval(Duration) gossipInterval}</th><td>200 ms</td><td>500 ms</td><td>100 ms</td></tr>
 * <tr><th scope="row">{@link #gossipToTheDeadTime(Duration) gossipToTheDeadTime}</th><td>30 s</td><td>60 s</td><td>15 s</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Settings without a Go counterpart ({@link #inputBudget(serf.wire.InputBudget) inputBudget}, {@link #streamCapBase(long) streamCapBase}, {@link #streamCapPerNode(int) streamCapPerNode},
 * {@link #maxNodes(int) maxNodes}, {@link #clock(Clock) clock}, {@link #scheduler(Scheduler) scheduler}, {@link #loopThreads(serf.memberlist.transport.LoopThreads) loopThreads}, {@link #random(java.util.random.RandomGenerator) random}) bound what a node accepts or make
 * it run in virtual time. Not thread-safe: configure on one thread, then hand it to
 * {@link Memberlist#create(MemberlistConfig)}.
 */
public final class MemberlistConfig extends SecuritySettings implements Cloneable {
    // Identity and addresses.
    private String name;
    private Transport transport;
    private String bindAddr = "0.0.0.0";
    private int bindPort = 7946;
    private String advertiseAddr = "";
    private int advertisePort = 7946;
    private int protocolVersion = 2;
    private int delegateProtocolVersion;
    private int delegateProtocolMin;
    private int delegateProtocolMax;

    // Failure detection and gossip.
    private Duration tcpTimeout = Duration.ofSeconds(10);
    private int indirectChecks = 3;
    private int retransmitMult = 4;
    private int suspicionMult = 4;
    private int suspicionMaxTimeoutMult = 6;
    private Duration pushPullInterval = Duration.ofSeconds(30);
    private Duration probeInterval = Duration.ofSeconds(1);
    private Duration probeTimeout = Duration.ofMillis(500);
    private boolean disableTcpPings;
    private Predicate<String> disableTcpPingsForNode;
    private int awarenessMaxMultiplier = 8;
    private Duration gossipInterval = Duration.ofMillis(200);
    private int gossipNodes = 3;
    private Duration gossipToTheDeadTime = Duration.ofSeconds(30);
    private boolean enableCompression = true;
    private int handoffQueueDepth = 1024;
    private int udpBufferSize = 1400;
    private Duration deadNodeReclaimTime = Duration.ZERO;
    private boolean requireNodeNames;
    private List<String> cidrsAllowed;

    private MemberlistConfig() {
    }

    /**
     * Go's DefaultLANConfig: the local host name as node name, port 7946, LAN timings.
     *
     * @return a new configuration with LAN defaults
     */
    public static MemberlistConfig lan() {
        MemberlistConfig c = new MemberlistConfig();
        c.name = hostName();
        return c;
    }

    /**
     * Go's DefaultWANConfig.
     *
     * @return a new configuration with WAN defaults
     */
    public static MemberlistConfig wan() {
        return lan().tcpTimeout(Duration.ofSeconds(30)).suspicionMult(6).pushPullInterval(Duration.ofSeconds(60))
                .probeTimeout(Duration.ofSeconds(3)).probeInterval(Duration.ofSeconds(5)).gossipNodes(4)
                .gossipInterval(Duration.ofMillis(500)).gossipToTheDeadTime(Duration.ofSeconds(60));
    }

    /**
     * Go's DefaultLocalConfig (loopback/same-host clusters).
     *
     * @return a new configuration with loopback defaults
     */
    public static MemberlistConfig local() {
        return lan().tcpTimeout(Duration.ofSeconds(1)).indirectChecks(1).retransmitMult(2).suspicionMult(3)
                .pushPullInterval(Duration.ofSeconds(15)).probeTimeout(Duration.ofMillis(200))
                .probeInterval(Duration.ofSeconds(1)).gossipInterval(Duration.ofMillis(100))
                .gossipToTheDeadTime(Duration.ofSeconds(15));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** {@return an independent copy} */
    public MemberlistConfig copy() {
        try {
            return (MemberlistConfig) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- fluent setters and getters (Go field names, Java case) ----

    /**
     * The node's name, which must be unique in the cluster: peers key their member table by it. Default: the
     * local host name (all profiles). Go: {@code Name}.
     *
     * @param v the node name
     * @return this config
     */
    public MemberlistConfig name(String v) { name = v; return this; }
    /** {@return the node's name} See {@link #name(String)}. */
    public String name() { return name; }
    /**
     * The transport to send and receive through instead of a {@code NetTransport} built from {@link
     * #bindAddr(String)} and {@link #bindPort(int)}, e.g. a {@code MemoryTransport} in tests. Default null:
     * the node builds and owns a {@code NetTransport}. Go: {@code Transport}.
     *
     * @param v the transport, or null for a {@code NetTransport}
     * @return this config
     */
    public MemberlistConfig transport(Transport v) { transport = v; return this; }
    /** {@return the transport set, or null when the node builds its own} See {@link #transport(Transport)}. */
    public Transport transport() { return transport; }
    /**
     * The address the UDP and TCP listeners bind to, as IP text. Default {@code 0.0.0.0} (all interfaces, all
     * profiles). Go: {@code BindAddr}.
     *
     * @param v the IP address to bind
     * @return this config
     */
    public MemberlistConfig bindAddr(String v) { bindAddr = v; return this; }
    /** {@return the bind address} See {@link #bindAddr(String)}. */
    public String bindAddr() { return bindAddr; }
    /**
     * The port the UDP and TCP listeners bind to (the same number for both); 0 picks a free one. Also the
     * port assumed for a join address without one. Default 7946 (all profiles). Go: {@code BindPort}.
     *
     * @param v the port, 0 to 65535
     * @return this config
     */
    public MemberlistConfig bindPort(int v) { bindPort = v; return this; }
    /** {@return the bind port} See {@link #bindPort(int)}. */
    public int bindPort() { return bindPort; }
    /**
     * The address other members are told to reach this node at, as IP text, when it differs from the bound
     * one (NAT, containers). Default empty: the transport picks one from the bind address. Go: {@code
     * AdvertiseAddr}.
     *
     * @param v the IP address to advertise, or empty
     * @return this config
     */
    public MemberlistConfig advertiseAddr(String v) { advertiseAddr = v; return this; }
    /** {@return the advertised address, empty when derived from the bind address} See {@link #advertiseAddr(String)}. */
    public String advertiseAddr() { return advertiseAddr; }
    /**
     * The port advertised with {@link #advertiseAddr(String)}. Default 7946 (all profiles). Go: {@code
     * AdvertisePort}.
     *
     * @param v the port to advertise
     * @return this config
     */
    public MemberlistConfig advertisePort(int v) { advertisePort = v; return this; }
    /** {@return the advertised port} See {@link #advertisePort(int)}. */
    public int advertisePort() { return advertisePort; }
    /**
     * The memberlist protocol version this node speaks, between 1 and 5; {@link
     * Memberlist#create(MemberlistConfig)} refuses others. Versions below 2 leave out the node's port in
     * pings and indirect pings. Default 2 (Go's {@code ProtocolVersion2Compatible}, all profiles). Go: {@code
     * ProtocolVersion}.
     *
     * @param v the protocol version
     * @return this config
     */
    public MemberlistConfig protocolVersion(int v) { protocolVersion = v; return this; }
    /** {@return the protocol version this node speaks} See {@link #protocolVersion(int)}. */
    public int protocolVersion() { return protocolVersion; }
    /**
     * The version of the application's own protocol (what the {@link Delegate} sends), advertised in this
     * node's alive messages so that peers can check compatibility. Default 0: no version checks. Go: {@code
     * DelegateProtocolVersion}.
     *
     * @param v the delegate protocol version, 0 to 255
     * @return this config
     */
    public MemberlistConfig delegateProtocolVersion(int v) { delegateProtocolVersion = v; return this; }
    /** {@return the delegate protocol version} See {@link #delegateProtocolVersion(int)}. */
    public int delegateProtocolVersion() { return delegateProtocolVersion; }
    /**
     * The oldest application protocol version this node understands, advertised with {@link
     * #delegateProtocolVersion(int)}. Default 0. Go: {@code DelegateProtocolMin}.
     *
     * @param v the lowest delegate protocol version understood
     * @return this config
     */
    public MemberlistConfig delegateProtocolMin(int v) { delegateProtocolMin = v; return this; }
    /** {@return the lowest delegate protocol version understood} See {@link #delegateProtocolMin(int)}. */
    public int delegateProtocolMin() { return delegateProtocolMin; }
    /**
     * The newest application protocol version this node understands, advertised with {@link
     * #delegateProtocolVersion(int)}. Default 0. Go: {@code DelegateProtocolMax}.
     *
     * @param v the highest delegate protocol version understood
     * @return this config
     */
    public MemberlistConfig delegateProtocolMax(int v) { delegateProtocolMax = v; return this; }
    /** {@return the highest delegate protocol version understood} See {@link #delegateProtocolMax(int)}. */
    public int delegateProtocolMax() { return delegateProtocolMax; }
    /**
     * How long to wait when opening a stream to a peer (push/pull, TCP ping, reliable messages) and for each
     * read and write on it. Default 10 s (lan), 30 s (wan), 1 s (local). Go: {@code TCPTimeout}.
     *
     * @param v the stream timeout
     * @return this config
     */
    public MemberlistConfig tcpTimeout(Duration v) { tcpTimeout = v; return this; }
    /** {@return the stream timeout} See {@link #tcpTimeout(Duration)}. */
    public Duration tcpTimeout() { return tcpTimeout; }
    /**
     * How many other members are asked to probe a node that did not answer a direct ping; any one ack from
     * them clears it. More of them means fewer false suspicions and more traffic. Default 3 (lan, wan), 1
     * (local). Go: {@code IndirectChecks}.
     *
     * @param v the number of indirect probes per failed direct probe
     * @return this config
     */
    public MemberlistConfig indirectChecks(int v) { indirectChecks = v; return this; }
    /** {@return the number of indirect probes} See {@link #indirectChecks(int)}. */
    public int indirectChecks() { return indirectChecks; }
    /**
     * A gossiped message is retransmitted {@code retransmitMult × ceil(log10(n + 1))} times, n being the
     * number of members, so that it reaches everyone as the cluster grows. Default 4 (lan, wan), 2 (local).
     * Go: {@code RetransmitMult}.
     *
     * @param v the retransmission multiplier
     * @return this config
     */
    public MemberlistConfig retransmitMult(int v) { retransmitMult = v; return this; }
    /** {@return the retransmission multiplier} See {@link #retransmitMult(int)}. */
    public int retransmitMult() { return retransmitMult; }
    /**
     * Sets how long a suspect stays suspect before it is declared dead: {@code suspicionMult × max(1,
     * log10(max(1, n))) × probeInterval} when enough other members confirm the suspicion, n being the number
     * of members. Default 4 (lan), 6 (wan), 3 (local). Go: {@code SuspicionMult}.
     *
     * @param v the suspicion multiplier
     * @return this config
     */
    public MemberlistConfig suspicionMult(int v) { suspicionMult = v; return this; }
    /** {@return the suspicion multiplier} See {@link #suspicionMult(int)}. */
    public int suspicionMult() { return suspicionMult; }
    /**
     * The suspicion timeout starts at this multiple of the minimum one and shrinks towards the minimum as
     * independent members confirm the suspicion (Lifeguard); without confirmations a suspect is declared dead
     * only after the maximum. Default 6 (all profiles). Go: {@code SuspicionMaxTimeoutMult}.
     *
     * @param v the multiplier of the maximum suspicion timeout
     * @return this config
     */
    public MemberlistConfig suspicionMaxTimeoutMult(int v) { suspicionMaxTimeoutMult = v; return this; }
    /** {@return the multiplier of the maximum suspicion timeout} See {@link #suspicionMaxTimeoutMult(int)}. */
    public int suspicionMaxTimeoutMult() { return suspicionMaxTimeoutMult; }
    /**
     * Time between full state exchanges with one random member over a stream (push/pull), which repair what
     * gossip missed; {@link Duration#ZERO} turns them off. The interval grows with the cluster beyond 32
     * members, as in Go. Default 30 s (lan), 60 s (wan), 15 s (local). Go: {@code PushPullInterval}.
     *
     * @param v the push/pull interval, zero for none
     * @return this config
     */
    public MemberlistConfig pushPullInterval(Duration v) { pushPullInterval = v; return this; }
    /** {@return the push/pull interval} See {@link #pushPullInterval(Duration)}. */
    public Duration pushPullInterval() { return pushPullInterval; }
    /**
     * Time between failure-detection probes; each probe pings one member, in a shuffled round-robin order.
     * Shorter finds failures sooner and costs more traffic. Lifeguard stretches it by up to {@link
     * #awarenessMaxMultiplier(int)} while this node seems unhealthy. Default 1 s (lan, local), 5 s (wan). Go:
     * {@code ProbeInterval}.
     *
     * @param v the probe interval
     * @return this config
     */
    public MemberlistConfig probeInterval(Duration v) { probeInterval = v; return this; }
    /** {@return the probe interval} See {@link #probeInterval(Duration)}. */
    public Duration probeInterval() { return probeInterval; }
    /**
     * How long a probe waits for the direct ping's ack before it asks other members for indirect pings; about
     * the 99th percentile of the round-trip time on the network. Default 500 ms (lan), 3 s (wan), 200 ms
     * (local). Go: {@code ProbeTimeout}. Unlike Go, a node whose pings have lately taken longer than this to
     * be answered (smoothed round trip plus four deviations, as TCP's retransmission timeout) waits that
     * long instead, and lengthens the probe round in proportion, at most by {@link
     * #awarenessMaxMultiplier(int)}: under a shortage of CPU slow answers are then not taken for failures
     * (counted in {@link MemberlistStats#probeRoundsStretched()}).
     *
     * @param v the probe timeout
     * @return this config
     */
    public MemberlistConfig probeTimeout(Duration v) { probeTimeout = v; return this; }
    /** {@return the probe timeout} See {@link #probeTimeout(Duration)}. */
    public Duration probeTimeout() { return probeTimeout; }
    /**
     * When true, a probe whose UDP ping got no ack does not also try a ping over a stream (which tells a
     * UDP-only problem from a dead node). Default false (all profiles). Go: {@code DisableTcpPings}.
     *
     * @param v true to turn the TCP fallback ping off
     * @return this config
     */
    public MemberlistConfig disableTcpPings(boolean v) { disableTcpPings = v; return this; }
    /** {@return whether the TCP fallback ping is off} See {@link #disableTcpPings(boolean)}. */
    public boolean disableTcpPings() { return disableTcpPings; }
    /**
     * Like {@link #disableTcpPings(boolean)}, decided per node: the predicate gets the probed node's name and
     * returns true to skip its TCP fallback ping. Called on the node's probe thread. Default null: TCP pings
     * for every node (unless turned off globally). Go: {@code DisableTcpPingsForNode}.
     *
     * @param v the per-node test, or null
     * @return this config
     */
    public MemberlistConfig disableTcpPingsForNode(Predicate<String> v) { disableTcpPingsForNode = v; return this; }
    /** {@return the per-node test, or null} See {@link #disableTcpPingsForNode(Predicate)}. */
    public Predicate<String> disableTcpPingsForNode() { return disableTcpPingsForNode; }
    /**
     * Lifeguard's local health: while this node misses acks and refutes suspicions about itself, its probe
     * interval and timeout are stretched by a factor of up to this value, so that a slow node does not accuse
     * healthy ones. Default 8 (all profiles). Go: {@code AwarenessMaxMultiplier}.
     *
     * @param v the largest factor, at least 1
     * @return this config
     */
    public MemberlistConfig awarenessMaxMultiplier(int v) { awarenessMaxMultiplier = v; return this; }
    /** {@return the largest local-health factor} See {@link #awarenessMaxMultiplier(int)}. */
    public int awarenessMaxMultiplier() { return awarenessMaxMultiplier; }
    /**
     * Time between gossip rounds, each sending queued broadcasts to {@link #gossipNodes(int)} random members
     * (broadcasts also ride on probes); {@link Duration#ZERO} turns separate gossip rounds off. Default 200
     * ms (lan), 500 ms (wan), 100 ms (local). Go: {@code GossipInterval}.
     *
     * @param v the gossip interval, zero for none
     * @return this config
     */
    public MemberlistConfig gossipInterval(Duration v) { gossipInterval = v; return this; }
    /** {@return the gossip interval} See {@link #gossipInterval(Duration)}. */
    public Duration gossipInterval() { return gossipInterval; }
    /**
     * How many random members each gossip round sends to. Default 3 (lan, local), 4 (wan). Go: {@code
     * GossipNodes}.
     *
     * @param v the number of members per gossip round
     * @return this config
     */
    public MemberlistConfig gossipNodes(int v) { gossipNodes = v; return this; }
    /** {@return the number of members per gossip round} See {@link #gossipNodes(int)}. */
    public int gossipNodes() { return gossipNodes; }
    /**
     * How long after a member was declared dead gossip is still sent to it, so that it learns of its death
     * and can refute it. Default 30 s (lan), 60 s (wan), 15 s (local). Go: {@code GossipToTheDeadTime}.
     *
     * @param v the time dead members still get gossip
     * @return this config
     */
    public MemberlistConfig gossipToTheDeadTime(Duration v) { gossipToTheDeadTime = v; return this; }
    /** {@return the time dead members still get gossip} See {@link #gossipToTheDeadTime(Duration)}. */
    public Duration gossipToTheDeadTime() { return gossipToTheDeadTime; }
    /**
     * When true, packets and streams are LZW-compressed (Go's {@code compress/lzw}) before encryption; peers
     * decompress whatever they get either way. Default true (all profiles). Go: {@code EnableCompression}.
     *
     * @param v true to compress what is sent
     * @return this config
     */
    public MemberlistConfig enableCompression(boolean v) { enableCompression = v; return this; }
    /** {@return whether output is compressed} See {@link #enableCompression(boolean)}. */
    public boolean enableCompression() { return enableCompression; }
    /**
     * The bound of the queue where received gossip waits for processing: at most this many nodes with
     * state messages (alive, suspect, dead) waiting, and at most this many user messages. The state
     * messages about one node are merged into one waiting entry (the newer state replaces the older;
     * counted in {@link MemberlistStats#handoffCoalesced()}); past the bound new ones are dropped and
     * counted ({@link MemberlistStats#handoffDropped()}), except a suspicion or death of this node,
     * which is handled at once. Default 1024 (all profiles). Go: {@code HandoffQueueDepth} (Go bounds
     * its queues by messages and does not merge).
     *
     * @param v the queue bound
     * @return this config
     */
    public MemberlistConfig handoffQueueDepth(int v) { handoffQueueDepth = v; return this; }
    /** {@return the bound of the inbound message queue} See {@link #handoffQueueDepth(int)}. */
    public int handoffQueueDepth() { return handoffQueueDepth; }
    /**
     * The size, in bytes, up to which gossip is packed into a packet: a message is topped up with
     * queued broadcasts, and gossip rounds fill packets, to this many bytes (less the encryption
     * overhead); a single larger message still goes out as one datagram. 1400 fits a common 1500-byte
     * MTU; a larger MTU allows more. Default 1400 (all profiles). Go: {@code UDPBufferSize}.
     *
     * @param v the packet size in bytes
     * @return this config
     */
    public MemberlistConfig udpBufferSize(int v) { udpBufferSize = v; return this; }
    /** {@return the gossip packing size in bytes} See {@link #udpBufferSize(int)}. */
    public int udpBufferSize() { return udpBufferSize; }
    /**
     * How long after a member died (or left) its name may be taken by a node at another address or port.
     * Default {@link Duration#ZERO}: never; a node with a dead member's name and a new address is refused.
     * Go: {@code DeadNodeReclaimTime}.
     *
     * @param v the reclaim time, zero for never
     * @return this config
     */
    public MemberlistConfig deadNodeReclaimTime(Duration v) { deadNodeReclaimTime = v; return this; }
    /** {@return the time before a dead member's name may be reused} See {@link #deadNodeReclaimTime(Duration)}. */
    public Duration deadNodeReclaimTime() { return deadNodeReclaimTime; }
    /**
     * When true, a message to another node needs that node's name as well as its address (the
     * addresses given to {@link Memberlist#join} then take the form {@code name/host:port}). Default
     * false (all profiles). Go: {@code RequireNodeNames}.
     *
     * @param v true to require node names
     * @return this config
     */
    public MemberlistConfig requireNodeNames(boolean v) { requireNodeNames = v; return this; }
    /** {@return whether node names are required} See {@link #requireNodeNames(boolean)}. */
    public boolean requireNodeNames() { return requireNodeNames; }
    /**
     * The networks whose addresses may be members, in CIDR notation (e.g. {@code "10.0.0.0/8"}, IPv4 and IPv6
     * listed separately); messages about nodes elsewhere are ignored. Default null: every address; an empty
     * list refuses all. Go: {@code CIDRsAllowed}.
     *
     * @param v the allowed networks, or null for all
     * @return this config
     */
    public MemberlistConfig cidrsAllowed(List<String> v) { cidrsAllowed = v == null ? null : List.copyOf(v); return this; }
    /** {@return the allowed networks, null for all} See {@link #cidrsAllowed(List)}. */
    public List<String> cidrsAllowed() { return cidrsAllowed; }

    /** Heap a known node may cost, all layers together, when {@link MemberlistConfig#maxNodes()} is derived from the heap. */
    public static final long HEAP_BYTES_PER_NODE = 8 * 1024;
}
