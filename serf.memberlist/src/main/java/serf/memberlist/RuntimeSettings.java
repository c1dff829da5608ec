package serf.memberlist;

import java.util.random.RandomGenerator;
import serf.memberlist.transport.LoopThreads;
import serf.wire.InputBudget;

/**
 * The part of {@link MemberlistConfig} that has no Go counterpart or concerns the process the node runs
 * in rather than the protocol: the logger and metrics registry, the input budget and the bounds derived
 * from it (stream caps, known nodes), and the clock, scheduler and random source that let a node run in
 * virtual time. Its public setters and getters are {@link MemberlistConfig}'s (this class is not used on
 * its own); each setter returns the config it belongs to.
 */
abstract sealed class RuntimeSettings permits DelegateSettings {
    private System.Logger logger = System.getLogger("serf.memberlist");
    private InputBudget inputBudget = InputBudget.shared();
    private Clock clock = Clock.system();
    private Scheduler scheduler;
    private LoopThreads loopThreads = LoopThreads.VIRTUAL;
    private RandomGenerator random = ThreadLocalRandomSource.INSTANCE;
    private long streamCapBase = StreamCap.DEFAULT_BASE;
    private int streamCapPerNode = StreamCap.DEFAULT_PER_NODE;
    private int maxNodes = 0;
    private serf.memberlist.metrics.Metrics metrics;

    RuntimeSettings() {
    }

    private MemberlistConfig self() {
        return (MemberlistConfig) this;
    }

    /**
     * Where the node logs (Go takes an {@code io.Writer} or a {@code log.Logger}). Default {@code
     * System.getLogger("serf.memberlist")}. Go: {@code Logger}.
     *
     * @param v the logger
     * @return this config
     */
    public MemberlistConfig logger(System.Logger v) { logger = v; return self(); }
    /** {@return the logger} See {@link MemberlistConfig#logger(System.Logger)}. */
    public System.Logger logger() { return logger; }

    /**
     * Memory for input (stream bodies, decrypted and decompressed bytes, decoded node states) is
     * reserved from this budget before it is allocated; what it cannot cover is refused and counted.
     * Default {@link InputBudget#shared()}: a quarter of the maximum heap, shared by every node of the
     * process (they share one heap).
     *
     * @param v the budget; not null
     * @return this config
     */
    public MemberlistConfig inputBudget(InputBudget v) { inputBudget = java.util.Objects.requireNonNull(v); return self(); }
    /** {@return the input budget} See {@link MemberlistConfig#inputBudget(InputBudget)}. */
    public InputBudget inputBudget() { return inputBudget; }

    /**
     * The registry this node's metrics go to (Go's names, see {@link serf.memberlist.metrics}); default
     * null: the node makes its own, {@link Memberlist#metrics()}. Give nodes their own registries: two
     * nodes sharing one add up their counts.
     *
     * @param v the registry, or null for one of the node's own
     * @return this config
     */
    public MemberlistConfig metrics(serf.memberlist.metrics.Metrics v) { metrics = v; return self(); }
    /** {@return the registry given to {@link MemberlistConfig#metrics(serf.memberlist.metrics.Metrics)}, or null} */
    public serf.memberlist.metrics.Metrics metrics() { return metrics; }

    /**
     * The size an inbound stream may have whatever the cluster's size (the application's state),
     * default 1 MiB; see {@link MemberlistConfig#streamCapPerNode}. Streams are capped at {@code base + known nodes ×
     * perNode}, never above Go's 20 MiB, and refused before their body is read when larger.
     *
     * @param v the base in bytes
     * @return this config
     */
    public MemberlistConfig streamCapBase(long v) { streamCapBase = v; return self(); }
    /** {@return the stream cap base in bytes} See {@link MemberlistConfig#streamCapBase(long)}. */
    public long streamCapBase() { return streamCapBase; }
    /**
     * The most nodes (alive, suspect, dead or left, until reaped) this node keeps; an alive message
     * for a new node beyond it is ignored, counted ({@code nodes_refused}) and logged once per run.
     * Any peer can announce members that do not exist, and each costs heap for as long as it is
     * known, so a fixed heap needs a bound (Go has none: its heap grows). Default 0: one node per
     * {@link MemberlistConfig#HEAP_BYTES_PER_NODE} bytes of the maximum heap, at least 1,024 (8,192 for the agent's
     * 64 MB heap); raise the heap, or set this, for larger clusters.
     *
     * @param v the most known nodes, or 0 to derive it from the heap
     * @return this config
     * @throws IllegalArgumentException when {@code v} is negative
     */
    public MemberlistConfig maxNodes(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("maxNodes must be >= 0 (0 = derived from the heap): " + v);
        }
        maxNodes = v;
        return self();
    }

    /** {@return the bound {@link MemberlistConfig#maxNodes(int)} set, or the one derived from the heap when it is 0} */
    public int maxNodes() {
        if (maxNodes > 0) {
            return maxNodes;
        }
        long heap = Runtime.getRuntime().maxMemory();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1024, heap == Long.MAX_VALUE ? Integer.MAX_VALUE : heap / MemberlistConfig.HEAP_BYTES_PER_NODE));
    }


    /**
     * What each known node adds to the stream cap, default 2 KiB; see {@link MemberlistConfig#streamCapBase}.
     *
     * @param v the bytes added per known node
     * @return this config
     */
    public MemberlistConfig streamCapPerNode(int v) { streamCapPerNode = v; return self(); }
    /** {@return the stream cap per known node in bytes} See {@link MemberlistConfig#streamCapPerNode(int)}. */
    public int streamCapPerNode() { return streamCapPerNode; }

    /**
     * The clock protocol decisions are timed by (timeouts, suspicion deadlines, rounds, dead-node
     * ages); default {@link Clock#system()}. A manual clock lets tests and simulators run the
     * protocol in virtual time.
     *
     * @param v the clock; not null
     * @return this config
     */
    public MemberlistConfig clock(Clock v) { clock = java.util.Objects.requireNonNull(v); return self(); }
    /** {@return the clock} See {@link MemberlistConfig#clock(Clock)}. */
    public Clock clock() { return clock; }

    /**
     * Where the node's timers and background work run; null (the default) means the node makes its
     * own ({@link Scheduler#ofThreads}) and closes it at shutdown. A given scheduler is never closed
     * by the node; at shutdown the node cancels its rounds and timers there, and whatever of it is
     * still queued does nothing when it runs. Setting one also sets {@link MemberlistConfig#clock} to the scheduler's
     * clock.
     *
     * <p>On a given scheduler the node starts no thread of its own and no task of it blocks (waits
     * are further scheduled steps; push/pull admission does not wait for a slot): with a
     * {@link MemberlistConfig#transport} that also delivers through the scheduler and a seeded {@link MemberlistConfig#random}, a
     * single-threaded scheduler in virtual time runs the node deterministically.
     *
     * @param v the scheduler, or null for the node's own
     * @return this config
     */
    public MemberlistConfig scheduler(Scheduler v) {
        scheduler = v;
        if (v != null) {
            clock = v.clock();
        }
        return self();
    }
    /** {@return the scheduler, or null when the node makes its own} See {@link MemberlistConfig#scheduler(Scheduler)}. */
    public Scheduler scheduler() { return scheduler; }

    /**
     * The kind of thread for the node's long-lived loops: the timer thread of the scheduler it makes
     * for itself (none when a {@link MemberlistConfig#scheduler} is given) and the datagram reader and connection
     * acceptor of the transport it builds (none when a {@link MemberlistConfig#transport} is given); Serf's own
     * scheduler follows this setting too. Default {@link LoopThreads#VIRTUAL}: no platform thread per
     * node, for many nodes in one JVM. {@link LoopThreads#PLATFORM} (three daemon threads per node) is
     * cheaper to wake and meant for one node per process, as the agent runs. Per-connection and per-task
     * threads are virtual either way. No Go counterpart.
     *
     * @param v the kind; not null
     * @return this config
     */
    public MemberlistConfig loopThreads(LoopThreads v) { loopThreads = java.util.Objects.requireNonNull(v); return self(); }
    /** {@return the kind of thread for the node's loops} See {@link MemberlistConfig#loopThreads(LoopThreads)}. */
    public LoopThreads loopThreads() { return loopThreads; }

    /**
     * The random source for probe order, gossip and push/pull targets and start-up staggering. It
     * is used by several of the node's threads, so it must be thread-safe (e.g. {@link java.util.Random});
     * a seeded one makes the choices repeatable. Default: each thread's {@link java.util.concurrent.ThreadLocalRandom}.
     *
     * @param v the random source; not null
     * @return this config
     */
    public MemberlistConfig random(RandomGenerator v) { random = java.util.Objects.requireNonNull(v); return self(); }
    /** {@return the random source} See {@link MemberlistConfig#random(RandomGenerator)}. */
    public RandomGenerator random() { return random; }
}
