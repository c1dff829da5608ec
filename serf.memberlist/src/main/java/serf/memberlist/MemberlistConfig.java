package serf.memberlist;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import serf.crypto.Keyring;
import serf.wire.InputBudget;
import serf.memberlist.transport.Transport;

/**
 * memberlist's configuration, with the Go defaults of the three profiles ({@link #lan()},
 * {@link #wan()}, {@link #local()}). Fluent setters; {@link Memberlist#create(MemberlistConfig)} takes a
 * copy, so changing a MemberlistConfig afterwards has no effect on a running node.
 */
public final class MemberlistConfig implements Cloneable {
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
    private boolean gossipVerifyIncoming = true;
    private boolean gossipVerifyOutgoing = true;
    private boolean enableCompression = true;
    private int handoffQueueDepth = 1024;
    private int udpBufferSize = 1400;
    private Duration deadNodeReclaimTime = Duration.ZERO;
    private boolean requireNodeNames;
    private List<String> cidrsAllowed;

    // Security.
    private byte[] secretKey;
    private Keyring keyring;
    private String label = "";
    private boolean skipInboundLabelCheck;

    // Delegates.
    private Delegate delegate;
    private EventDelegate events;
    private ConflictDelegate conflict;
    private MergeDelegate merge;
    private PingDelegate ping;
    private AliveDelegate alive;

    private System.Logger logger = System.getLogger("serf.memberlist");

    // Input limits.
    private InputBudget inputBudget = InputBudget.shared();
    private Clock clock = Clock.system();
    private Scheduler scheduler;
    private RandomGenerator random = ThreadLocalRandomSource.INSTANCE;
    private long streamCapBase = StreamCap.DEFAULT_BASE;
    private int streamCapPerNode = StreamCap.DEFAULT_PER_NODE;
    private int maxNodes = 0;
    private serf.memberlist.metrics.Metrics metrics;

    private MemberlistConfig() {
    }

    /** Go's DefaultLANConfig: the local host name as node name, port 7946, LAN timings. */
    public static MemberlistConfig lan() {
        MemberlistConfig c = new MemberlistConfig();
        c.name = hostName();
        return c;
    }

    /** Go's DefaultWANConfig. */
    public static MemberlistConfig wan() {
        return lan().tcpTimeout(Duration.ofSeconds(30)).suspicionMult(6).pushPullInterval(Duration.ofSeconds(60))
                .probeTimeout(Duration.ofSeconds(3)).probeInterval(Duration.ofSeconds(5)).gossipNodes(4)
                .gossipInterval(Duration.ofMillis(500)).gossipToTheDeadTime(Duration.ofSeconds(60));
    }

    /** Go's DefaultLocalConfig (loopback/same-host clusters). */
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

    /** An independent copy. */
    public MemberlistConfig copy() {
        try {
            return (MemberlistConfig) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- fluent setters and getters (Go field names, Java case) ----

    public MemberlistConfig name(String v) { name = v; return this; }
    public String name() { return name; }
    /** A transport to use instead of a {@code NetTransport} built from the bind settings. */
    public MemberlistConfig transport(Transport v) { transport = v; return this; }
    public Transport transport() { return transport; }
    public MemberlistConfig bindAddr(String v) { bindAddr = v; return this; }
    public String bindAddr() { return bindAddr; }
    public MemberlistConfig bindPort(int v) { bindPort = v; return this; }
    public int bindPort() { return bindPort; }
    public MemberlistConfig advertiseAddr(String v) { advertiseAddr = v; return this; }
    public String advertiseAddr() { return advertiseAddr; }
    public MemberlistConfig advertisePort(int v) { advertisePort = v; return this; }
    public int advertisePort() { return advertisePort; }
    public MemberlistConfig protocolVersion(int v) { protocolVersion = v; return this; }
    public int protocolVersion() { return protocolVersion; }
    public MemberlistConfig delegateProtocolVersion(int v) { delegateProtocolVersion = v; return this; }
    public int delegateProtocolVersion() { return delegateProtocolVersion; }
    public MemberlistConfig delegateProtocolMin(int v) { delegateProtocolMin = v; return this; }
    public int delegateProtocolMin() { return delegateProtocolMin; }
    public MemberlistConfig delegateProtocolMax(int v) { delegateProtocolMax = v; return this; }
    public int delegateProtocolMax() { return delegateProtocolMax; }
    public MemberlistConfig tcpTimeout(Duration v) { tcpTimeout = v; return this; }
    public Duration tcpTimeout() { return tcpTimeout; }
    public MemberlistConfig indirectChecks(int v) { indirectChecks = v; return this; }
    public int indirectChecks() { return indirectChecks; }
    public MemberlistConfig retransmitMult(int v) { retransmitMult = v; return this; }
    public int retransmitMult() { return retransmitMult; }
    public MemberlistConfig suspicionMult(int v) { suspicionMult = v; return this; }
    public int suspicionMult() { return suspicionMult; }
    public MemberlistConfig suspicionMaxTimeoutMult(int v) { suspicionMaxTimeoutMult = v; return this; }
    public int suspicionMaxTimeoutMult() { return suspicionMaxTimeoutMult; }
    public MemberlistConfig pushPullInterval(Duration v) { pushPullInterval = v; return this; }
    public Duration pushPullInterval() { return pushPullInterval; }
    public MemberlistConfig probeInterval(Duration v) { probeInterval = v; return this; }
    public Duration probeInterval() { return probeInterval; }
    public MemberlistConfig probeTimeout(Duration v) { probeTimeout = v; return this; }
    public Duration probeTimeout() { return probeTimeout; }
    public MemberlistConfig disableTcpPings(boolean v) { disableTcpPings = v; return this; }
    public boolean disableTcpPings() { return disableTcpPings; }
    public MemberlistConfig disableTcpPingsForNode(Predicate<String> v) { disableTcpPingsForNode = v; return this; }
    public Predicate<String> disableTcpPingsForNode() { return disableTcpPingsForNode; }
    public MemberlistConfig awarenessMaxMultiplier(int v) { awarenessMaxMultiplier = v; return this; }
    public int awarenessMaxMultiplier() { return awarenessMaxMultiplier; }
    public MemberlistConfig gossipInterval(Duration v) { gossipInterval = v; return this; }
    public Duration gossipInterval() { return gossipInterval; }
    public MemberlistConfig gossipNodes(int v) { gossipNodes = v; return this; }
    public int gossipNodes() { return gossipNodes; }
    public MemberlistConfig gossipToTheDeadTime(Duration v) { gossipToTheDeadTime = v; return this; }
    public Duration gossipToTheDeadTime() { return gossipToTheDeadTime; }
    public MemberlistConfig gossipVerifyIncoming(boolean v) { gossipVerifyIncoming = v; return this; }
    public boolean gossipVerifyIncoming() { return gossipVerifyIncoming; }
    public MemberlistConfig gossipVerifyOutgoing(boolean v) { gossipVerifyOutgoing = v; return this; }
    public boolean gossipVerifyOutgoing() { return gossipVerifyOutgoing; }
    public MemberlistConfig enableCompression(boolean v) { enableCompression = v; return this; }
    public boolean enableCompression() { return enableCompression; }
    public MemberlistConfig handoffQueueDepth(int v) { handoffQueueDepth = v; return this; }
    public int handoffQueueDepth() { return handoffQueueDepth; }
    public MemberlistConfig udpBufferSize(int v) { udpBufferSize = v; return this; }
    public int udpBufferSize() { return udpBufferSize; }
    public MemberlistConfig deadNodeReclaimTime(Duration v) { deadNodeReclaimTime = v; return this; }
    public Duration deadNodeReclaimTime() { return deadNodeReclaimTime; }
    public MemberlistConfig requireNodeNames(boolean v) { requireNodeNames = v; return this; }
    public boolean requireNodeNames() { return requireNodeNames; }
    /** CIDRs whose addresses may join (null = all), e.g. {@code "10.0.0.0/8"}. */
    public MemberlistConfig cidrsAllowed(List<String> v) { cidrsAllowed = v == null ? null : List.copyOf(v); return this; }
    public List<String> cidrsAllowed() { return cidrsAllowed; }
    /** A key (16, 24 or 32 bytes) to become the primary key of the keyring. */
    public MemberlistConfig secretKey(byte[] v) { secretKey = v == null ? null : v.clone(); return this; }
    public byte[] secretKey() { return secretKey == null ? null : secretKey.clone(); }
    public MemberlistConfig keyring(Keyring v) { keyring = v; return this; }
    public Keyring keyring() { return keyring; }
    /** Cluster label (memberlist ≥ 0.3); empty = none, which is what 0.2.x peers understand. */
    public MemberlistConfig label(String v) { label = v == null ? "" : v; return this; }
    public String label() { return label; }
    public MemberlistConfig skipInboundLabelCheck(boolean v) { skipInboundLabelCheck = v; return this; }
    public boolean skipInboundLabelCheck() { return skipInboundLabelCheck; }
    public MemberlistConfig delegate(Delegate v) { delegate = v; return this; }
    public Delegate delegate() { return delegate; }
    public MemberlistConfig events(EventDelegate v) { events = v; return this; }
    public EventDelegate events() { return events; }
    public MemberlistConfig conflict(ConflictDelegate v) { conflict = v; return this; }
    public ConflictDelegate conflict() { return conflict; }
    public MemberlistConfig merge(MergeDelegate v) { merge = v; return this; }
    public MergeDelegate merge() { return merge; }
    public MemberlistConfig ping(PingDelegate v) { ping = v; return this; }
    public PingDelegate ping() { return ping; }
    public MemberlistConfig alive(AliveDelegate v) { alive = v; return this; }
    public AliveDelegate alive() { return alive; }
    public MemberlistConfig logger(System.Logger v) { logger = v; return this; }
    public System.Logger logger() { return logger; }

    /**
     * Memory for input (stream bodies, decrypted and decompressed bytes, decoded node states) is
     * reserved from this budget before it is allocated; what it cannot cover is refused and counted.
     * Default {@link InputBudget#shared()}: a quarter of the maximum heap, shared by every node of the
     * process (they share one heap).
     */
    public MemberlistConfig inputBudget(InputBudget v) { inputBudget = java.util.Objects.requireNonNull(v); return this; }
    public InputBudget inputBudget() { return inputBudget; }

    /**
     * The registry this node's metrics go to (Go's names, see {@link serf.memberlist.metrics}); default
     * null: the node makes its own, {@link Memberlist#metrics()}. Give nodes their own registries: two
     * nodes sharing one add up their counts.
     */
    public MemberlistConfig metrics(serf.memberlist.metrics.Metrics v) { metrics = v; return this; }
    public serf.memberlist.metrics.Metrics metrics() { return metrics; }

    /**
     * The size an inbound stream may have whatever the cluster's size (the application's state),
     * default 1 MiB; see {@link #streamCapPerNode}. Streams are capped at {@code base + known nodes ×
     * perNode}, never above Go's 20 MiB, and refused before their body is read when larger.
     */
    public MemberlistConfig streamCapBase(long v) { streamCapBase = v; return this; }
    public long streamCapBase() { return streamCapBase; }
    /**
     * The most nodes (alive, suspect, dead or left, until reaped) this node keeps; an alive message
     * for a new node beyond it is ignored, counted ({@code nodes_refused}) and logged once per run.
     * Any peer can announce members that do not exist, and each costs heap for as long as it is
     * known, so a fixed heap needs a bound (Go has none: its heap grows). Default 0: one node per
     * {@link #HEAP_BYTES_PER_NODE} bytes of the maximum heap, at least 1,024 (8,192 for the agent's
     * 64 MB heap); raise the heap, or set this, for larger clusters.
     */
    public MemberlistConfig maxNodes(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("maxNodes must be >= 0 (0 = derived from the heap): " + v);
        }
        maxNodes = v;
        return this;
    }

    /** The bound {@link #maxNodes(int)} set, or the one derived from the heap when it is 0. */
    public int maxNodes() {
        if (maxNodes > 0) {
            return maxNodes;
        }
        long heap = Runtime.getRuntime().maxMemory();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1024, heap == Long.MAX_VALUE ? Integer.MAX_VALUE : heap / HEAP_BYTES_PER_NODE));
    }

    /** Heap a known node may cost, all layers together, when {@link #maxNodes()} is derived from the heap. */
    public static final long HEAP_BYTES_PER_NODE = 8 * 1024;

    /** What each known node adds to the stream cap, default 2 KiB; see {@link #streamCapBase}. */
    public MemberlistConfig streamCapPerNode(int v) { streamCapPerNode = v; return this; }
    public int streamCapPerNode() { return streamCapPerNode; }

    /**
     * The clock protocol decisions are timed by (timeouts, suspicion deadlines, rounds, dead-node
     * ages); default {@link Clock#system()}. A manual clock lets tests and simulators run the
     * protocol in virtual time.
     */
    public MemberlistConfig clock(Clock v) { clock = java.util.Objects.requireNonNull(v); return this; }
    public Clock clock() { return clock; }

    /**
     * Where the node's timers and background work run; null (the default) means the node makes its
     * own ({@link Scheduler#ofThreads}) and closes it at shutdown. A given scheduler is never closed
     * by the node; at shutdown the node cancels its rounds and timers there, and whatever of it is
     * still queued does nothing when it runs. Setting one also sets {@link #clock} to the scheduler's
     * clock.
     *
     * <p>On a given scheduler the node starts no thread of its own and no task of it blocks (waits
     * are further scheduled steps; push/pull admission does not wait for a slot): with a
     * {@link #transport} that also delivers through the scheduler and a seeded {@link #random}, a
     * single-threaded scheduler in virtual time runs the node deterministically.
     */
    public MemberlistConfig scheduler(Scheduler v) {
        scheduler = v;
        if (v != null) {
            clock = v.clock();
        }
        return this;
    }
    public Scheduler scheduler() { return scheduler; }

    /**
     * The random source for probe order, gossip and push/pull targets and start-up staggering. It
     * is used by several of the node's threads, so it must be thread-safe (e.g. {@link java.util.Random});
     * a seeded one makes the choices repeatable. Default: each thread's {@link java.util.concurrent.ThreadLocalRandom}.
     */
    public MemberlistConfig random(RandomGenerator v) { random = java.util.Objects.requireNonNull(v); return this; }
    public RandomGenerator random() { return random; }

    /** True when a keyring with at least one key (or a secret key) is configured. */
    public boolean encryptionEnabled() {
        return (keyring != null && !keyring.isEmpty()) || secretKey != null;
    }
}
