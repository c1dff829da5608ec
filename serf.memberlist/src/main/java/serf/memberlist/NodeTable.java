package serf.memberlist;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import serf.memberlist.internal.msg.Message;

/**
 * The nodes a node knows (Go's nodes and nodeMap), guarded by the state lock: the probe rotation,
 * the random choices of gossip and push/pull peers, and the snapshots readers get. The rules that
 * change the records are {@link MembershipState}'s, under the same lock.
 */
final class NodeTable {
    private final String self;
    private final MemberlistConfig config;
    private final Clock clock;
    private final RandomGenerator random;
    final ReentrantLock lock = new ReentrantLock();
    private final List<NodeRecord> nodes = new ArrayList<>();
    private final NodeIndex nodeMap = new NodeIndex();
    private final AtomicInteger numNodes = new AtomicInteger();
    private int probeIndex;

    NodeTable(MemberlistConfig config) {
        this.config = config;
        this.self = config.name();
        this.clock = config.clock();
        this.random = config.random();
    }

    /** Estimated cluster size for timeouts and retransmit limits: every node in the table. */
    int estimatedNumNodes() {
        return numNodes.get();
    }

    /** The record of {@code name} or null; the caller holds the lock. */
    NodeRecord get(String name) {
        return nodeMap.get(name);
    }

    /** Adds a new record at a random position, so that probe order differs across nodes; under the lock. */
    void add(NodeRecord state) {
        nodeMap.put(state);
        int n = nodes.size();
        int offset = n == 0 ? 0 : random.nextInt(n + 1);
        nodes.add(state);
        Collections.swap(nodes, offset, n);
        numNodes.incrementAndGet();
    }

    /** The records in table order; the caller holds the lock. */
    List<NodeRecord> records() {
        return nodes;
    }

    Node node(String name) {
        lock.lock();
        try {
            NodeRecord n = nodeMap.get(name);
            return n == null ? null : n.snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** The incarnation held for {@code name}, or -1 if unknown. */
    long incarnationOf(String name) {
        lock.lock();
        try {
            NodeRecord n = nodeMap.get(name);
            return n == null ? -1 : n.incarnation;
        } finally {
            lock.unlock();
        }
    }

    /** Every node, or only those not dead or left. */
    List<Node> nodes(boolean live) {
        lock.lock();
        try {
            List<Node> out = new ArrayList<>(nodes.size());
            for (NodeRecord n : nodes) {
                if (!live || !n.deadOrLeft()) {
                    out.add(n.snapshot());
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    int numMembers() {
        lock.lock();
        try {
            int alive = 0;
            for (NodeRecord n : nodes) {
                if (!n.deadOrLeft()) {
                    alive++;
                }
            }
            return alive;
        } finally {
            lock.unlock();
        }
    }

    boolean anyAlive() {
        lock.lock();
        try {
            return anyAliveLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a node named {@code name} is known and speaks protocol 5 (CRC on packets). */
    boolean knownWithCrc(String name) {
        lock.lock();
        try {
            NodeRecord n = nodeMap.get(name);
            return n != null && n.pMax() >= 5;
        } finally {
            lock.unlock();
        }
    }

    /** The node to probe and what was known of it when chosen. */
    record ProbeTarget(Node node, long incarnation, NodeState state) {
    }

    /** The next node in the probe rotation, skipping self, dead and left ones; null if none (Go's probe). */
    ProbeTarget nextProbeTarget() {
        lock.lock();
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
                if (n.name.equals(self) || n.deadOrLeft()) {
                    continue;
                }
                return new ProbeTarget(n.snapshot(), n.incarnation, n.state);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #resetNodesLocked()} on its own (the probe rotation calls it at the end of each round). */
    void resetNodes() {
        lock.lock();
        try {
            resetNodesLocked();
        } finally {
            lock.unlock();
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

    /**
     * Up to {@code k} random distinct nodes for which {@code exclude} is false. Like Go's kRandomNodes it
     * first draws 3n times at random; unlike it, when those draws found fewer than {@code k} while more are
     * eligible, it fills the rest from one pass over the table, so a small cluster never misses a peer for a
     * round by chance (with 3 nodes, Go's draws leave out one of the two peers in ~5% of rounds).
     */
    List<Node> randomNodes(int k, Predicate<NodeRecord> exclude) {
        lock.lock();
        try {
            int n = nodes.size();
            List<NodeRecord> out = new ArrayList<>(k);
            for (int i = 0; i < 3 * n && out.size() < k; i++) {
                NodeRecord cand = nodes.get(random.nextInt(n));
                if (!exclude.test(cand) && !out.contains(cand)) {
                    out.add(cand);
                }
            }
            if (out.size() < k) {
                fillByReservoir(out, k, exclude);
            }
            List<Node> snapshots = new ArrayList<>(out.size());
            for (NodeRecord r : out) {
                snapshots.add(r.snapshot());
            }
            return snapshots;
        } finally {
            lock.unlock();
        }
    }

    /** Adds uniformly chosen eligible nodes not yet in {@code out} until it holds {@code k} or none is left. */
    private void fillByReservoir(List<NodeRecord> out, int k, Predicate<NodeRecord> exclude) {
        int have = out.size();
        int want = k - have;
        int seen = 0;
        for (NodeRecord cand : nodes) {
            if (exclude.test(cand) || out.subList(0, have).contains(cand)) {
                continue;
            }
            seen++;
            if (seen <= want) {
                out.add(cand);
            } else {
                int slot = random.nextInt(seen);
                if (slot < want) {
                    out.set(have + slot, cand);
                }
            }
        }
    }

    /** Gossip targets: alive and suspect nodes, and the dead for GossipToTheDeadTime. */
    List<Node> gossipTargets() {
        long deadCutoff = config.gossipToTheDeadTime().toNanos();
        long now = clock.nanoTime();
        return randomNodes(config.gossipNodes(), n -> {
            if (n.name.equals(self)) {
                return true;
            }
            return switch (n.state) {
                case ALIVE, SUSPECT -> false;
                case DEAD -> now - n.stateChangeNanos > deadCutoff;
                case LEFT -> true;
            };
        });
    }

    /** Every node's state, as a push/pull sends it. */
    List<Message.PushNodeState> pushStates() {
        lock.lock();
        try {
            List<Message.PushNodeState> states = new ArrayList<>(nodes.size());
            for (NodeRecord n : nodes) {
                states.add(pushState(n));
            }
            return states;
        } finally {
            lock.unlock();
        }
    }

    /** This node's own state, as a push/pull sends it. */
    Message.PushNodeState selfPushState() {
        lock.lock();
        try {
            return pushState(nodeMap.get(self));
        } finally {
            lock.unlock();
        }
    }

    private static Message.PushNodeState pushState(NodeRecord n) {
        return new Message.PushNodeState(n.name, n.addr.getAddress(), n.port, n.meta, n.incarnation, n.state.code(),
                n.versions());
    }

    /** Whether another node than this one is neither dead nor left; the caller holds the lock. */
    boolean anyAliveLocked() {
        for (NodeRecord n : nodes) {
            if (!n.deadOrLeft() && !n.name.equals(self)) {
                return true;
            }
        }
        return false;
    }

    /** Go's verifyProtocol over the remote states and ours; the error text, or null when compatible. */
    String verifyProtocol(List<Message.PushNodeState> remote) {
        List<ProtocolVersions.Versions> local = new ArrayList<>();
        lock.lock();
        try {
            for (NodeRecord n : nodes) {
                local.add(new ProtocolVersions.Versions(n.name, n.state == NodeState.ALIVE, n.versions()));
            }
        } finally {
            lock.unlock();
        }
        return ProtocolVersions.verify(remote, local);
    }
}
