package serf.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import serf.api.Serf;
import serf.memberlist.Memberlist;
import serf.memberlist.internal.sim.ClusterSeeding;

/**
 * Real Serf and memberlist nodes — the library's own protocol code, with your delegates and event
 * sinks — on a simulated network in virtual time. Everything runs on the thread that calls this
 * object: nodes start no threads, every timer and every piece of work is an event in one queue
 * ordered by virtual instant, and every random choice (the nodes' and the network's) comes from the
 * seed. So the same seed and the same calls give the same run, packet for packet ({@link #traceDigest()}).
 *
 * <pre>{@code
 * try (Simulation sim = Simulation.builder().seed(7).link(LinkProfile.lan().withLoss(0.05)).build()) {
 *     List<Serf> nodes = new ArrayList<>();
 *     for (int i = 0; i < 50; i++) {
 *         nodes.add(sim.addSerf("node-" + i, c -> c.eventSink(e -> { })));
 *     }
 *     for (int i = 1; i < 50; i++) {
 *         nodes.get(i).join(List.of(sim.address("node-0").toString().substring(1)), false);
 *     }
 *     sim.runUntil(() -> nodes.stream().allMatch(s -> s.numMembers() == 50), Duration.ofSeconds(30));
 *     sim.partition(Set.of("node-0", "node-1"));   // those two on one side, the rest on the other
 *     sim.runFor(Duration.ofSeconds(10));
 *     sim.heal();
 * }
 * }</pre>
 *
 * <p>What is modelled: per-direction delay, jitter (so reordering) and loss for packets
 * ({@link LinkProfile}); partitions ({@link #partition}); crashes ({@link #crash}). Streams
 * (memberlist's TCP: joins, push/pull, TCP pings, reliable messages) are reliable and take no
 * virtual time; they fail only across a partition or to a crashed node. Encryption, compression and
 * every codec run as in production, but the nonces of AES-GCM come from the JDK's secure random,
 * so encrypted payloads differ between runs (their lengths, and hence the trace, do not).
 *
 * <p>Blocking calls of the API ({@code join}, {@code leave}, {@code setTags}, {@code shutdown})
 * may be made between runs or from inside an event sink: a call that waits runs the simulation
 * forward while it waits. Not thread-safe: one thread drives a simulation.
 */
public final class Simulation implements AutoCloseable {
    private final EventLoop loop;
    private final Trace trace;
    private final SimNetwork network;
    private final Duration checkInterval;
    private final SimNodes nodes;
    private boolean closed;

    private Simulation(Builder b) {
        this.loop = new EventLoop(Thread.currentThread(), System.getLogger("serf.sim"));
        this.trace = new Trace(b.traceLines);
        this.network = new SimNetwork(loop, new Random(b.seed), trace, b.link);
        this.checkInterval = b.checkInterval;
        this.nodes = new SimNodes(b.seed, loop, network, b.epoch, b.nodeLogger);
    }

    /** {@return a new builder: seed 0, {@link LinkProfile#lan()} links, conditions checked every 10 ms of virtual time} */
    public static Builder builder() {
        return new Builder();
    }

    /** How a simulation is set up. */
    public static final class Builder {
        private long seed;
        private LinkProfile link = LinkProfile.lan();
        private Consumer<String> traceLines;
        private Instant epoch = Instant.parse("2026-01-01T00:00:00Z");
        private Duration checkInterval = Duration.ofMillis(10);
        private System.Logger nodeLogger = System.getLogger("serf.sim.node");

        private Builder() {
        }

        /**
         * The seed every random choice derives from.
         *
         * @param v the seed
         * @return this builder
         */
        public Builder seed(long v) { seed = v; return this; }

        /**
         * What every link does unless {@link Simulation#link} says otherwise.
         *
         * @param v the default link profile
         * @return this builder
         */
        public Builder link(LinkProfile v) { link = Objects.requireNonNull(v); return this; }

        /**
         * Receives one line per network step (for debugging; a large run makes many).
         *
         * @param v the receiver of trace lines, or null
         * @return this builder
         */
        public Builder traceLines(Consumer<String> v) { traceLines = v; return this; }

        /**
         * The wall-clock instant virtual time 0 stands for.
         *
         * @param v the instant
         * @return this builder
         */
        public Builder epoch(Instant v) { epoch = Objects.requireNonNull(v); return this; }

        /**
         * How often {@link Simulation#runUntil} evaluates its condition, in virtual time.
         *
         * @param v the check interval, positive
         * @return this builder
         */
        public Builder checkInterval(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("checkInterval must be positive");
            }
            checkInterval = v;
            return this;
        }

        /**
         * The logger nodes get unless their configuration names another (default {@code serf.sim.node}).
         *
         * @param v the logger
         * @return this builder
         */
        public Builder nodeLogger(System.Logger v) { nodeLogger = Objects.requireNonNull(v); return this; }

        /** {@return a new simulation with these settings, no nodes yet} */
        public Simulation build() {
            return new Simulation(this);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Nodes
    // ------------------------------------------------------------------------------------------

    /**
     * Starts a Serf node with the defaults ({@link serf.api.Config#defaults()}, LAN memberlist).
     *
     * @param name the node's name, unique in the simulation
     * @return the running node
     * @throws IOException when the node cannot start
     */
    public Serf addSerf(String name) throws IOException {
        return addSerf(name, c -> { });
    }

    /**
     * Starts a Serf node. {@code customize} sees a fresh {@link serf.api.Config#defaults()} (with a
     * {@link serf.memberlist.MemberlistConfig#lan()} memberlist config) named {@code name}, and may set anything;
     * the simulation then supplies the node's transport, scheduler, clock and random source.
     *
     * @param name the node's name, unique in the simulation
     * @param customize changes the configuration before the node starts
     * @return the running node
     * @throws IOException when the node cannot start
     */
    public Serf addSerf(String name, Consumer<serf.api.Config> customize) throws IOException {
        checkOpen();
        return nodes.startSerf(name, customize);
    }

    /**
     * Starts a bare memberlist node; {@code customize} sees a {@link serf.memberlist.MemberlistConfig#lan()} config.
     *
     * @param name the node's name, unique in the simulation
     * @param customize changes the configuration before the node starts
     * @return the running node
     * @throws IOException when the node cannot start
     */
    public Memberlist addMemberlist(String name, Consumer<serf.memberlist.MemberlistConfig> customize) throws IOException {
        checkOpen();
        return nodes.startMemberlist(name, customize);
    }

    /**
     * {@return the address of node {@code name} (what another node joins)}
     *
     * @param name a node's name
     */
    public InetSocketAddress address(String name) {
        return node(name).address();
    }

    /**
     * {@link #address} as {@code "10.0.0.1:7946"}, the form {@code Serf.join} takes.
     *
     * @param name a node's name
     * @return the address as {@code ip:port} text
     */
    public String joinAddress(String name) {
        return serf.wire.HostPort.of(address(name));
    }

    /**
     * {@return the Serf running as {@code name}, or null if it is a bare memberlist node}
     *
     * @param name a node's name
     */
    public Serf serf(String name) {
        return node(name).serf;
    }

    /**
     * {@return the memberlist node {@code name} was started as by {@link #addMemberlist}, or null for a Serf node}
     *
     * @param name a node's name
     */
    public Memberlist memberlist(String name) {
        return node(name).memberlist;
    }

    /** {@return every node's name, in the order they were added} */
    public List<String> nodeNames() {
        return nodes.names();
    }

    private SimNode node(String name) {
        return nodes.get(name);
    }

    /**
     * Makes every running node know every other, as a cluster long past its joins does: each node merges
     * the others' alive states as it would merge them from a push/pull (so memberlist's event delegate
     * runs, and a Serf node gets a member-join event, for every member), and none of it is gossiped: such a
     * cluster finished the gossip of its joins long ago. No packet is sent and no
     * virtual time passes; Serf's join intents are not sent, so the members' status Lamport times stay 0.
     *
     * <p>It lets a large cluster's steady state, faults and event spread be studied without paying for
     * its joins, in which every node re-gossips every member it learns RetransmitMult × ⌈log10(N+1)⌉
     * times: N² × 20 messages at 10,000 nodes. Meant for the start of a run, right after adding the
     * nodes: it empties every node's memberlist broadcast queue, which then holds only the node's
     * announcement of itself (later, it would also hold suspicions and deaths on their way).
     */
    public void converge() {
        checkOpen();
        List<Memberlist> running = new ArrayList<>();
        for (String name : nodes.names()) {
            SimNode n = node(name);
            if (!n.crashed()) {
                running.add(n.serf != null ? n.serf.memberlist() : n.memberlist);
            }
        }
        ClusterSeeding.Door door = ClusterSeeding.door();
        List<Object> states = new ArrayList<>(running.size());
        for (Memberlist m : running) {
            states.add(door.selfState(m));
        }
        for (Memberlist m : running) {
            door.learn(m, states);
            // Deliver what the merge set off (Serf's member events) before the next node adds as much.
            loop.runUntil(loop.now());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Time
    // ------------------------------------------------------------------------------------------

    /**
     * Virtual time since the simulation began.
     *
     * @return the virtual time elapsed
     */
    public Duration elapsed() {
        return Duration.ofNanos(loop.now());
    }

    /**
     * Runs everything due in the next {@code d} of virtual time.
     *
     * @param d how much virtual time to run
     */
    public void runFor(Duration d) {
        checkOpen();
        loop.runUntil(loop.now() + d.toNanos());
    }

    /**
     * Runs until {@code done} holds (checked every check interval of virtual time, see
     * {@link Builder#checkInterval}) or {@code limit} has passed; returns whether it held.
     *
     * @param done the condition
     * @param limit the most virtual time to run
     * @return true if the condition held in time
     */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        checkOpen();
        long deadline = loop.now() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (loop.now() >= deadline) {
                return false;
            }
            loop.runUntil(Math.min(deadline, loop.now() + checkInterval.toNanos()));
        }
        return true;
    }

    /**
     * Runs {@code action} after {@code delay} of virtual time, on the simulation's thread.
     *
     * @param delay how long to wait in virtual time
     * @param action what to run
     */
    public void schedule(Duration delay, Runnable action) {
        checkOpen();
        loop.at(loop.now() + Math.max(0, delay.toNanos()), null, action);
    }

    // ------------------------------------------------------------------------------------------
    // Faults
    // ------------------------------------------------------------------------------------------

    /**
     * Splits the network: the nodes of each group reach only each other; nodes named in no group
     * form one more group together. Replaces any earlier partition. Packets already in flight arrive.
     *
     * @param groups the groups of node names
     */
    @SafeVarargs
    public final void partition(Collection<String>... groups) {
        nodes.partition(groups);
    }

    /** Ends any partition. */
    public void heal() {
        nodes.heal();
    }

    /**
     * What packets from {@code from} to {@code to} go through from now on (one direction).
     *
     * @param from the sending node's name
     * @param to the receiving node's name
     * @param profile what the link does
     */
    public void link(String from, String to, LinkProfile profile) {
        network.link(node(from), node(to), Objects.requireNonNull(profile));
    }

    /**
     * What every link not set by {@link #link(String, String, LinkProfile)} does from now on.
     *
     * @param profile what the links do
     */
    public void defaultLink(LinkProfile profile) {
        network.defaultLink(Objects.requireNonNull(profile));
    }

    /** Forgets every per-link setting. */
    public void clearLinks() {
        network.clearLinks();
    }

    /**
     * Crashes {@code name}: from now on it sends nothing, receives nothing and none of its pending
     * timers or work runs, as if the process had been killed. Its objects stay for inspection.
     *
     * @param name the node's name
     */
    public void crash(String name) {
        SimNode n = node(name);
        n.crash();
        n.transport.close();
    }

    /**
     * {@return whether {@code name} was crashed}
     *
     * @param name a node's name
     */
    public boolean crashed(String name) {
        return node(name).crashed();
    }

    // ------------------------------------------------------------------------------------------
    // Observation
    // ------------------------------------------------------------------------------------------

    /** {@return a digest of every network step so far, in order: equal for equal runs} */
    public long traceDigest() {
        return trace.digest();
    }

    /**
     * Adds a line of your own to the trace (and its digest), stamped with the virtual time.
     *
     * @param text the text
     */
    public void note(String text) {
        trace.note(loop.now(), text);
    }

    /**
     * Entries in the trace so far.
     *
     * @return the count so far
     */
    public long traceEntries() {
        return trace.entries();
    }

    /** {@return what the network has carried} */
    public NetworkStats network() {
        return network.stats();
    }

    /**
     * Events (timers, work, deliveries) run so far.
     *
     * @return the count so far
     */
    public long eventsRun() {
        return loop.executed();
    }

    /**
     * Events pending.
     *
     * @return the number now
     */
    public int eventsPending() {
        return loop.pending();
    }

    /**
     * Node tasks that threw (each is logged; the simulation goes on).
     *
     * @return the count so far
     */
    public long taskFailures() {
        return loop.taskFailures();
    }

    /**
     * Events queued from a thread other than the simulation's: should be 0. Anything else means a
     * node started a thread of its own, and the run is no longer deterministic.
     *
     * @return the count so far
     */
    public long foreignThreadCalls() {
        return loop.foreignThreadCalls();
    }

    /** Shuts every node that did not crash down (without leaving). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        List<Exception> failures = nodes.shutdownAll();
        closed = true;
        if (!failures.isEmpty()) {
            System.getLogger("serf.sim").log(System.Logger.Level.WARNING,
                    "simulation: " + failures.size() + " nodes failed to shut down, first: " + failures.get(0));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("simulation closed");
        }
    }
}
