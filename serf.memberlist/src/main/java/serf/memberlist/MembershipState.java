package serf.memberlist;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;

/**
 * The node table and the SWIM state machine (Go's state.go): alive, suspect, dead, refute and
 * merge, with the incarnation, Lifeguard's awareness and the broadcast queue the changes go to.
 * No I/O and no threads: each input (a message, a timer firing, a call from the API) is applied
 * at the instant the node's {@link Clock} gives; what follows from it is recorded for others to
 * carry out: broadcasts on {@link #broadcasts()}, suspicion timeouts on the
 * {@link SuspicionScheduler}, delegate calls made after the state lock is released (in order).
 * Only the {@link AliveDelegate} is called under the lock, because its veto decides the change.
 */
final class MembershipState {
    private final MemberlistConfig config;
    private final String self;
    private final Clock clock;
    private final System.Logger log;
    private final LogLimiter limited;
    private final CidrFilter cidrs;
    private final SuspicionScheduler timers;
    private final Awareness awareness;
    private final TransmitLimitedQueue broadcasts;
    private final DeferredNotifications notifications;
    private final NodeMetrics metrics;

    private final NodeTable table;
    private final AliveAdmission admission;
    /** Alive messages for new nodes ignored because {@link MemberlistConfig#maxNodes()} were known. */
    final AtomicLong nodesRefused;
    private final ReentrantLock lock;
    private final Map<String, Suspicion> suspicions = new HashMap<>();
    private boolean closed;
    /** Under the lock, while {@link #mergeSettled} runs: what it learns is not gossiped. */
    private boolean settling;

    private final AtomicLong incarnation = new AtomicLong();
    private final AtomicBoolean leaving = new AtomicBoolean();
    private volatile CountDownLatch leaveBroadcastDone;
    /** For tests: true once a delegate was called with the state lock held by its thread. */
    volatile boolean delegateUnderLock;

    /**
     * @param onDelegateFailure counts a delegate call that threw (the others still run)
     */
    MembershipState(MemberlistConfig config, LogLimiter limited, SuspicionScheduler timers, Runnable onDelegateFailure) {
        this.config = config;
        this.self = config.name();
        this.clock = config.clock();
        this.log = config.logger();
        this.limited = limited;
        this.cidrs = CidrFilter.parse(config.cidrsAllowed());
        this.timers = timers;
        this.table = new NodeTable(config);
        this.admission = new AliveAdmission(config, limited, cidrs);
        this.nodesRefused = admission.nodesRefused;
        this.lock = table.lock;
        this.metrics = new NodeMetrics(config.metrics() != null ? config.metrics() : new serf.memberlist.metrics.Metrics());
        this.awareness = new Awareness(config.awarenessMaxMultiplier(), metrics.healthScore);
        this.broadcasts = new TransmitLimitedQueue(table::estimatedNumNodes, config.retransmitMult());
        this.notifications = new DeferredNotifications(limited, () -> {
            onDelegateFailure.run();
            delegateUnderLock |= lock.isHeldByCurrentThread();
        });
    }

    TransmitLimitedQueue broadcasts() {
        return broadcasts;
    }

    Awareness awareness() {
        return awareness;
    }

    NodeMetrics metrics() {
        return metrics;
    }

    CidrFilter cidrs() {
        return cidrs;
    }

    boolean leaving() {
        return leaving.get();
    }

    NodeTable table() {
        return table;
    }

    private void unlock() {
        lock.unlock();
        notifications.deliver();
    }

    private void notifyLater(Runnable call) {
        notifications.add(() -> {
            delegateUnderLock |= lock.isHeldByCurrentThread();
            call.run();
        });
    }

    // ---- inputs ------------------------------------------------------------------------------

    /** An alive message (Go's aliveNode); {@code bootstrap} for this node's own at start or update. */
    void aliveNode(Message.Alive a, CountDownLatch notify, boolean bootstrap) {
        lock.lock();
        try {
            aliveLocked(a, notify, bootstrap);
        } finally {
            unlock();
        }
    }

    void suspectNode(Message.Suspect s) {
        lock.lock();
        try {
            suspectLocked(s);
        } finally {
            unlock();
        }
    }

    void deadNode(Message.Dead d) {
        lock.lock();
        try {
            deadLocked(d);
        } finally {
            unlock();
        }
    }

    /**
     * The simulator's converged start: other nodes' states merged as a push/pull's are, without gossiping
     * what they teach, then the queue emptied (of this node's announcement of itself at start), as in a
     * cluster whose joins are long past. This node's own state among them changes nothing.
     */
    void mergeSettled(List<Message.PushNodeState> states) {
        lock.lock();
        try {
            settling = true;
            mergeLocked(states);
        } finally {
            settling = false;
            unlock();
        }
        broadcasts.reset();
    }

    /**
     * The node states of a push/pull, already checked (Go's mergeState). Everything it teaches is gossiped,
     * also by a node that is joining and learns the whole cluster here: in a start storm (every node joining
     * one seed at once) those re-gossiped states are what carries the later joiners to the earlier ones.
     * Not gossiping them was measured (docs/benchmarks.md, 2026-12-06 21:43): about half the CPU of 1,000 nodes
     * joining in waves, but the simulated storm of 1,000 took 205 s instead of 42 s to a full view.
     */
    void mergeState(List<Message.PushNodeState> remote) {
        lock.lock();
        try {
            mergeLocked(remote);
        } finally {
            unlock();
        }
    }

    private void mergeLocked(List<Message.PushNodeState> remote) {
        for (Message.PushNodeState r : remote) {
            switch (NodeState.fromCode(r.state())) {
                case ALIVE -> aliveLocked(new Message.Alive(r.incarnation(), r.name(), r.addr(), r.port(), r.meta(), r.vsn()), null, false);
                case LEFT -> deadLocked(new Message.Dead(r.incarnation(), r.name(), r.name()));
                case DEAD, SUSPECT -> suspectLocked(new Message.Suspect(r.incarnation(), r.name(), self));
            }
        }
    }

    /** The suspicion timeout of {@code name} fired: dead if its deadline has passed, else re-armed. */
    void suspicionTimerFired(String name) {
        lock.lock();
        try {
            Suspicion s = suspicions.get(name);
            if (closed || s == null) {
                return;
            }
            if (clock.nanoTime() < s.deadlineNanos()) {
                timers.arm(name, s.deadlineNanos());
                return;
            }
            suspicions.remove(name);
            NodeRecord state = table.get(name);
            if (state == null || state.state != NodeState.SUSPECT) {
                return;
            }
            if (s.k() > 0 && s.confirmations() < s.k()) {
                metrics.degradedTimeout.increment();
            }
            log.log(System.Logger.Level.INFO, "memberlist: Marking " + name + " as failed, suspect timeout reached ("
                    + s.confirmations() + " peer confirmations)");
            deadLocked(new Message.Dead(state.incarnation, name, self));
        } finally {
            unlock();
        }
    }

    /** This node's own alive message, from its current address, meta and versions. */
    void setAlive(InetAddress addr, int port, byte[] meta, byte[] vsn, CountDownLatch notify) {
        lock.lock();
        try {
            aliveLocked(new Message.Alive(nextIncarnation(), self, addr.getAddress(), port, meta, vsn), notify, true);
        } finally {
            unlock();
        }
    }

    /**
     * This node's alive message with new meta and a new incarnation (its versions unchanged);
     * returns whether other nodes are alive to hear it.
     */
    boolean updateLocal(InetAddress addr, int port, byte[] meta, CountDownLatch notify) {
        lock.lock();
        try {
            NodeRecord me = table.get(self);
            aliveLocked(new Message.Alive(nextIncarnation(), self, addr.getAddress(), port, meta, me.versions()), notify, true);
            return table.anyAliveLocked();
        } finally {
            unlock();
        }
    }

    /**
     * Marks this node left and queues the broadcast that says so; {@code done} opens once it has
     * been sent enough. Returns whether other nodes are alive to hear it, or null when already leaving.
     */
    Boolean leave(CountDownLatch done) {
        if (!leaving.compareAndSet(false, true)) {
            return null;
        }
        leaveBroadcastDone = done;
        lock.lock();
        try {
            NodeRecord me = table.get(self);
            if (me == null) {
                return false;
            }
            deadLocked(new Message.Dead(me.incarnation, me.name, me.name));
            return table.anyAliveLocked();
        } finally {
            unlock();
        }
    }

    /** No timeout fires after this. */
    void close() {
        lock.lock();
        try {
            closed = true;
            for (String name : suspicions.keySet()) {
                timers.cancel(name);
            }
            suspicions.clear();
        } finally {
            lock.unlock();
        }
    }

    // ---- the rules ---------------------------------------------------------------------------

    private void aliveLocked(Message.Alive a, CountDownLatch notify, boolean bootstrap) {
        NodeRecord state = table.get(a.node());
        boolean isLocal = a.node().equals(self);
        if (leaving.get() && isLocal) {
            return;
        }
        byte[] vsn = admission.versions(a);
        if (vsn == null) {
            return;
        }
        InetAddress addr = admission.address(a);
        if (addr == null || admission.vetoed(a, addr, vsn)) {
            return;
        }
        boolean updatesNode = false;
        if (state == null) {
            if (!admission.newNodeAllowed(a, addr, table.estimatedNumNodes())) {
                return;
            }
            state = new NodeRecord(a.node(), addr, a.port(), a.meta(), NodeState.DEAD, clock.nanoTime());
            state.setVersions(vsn);
            table.add(state);
        } else if (!state.addr.equals(addr) || state.port != a.port()) {
            if (!admission.addressChangeAllowed(a, addr)) {
                return;
            }
            long reclaim = config.deadNodeReclaimTime().toNanos();
            boolean canReclaim = reclaim > 0 && clock.nanoTime() - state.stateChangeNanos > reclaim;
            if (state.state == NodeState.LEFT || (state.state == NodeState.DEAD && canReclaim)) {
                log.log(System.Logger.Level.INFO, "memberlist: Updating address for left or failed node " + state.name
                        + " from " + state.addr.getHostAddress() + ":" + state.port + " to " + addr.getHostAddress() + ":" + a.port());
                updatesNode = true;
            } else {
                conflict(state, a, addr);
                return;
            }
        }
        if (a.incarnation() <= state.incarnation && !isLocal && !updatesNode) {
            return;
        }
        if (a.incarnation() < state.incarnation && isLocal) {
            return;
        }
        cancelSuspicion(a.node());
        NodeState oldState = state.state;
        byte[] oldMeta = state.meta;
        if (!bootstrap && isLocal) {
            if (a.incarnation() == state.incarnation && Arrays.equals(nullToEmpty(a.meta()), state.meta)
                    && Arrays.equals(vsn, state.versions())) {
                return;
            }
            refute(state, a.incarnation());
            serf.memberlist.internal.jfr.Flight.refute("alive", state.incarnation);
            limited.log(System.Logger.Level.WARNING, "refute", "memberlist: Refuting an alive message for '" + a.node() + "'");
        } else {
            if (!settling) {
                queueNodeBroadcast(state.name, MessageCodec.encode(a), notify);
            }
            state.setVersions(vsn);
            state.incarnation = a.incarnation();
            state.update(addr, a.port(), a.meta()); // keeps the process-wide shared address and meta
            if (state.state != NodeState.ALIVE) {
                state.state = NodeState.ALIVE;
                state.stateChangeNanos = clock.nanoTime();
            }
        }
        metrics.msgAlive.increment();
        EventDelegate events = config.events();
        if (events != null) {
            Node view = state.snapshot();
            if (oldState == NodeState.DEAD || oldState == NodeState.LEFT) {
                notifyLater(() -> events.notifyJoin(view));
            } else if (!Arrays.equals(oldMeta, state.meta)) {
                notifyLater(() -> events.notifyUpdate(view));
            }
        }
    }

    private void conflict(NodeRecord state, Message.Alive a, InetAddress addr) {
        limited.log(System.Logger.Level.ERROR, "conflict-" + state.name, "memberlist: Conflicting address for " + state.name + ". Mine: "
                + state.addr.getHostAddress() + ":" + state.port + " Theirs: " + addr.getHostAddress() + ":" + a.port()
                + " Old state: " + state.state);
        ConflictDelegate conflict = config.conflict();
        if (conflict != null) {
            Node other = new Node(a.node(), addr, a.port(), a.meta(), NodeState.ALIVE, 0, 0, 0, 0, 0, 0);
            Node existing = state.snapshot();
            notifyLater(() -> conflict.notifyConflict(existing, other));
        }
    }

    private void suspectLocked(Message.Suspect s) {
        NodeRecord state = table.get(s.node());
        if (state == null || s.incarnation() < state.incarnation) {
            return;
        }
        Suspicion existing = suspicions.get(s.node());
        if (existing != null) {
            if (existing.confirm(s.from())) {
                timers.arm(s.node(), existing.deadlineNanos());
                queueNodeBroadcast(state.name, MessageCodec.encode(s), null);
            }
            return;
        }
        if (state.state != NodeState.ALIVE) {
            return;
        }
        if (state.name.equals(self)) {
            refute(state, s.incarnation());
            serf.memberlist.internal.jfr.Flight.refute("suspect", state.incarnation);
            limited.log(System.Logger.Level.WARNING, "refute", "memberlist: Refuting a suspect message (from: " + s.from() + ")");
            return;
        }
        queueNodeBroadcast(state.name, MessageCodec.encode(s), null);
        metrics.msgSuspect.increment();
        serf.memberlist.internal.jfr.Flight.suspect(s.node(), s.from(), s.incarnation());
        state.incarnation = s.incarnation();
        state.state = NodeState.SUSPECT;
        long now = clock.nanoTime();
        state.stateChangeNanos = now;

        int n = table.estimatedNumNodes();
        int k = config.suspicionMult() - 2;
        if (n - 2 < k) {
            k = 0;
        }
        Duration min = suspicionTimeout(config.suspicionMult(), n, config.probeInterval());
        Duration max = Durations.times(min, config.suspicionMaxTimeoutMult());
        Suspicion t = new Suspicion(s.from(), k, min, max, now);
        suspicions.put(s.node(), t);
        timers.arm(s.node(), t.deadlineNanos());
    }

    /** Go's suspicionTimeout: mult × max(1, log10(max(1, n))) × interval, the scale truncated to 1/1000. */
    static Duration suspicionTimeout(int suspicionMult, int n, Duration interval) {
        double nodeScale = Math.max(1.0, Math.log10(Math.max(1.0, n)));
        long scaleMillis = (long) (nodeScale * 1000);
        return Durations.dividedBy(Durations.times(Durations.times(interval, suspicionMult), scaleMillis), 1000);
    }

    private void deadLocked(Message.Dead d) {
        NodeRecord state = table.get(d.node());
        if (state == null || d.incarnation() < state.incarnation) {
            return;
        }
        cancelSuspicion(d.node());
        if (state.deadOrLeft()) {
            return;
        }
        if (state.name.equals(self)) {
            if (!leaving.get()) {
                refute(state, d.incarnation());
                serf.memberlist.internal.jfr.Flight.refute("dead", state.incarnation);
                limited.log(System.Logger.Level.WARNING, "refute", "memberlist: Refuting a dead message (from: " + d.from() + ")");
                return;
            }
            queueNodeBroadcast(state.name, MessageCodec.encode(d), leaveBroadcastDone);
        } else {
            queueNodeBroadcast(state.name, MessageCodec.encode(d), null);
        }
        metrics.msgDead.increment();
        serf.memberlist.internal.jfr.Flight.dead(d.node(), d.from(), d.node().equals(d.from()));
        state.incarnation = d.incarnation();
        state.state = d.node().equals(d.from()) ? NodeState.LEFT : NodeState.DEAD;
        state.stateChangeNanos = clock.nanoTime();
        EventDelegate events = config.events();
        if (events != null) {
            Node view = state.snapshot();
            notifyLater(() -> events.notifyLeave(view));
        }
    }

    private void cancelSuspicion(String name) {
        if (suspicions.remove(name) != null) {
            timers.cancel(name);
        }
    }

    /** Go's refute: a higher incarnation than the accusation's, gossiped, and a worse health score. */
    private void refute(NodeRecord me, long accusedInc) {
        long inc = nextIncarnation();
        if (accusedInc >= inc) {
            inc = incarnation.addAndGet(accusedInc - inc + 1) & 0xffffffffL;
        }
        me.incarnation = inc;
        awareness.applyDelta(1);
        Message.Alive a = new Message.Alive(inc, me.name, me.addr.getAddress(), me.port, me.meta, me.versions());
        queueNodeBroadcast(me.name, MessageCodec.encode(a), null);
    }

    private long nextIncarnation() {
        return incarnation.incrementAndGet() & 0xffffffffL;
    }

    private void queueNodeBroadcast(String node, byte[] message, CountDownLatch notify) {
        broadcasts.queueBroadcast(new NodeBroadcast(node, message, notify));
    }

    /** This node's incarnation counter (for tests). */
    long localIncarnation() {
        return incarnation.get() & 0xffffffffL;
    }

    private static byte[] nullToEmpty(byte[] b) {
        return b == null ? new byte[0] : b;
    }
}
