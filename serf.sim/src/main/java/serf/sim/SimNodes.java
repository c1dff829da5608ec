package serf.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import serf.api.Serf;
import serf.memberlist.Memberlist;
import serf.memberlist.MemberlistConfig;

/**
 * The nodes of a {@link Simulation}, by name in the order they were added: each one's simulated
 * address, scheduler, transport and seeded random source, the partition group it is in, and
 * starting and stopping them.
 */
final class SimNodes {
    private static final int PORT = 7946;

    private final long seed;
    private final EventLoop loop;
    private final SimNetwork network;
    private final Instant epoch;
    private final System.Logger nodeLogger;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    /**
     * The nodes' input budget: their own, not the process-wide one, which other code of the process
     * (threads the simulation does not drive) could draw on and so change a run.
     */
    private final serf.wire.InputBudget budget = serf.wire.InputBudget.ofBytes(Runtime.getRuntime().maxMemory() / 4);

    SimNodes(long seed, EventLoop loop, SimNetwork network, Instant epoch, System.Logger nodeLogger) {
        this.seed = seed;
        this.loop = loop;
        this.network = network;
        this.epoch = epoch;
        this.nodeLogger = nodeLogger;
    }

    /** Starts a Serf node; see {@link Simulation#addSerf(String, Consumer)}. */
    Serf startSerf(String name, Consumer<serf.api.Config> customize) throws IOException {
        SimNode node = add(name);
        serf.api.Config c = serf.api.Config.defaults().nodeName(name).logger(nodeLogger)
                .memberlistConfig(MemberlistConfig.lan().logger(nodeLogger));
        customize.accept(c);
        c.nodeName(name).memberlistConfig(simulated(c.memberlistConfig(), node));
        node.serf = Serf.create(c);
        return node.serf;
    }

    /** Starts a bare memberlist node; see {@link Simulation#addMemberlist}. */
    Memberlist startMemberlist(String name, Consumer<MemberlistConfig> customize) throws IOException {
        SimNode node = add(name);
        MemberlistConfig c = MemberlistConfig.lan().logger(nodeLogger);
        customize.accept(c);
        node.memberlist = Memberlist.create(simulated(c, node));
        return node.memberlist;
    }

    private SimNode add(String name) {
        if (nodes.containsKey(Objects.requireNonNull(name))) {
            throw new IllegalArgumentException("a node named " + name + " exists already");
        }
        int index = nodes.size();
        SimNode node = new SimNode(name, index, addressFor(index));
        node.scheduler = new SimScheduler(loop, node, epoch);
        node.transport = new SimTransport(node, network);
        nodes.put(name, node);
        network.add(node);
        return node;
    }

    private MemberlistConfig simulated(MemberlistConfig c, SimNode node) {
        return c.copy().name(node.name()).transport(node.transport).scheduler(node.scheduler).inputBudget(budget)
                .random(new Random(seed * 0x9E3779B97F4A7C15L + node.index() + 1));
    }

    /** Node i lives at 10.0.0.0 + i + 1, port 7946. */
    private static InetSocketAddress addressFor(int index) {
        int ip = 0x0A000000 + index + 1;
        byte[] b = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(b), PORT);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** The node called {@code name}; an IllegalArgumentException when there is none. */
    SimNode get(String name) {
        SimNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node named " + name);
        }
        return n;
    }

    List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    /** Puts each group's nodes in a group of their own, the rest together; see {@link Simulation#partition}. */
    void partition(Collection<String>[] groups) {
        Set<String> seen = new HashSet<>();
        heal();
        int g = 1;
        for (Collection<String> group : groups) {
            for (String name : group) {
                if (!seen.add(name)) {
                    throw new IllegalArgumentException(name + " is in two groups");
                }
                get(name).group = g;
            }
            g++;
        }
    }

    void heal() {
        for (SimNode n : nodes.values()) {
            n.group = 0;
        }
    }

    /** Shuts every node that did not crash down (without leaving); returns what failed. */
    List<Exception> shutdownAll() {
        List<Exception> failures = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (n.crashed()) {
                continue;
            }
            try {
                if (n.serf != null) {
                    n.serf.shutdown();
                } else if (n.memberlist != null) {
                    n.memberlist.shutdown();
                }
            } catch (Exception e) {
                failures.add(e);
            }
        }
        return failures;
    }
}
