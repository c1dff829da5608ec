package serf.memberlist.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * An in-memory network of {@link Transport}s for tests: hundreds of nodes in one JVM, with faults that
 * can be changed while it runs.
 *
 * <p>Addresses are fake: {@link #transport(String)} with a name hands out the next free address of
 * {@code 10.0.0.0/8} (carrying the name as host name, so logs read well) on port {@value #DEFAULT_PORT};
 * with an IP literal it uses that address. They only serve as keys here and never reach a real network.
 *
 * <p>Packets: each send is checked against node-down flags and partitions, then dropped with the link's
 * loss probability, then delayed by the link's delay plus jitter (which reorders) and delivered to the
 * target's inbox, drained by one virtual thread per node (see {@link MemoryTransport}). Delayed packets
 * wait in one {@link DelayQueue} drained by one virtual thread per network, which only moves them to
 * inboxes and so never waits on a handler. Reachability is checked again on delivery.
 *
 * <p>Streams: pairs of bounded in-memory pipes. A dial to an unknown, closed, down or partitioned address
 * fails at once with {@link ConnectException}. Open streams survive faults, but bytes written while the
 * link is cut are lost, so the reader runs into its deadline. Streams are not subject to loss or delay.
 *
 * <p>Randomness comes from one {@link Random} seeded at creation: a given sequence of sends under a given
 * configuration is dropped and delayed the same way on every run (concurrent senders interleave as the
 * scheduler lets them, which no seed can fix).
 */
public final class MemoryNetwork implements AutoCloseable {

    /** The port of addresses handed out by name. */
    public static final int DEFAULT_PORT = 7946;

    /** Packets that may wait out their delay at once, network-wide; beyond this they are dropped. */
    static final int MAX_DELAYED_PACKETS = 1 << 17;

    private static final AtomicInteger NETWORK_IDS = new AtomicInteger();
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F.:%]*:[0-9a-fA-F.:%]*");
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final int id = NETWORK_IDS.incrementAndGet();
    private final Random random;
    private final System.Logger logger = System.getLogger(MemoryNetwork.class.getName());
    private final Map<InetSocketAddress, MemoryTransport> nodes = new ConcurrentHashMap<>();
    private final Set<InetSocketAddress> down = ConcurrentHashMap.newKeySet();
    private final List<Partition> partitions = new CopyOnWriteArrayList<>();
    private final Map<Link, LinkFaults> linkFaults = new ConcurrentHashMap<>();
    private volatile LinkFaults defaultFaults = LinkFaults.NONE;
    private final DelayQueue<DelayedPacket> delayed = new DelayQueue<>();
    private final AtomicInteger delayedCount = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger nextHost = new AtomicInteger();
    private final OwnedThreads threads = new OwnedThreads();
    private final AtomicBoolean closed = new AtomicBoolean();

    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder packetsDelivered = new LongAdder();
    private final LongAdder droppedLost = new LongAdder();
    private final LongAdder droppedUnreachable = new LongAdder();
    private final LongAdder droppedOverflow = new LongAdder();
    private final LongAdder droppedOther = new LongAdder();
    private final LongAdder streamsOpened = new LongAdder();
    private final LongAdder streamsRefused = new LongAdder();

    private record Link(InetSocketAddress from, InetSocketAddress to) {
    }

    private record DelayedPacket(long dueNanos, long sequence, InetSocketAddress from, InetSocketAddress to,
            byte[] payload) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            DelayedPacket that = (DelayedPacket) other;
            int byDue = Long.compare(dueNanos - that.dueNanos, 0);
            return byDue != 0 ? byDue : Long.compare(sequence, that.sequence);
        }
    }

    private MemoryNetwork(long seed) {
        this.random = new Random(seed);
        threads.start("memberlist-mem-" + id + "-scheduler", this::deliverDelayed);
    }

    /**
     * {@return a new network whose loss and delay draws come from {@code seed}}
     *
     * @param seed the seed of every random draw
     */
    public static MemoryNetwork create(long seed) {
        return new MemoryNetwork(seed);
    }

    int id() {
        return id;
    }

    System.Logger logger() {
        return logger;
    }

    // ---------------------------------------------------------------- nodes

    /** {@return a transport on the next free address of 10.0.0.0/8, port {@value #DEFAULT_PORT}} */
    public Transport transport() {
        return transport((String) null);
    }

    /**
     * {@return a transport for {@code host}: an IP literal is used as the address (port {@value #DEFAULT_PORT});
     * any other name gets the next free address of 10.0.0.0/8 with that host name attached}
     *
     * @throws IllegalStateException if the address is already taken or the network is closed
     * @param host an IP literal or a host name
     */
    public Transport transport(String host) {
        if (host != null && IP_LITERAL.matcher(host).matches()) {
            try {
                return transport(new InetSocketAddress(InetAddress.getByName(host), DEFAULT_PORT));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + host, e);
            }
        }
        while (true) {
            InetSocketAddress candidate = nextFreeAddress(host);
            MemoryTransport transport = tryRegister(candidate);
            if (transport != null) {
                return transport;
            }
        }
    }

    /**
     * {@return a transport on exactly {@code address}} After the transport on an address is closed, the address
     * may be used again (a restarted node).
     *
     * @throws IllegalStateException if the address is already taken or the network is closed
     * @param address the address the transport gets
     */
    public Transport transport(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        MemoryTransport transport = tryRegister(address);
        if (transport == null) {
            throw new IllegalStateException("address in use: " + address);
        }
        return transport;
    }

    private InetSocketAddress nextFreeAddress(String host) {
        while (true) {
            int n = nextHost.incrementAndGet();
            int last = n & 0xff;
            if (last == 0 || last == 255 || n >= 1 << 24) {
                if (n >= 1 << 24) {
                    throw new IllegalStateException("out of addresses");
                }
                continue;
            }
            byte[] ip = {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
            InetSocketAddress candidate;
            try {
                candidate = new InetSocketAddress(InetAddress.getByAddress(host, ip), DEFAULT_PORT);
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
            if (!nodes.containsKey(candidate)) {
                return candidate;
            }
        }
    }

    private MemoryTransport tryRegister(InetSocketAddress address) {
        if (closed.get()) {
            throw new IllegalStateException("network closed");
        }
        MemoryTransport transport = new MemoryTransport(this, address);
        if (nodes.putIfAbsent(address, transport) != null) {
            return null;
        }
        try {
            transport.startReceiving();
        } catch (RuntimeException e) {
            nodes.remove(address, transport);
            throw new IllegalStateException("network closed", e);
        }
        if (closed.get()) {
            transport.close(); // raced with close()
            throw new IllegalStateException("network closed");
        }
        return transport;
    }

    void unregister(MemoryTransport transport) {
        nodes.remove(transport.advertiseAddress(), transport);
    }

    /** {@return the addresses of the transports currently open on this network} */
    public Set<InetSocketAddress> addresses() {
        return Set.copyOf(nodes.keySet());
    }

    // ---------------------------------------------------------------- faults

    /**
     * Faults of every link without its own setting.
     *
     * @param faults the faults
     */
    public void setDefaultFaults(LinkFaults faults) {
        this.defaultFaults = Objects.requireNonNull(faults, "faults");
    }

    /** {@return the faults of every link without its own setting} */
    public LinkFaults defaultFaults() {
        return defaultFaults;
    }

    /**
     * Faults of the directed link {@code from → to}, replacing the default there.
     *
     * @param from the sending side
     * @param to the receiving side
     * @param faults the faults of that direction
     */
    public void setLinkFaults(InetSocketAddress from, InetSocketAddress to, LinkFaults faults) {
        linkFaults.put(new Link(from, to), Objects.requireNonNull(faults, "faults"));
    }

    /**
     * Lets the directed link {@code from → to} follow the default faults again.
     *
     * @param from the sending side
     * @param to the receiving side
     */
    public void clearLinkFaults(InetSocketAddress from, InetSocketAddress to) {
        linkFaults.remove(new Link(from, to));
    }

    /**
     * Faults in force on the directed link {@code from → to}.
     *
     * @param from the sending side
     * @param to the receiving side
     * @return the link's own faults, or the default ones
     */
    public LinkFaults faults(InetSocketAddress from, InetSocketAddress to) {
        return linkFaults.getOrDefault(new Link(from, to), defaultFaults);
    }

    /**
     * Cuts every link between a node of {@code sideA} and a node of {@code sideB}, both ways.
     *
     * @param sideA one side
     * @param sideB the other side
     * @return the partition, to pass to {@link #heal}
     */
    public Partition partition(Collection<InetSocketAddress> sideA, Collection<InetSocketAddress> sideB) {
        Partition partition = new Partition(Set.copyOf(sideA), Set.copyOf(sideB));
        partitions.add(partition);
        return partition;
    }

    /**
     * Cuts {@code node} off from every other node now on the network.
     *
     * @param node the node to cut off
     * @return the partition, to pass to {@link #heal}
     */
    public Partition isolate(InetSocketAddress node) {
        Set<InetSocketAddress> others = new HashSet<>(nodes.keySet());
        others.remove(node);
        return partition(Set.of(node), others);
    }

    /**
     * Removes one partition.
     *
     * @param partition a partition this network returned
     */
    public void heal(Partition partition) {
        partitions.remove(partition);
    }

    /** Removes every partition. */
    public void heal() {
        partitions.clear();
    }

    /**
     * Marks a node down (every packet to or from it dropped, dials to or from it refused) or up again.
     * The node's transport stays open: this is a crashed or unplugged host, not a closed one.
     *
     * @param node the node's address
     * @param isDown true to take it down, false to bring it back
     */
    public void setDown(InetSocketAddress node, boolean isDown) {
        if (isDown) {
            down.add(node);
        } else {
            down.remove(node);
        }
    }

    /**
     * {@return true while {@code node} is marked down}
     *
     * @param node the node's address
     */
    public boolean isDown(InetSocketAddress node) {
        return down.contains(node);
    }

    /**
     * {@return whether a packet or stream from {@code from} would reach {@code to} now (faults aside)}
     *
     * @param from the sending side
     * @param to the receiving side
     */
    public boolean canReach(InetSocketAddress from, InetSocketAddress to) {
        if (closed.get() || !nodes.containsKey(to) || down.contains(from) || down.contains(to)) {
            return false;
        }
        for (Partition partition : partitions) {
            if (partition.separates(from, to)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- traffic

    void route(InetSocketAddress from, byte[] payload, InetSocketAddress to) {
        packetsSent.increment();
        if (payload.length == 0) {
            droppedOther.increment(); // the receiving transport would reject it, as UDP does
            return;
        }
        if (!canReach(from, to)) {
            droppedUnreachable.increment();
            return;
        }
        LinkFaults faults = faults(from, to);
        if (faults.lossProbability() > 0 && random.nextDouble() < faults.lossProbability()) {
            droppedLost.increment();
            return;
        }
        long delayNanos = saturatedNanos(faults.delay());
        long jitterNanos = saturatedNanos(faults.jitter());
        if (jitterNanos > 0) {
            delayNanos += random.nextLong(jitterNanos);
        }
        byte[] copy = payload.clone();
        if (delayNanos <= 0) {
            deliver(from, to, copy);
            return;
        }
        if (delayedCount.incrementAndGet() > MAX_DELAYED_PACKETS) {
            delayedCount.decrementAndGet();
            droppedOverflow.increment();
            return;
        }
        delayed.put(new DelayedPacket(System.nanoTime() + delayNanos, sequence.incrementAndGet(), from, to, copy));
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return Math.min(duration.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    private void deliver(InetSocketAddress from, InetSocketAddress to, byte[] payload) {
        MemoryTransport target = nodes.get(to);
        if (target == null || !canReach(from, to)) {
            droppedUnreachable.increment();
            return;
        }
        if (!target.enqueue(payload, from)) {
            droppedOverflow.increment();
        }
    }

    private void deliverDelayed() {
        while (!closed.get()) {
            DelayedPacket packet;
            try {
                packet = delayed.take();
            } catch (InterruptedException e) {
                return; // closing
            }
            delayedCount.decrementAndGet();
            deliver(packet.from(), packet.to(), packet.payload());
        }
    }

    StreamConnection connect(MemoryTransport dialer, InetSocketAddress to) throws IOException {
        InetSocketAddress from = dialer.advertiseAddress();
        MemoryTransport target = nodes.get(to);
        if (target == null || !canReach(from, to)) {
            streamsRefused.increment();
            throw new ConnectException("Connection refused: " + to
                    + (target == null ? " (no such node)" : " (node down or partitioned)"));
        }
        try {
            return target.accept(dialer);
        } catch (ConnectException e) {
            streamsRefused.increment();
            throw e;
        }
    }

    void countDelivered() {
        packetsDelivered.increment();
    }

    void countNotStarted() {
        droppedOther.increment();
    }

    void countStreamOpened() {
        streamsOpened.increment();
    }

    void countStreamRefused() {
        streamsRefused.increment();
    }

    /** {@return what the network has carried and dropped so far} */
    public MemoryNetworkStats stats() {
        return new MemoryNetworkStats(packetsSent.sum(), packetsDelivered.sum(), droppedLost.sum(),
                droppedUnreachable.sum(), droppedOverflow.sum(), droppedOther.sum(), delayedCount.get(),
                streamsOpened.sum(), streamsRefused.sum(), nodes.size());
    }

    /** Closes every transport still open and ends the delivery thread. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (MemoryTransport transport : List.copyOf(nodes.values())) {
            transport.close();
        }
        threads.shutDown(CLOSE_WAIT);
        delayed.clear();
        delayedCount.set(0);
    }

    /** Threads of the network itself (not of its transports) still running (for tests). */
    List<Thread> liveThreads() {
        return threads.alive();
    }

    @Override
    public String toString() {
        return "MemoryNetwork#" + id + nodes.keySet();
    }
}
