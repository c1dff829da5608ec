package serf.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import serf.api.internal.msg.SerfMessage;
import serf.api.internal.msg.Tags;
import serf.memberlist.Clock;
import serf.memberlist.Node;

/**
 * Serf's member state machine (Go's members, failedMembers, leftMembers and recentIntents, with
 * the member Lamport clock): memberlist's join/leave/update notifications, the join and leave
 * intents gossiped by Serf, and the reaping of failed and left members. Events are handed to
 * {@code emit} after the lock is released; times come from the node's clock.
 */
final class MemberTracker {
    private final String localName;
    private final LamportClock clock = new LamportClock();
    private final Clock time;
    private final Config config;
    private final int maxMembers;
    private final DropCounters drops;
    private final System.Logger log;
    private final Consumer<Event> emit;
    private final Consumer<String> forgotten;
    private final BooleanSupplier localAlive;
    private final Runnable refute;
    private final ReentrantLock lock = new ReentrantLock();
    private final MemberTable table = new MemberTable();
    /** Failed members in the order they failed; left ones in the order they left (oldest first). */
    private final List<Departure> failed = new ArrayList<>();
    private final List<Departure> left = new ArrayList<>();
    private final IntentBuffer intents;
    private final java.util.concurrent.atomic.AtomicLong flaps = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param forgotten  told the name of each member erased (reaped, pruned or evicted)
     * @param localAlive whether this node is alive (not leaving): then a leave intent about it is refuted
     * @param refute     broadcasts a fresh join intent for this node
     */
    MemberTracker(Config config, Clock time, int maxMembers, DropCounters drops, System.Logger log, Consumer<Event> emit,
                  Consumer<String> forgotten, BooleanSupplier localAlive, Runnable refute) {
        this.localName = config.nodeName();
        this.config = config;
        this.time = time;
        this.maxMembers = maxMembers;
        this.drops = drops;
        this.log = log;
        this.emit = emit;
        this.forgotten = forgotten;
        this.localAlive = localAlive;
        this.refute = refute;
        this.intents = new IntentBuffer(drops.intents, time);
    }

    private SerfMetrics metrics = SerfMetrics.detached();

    /** The node's metrics (set once, before memberlist starts). */
    void metrics(SerfMetrics m) {
        metrics = m;
    }

    /** The member Lamport clock (Go's serf.clock). */
    LamportClock clock() {
        return clock;
    }

    static Member toMember(Node n, MemberStatus status) {
        return new Member(n.name(), n.addr(), n.port(), Tags.decodeMeta(n.meta()), status,
                n.pMin(), n.pMax(), n.pCur(), n.dMin(), n.dMax(), n.dCur());
    }

    /** The process-wide shared instance of the member {@code n} with {@code status} ({@link MemberPool}). */
    private static Member shared(Node n, MemberStatus status) {
        return MemberPool.intern(toMember(n, status));
    }

    /** Sets the status of the member at {@code position} (a shared instance); caller holds the lock. */
    private Member setStatus(int position, MemberStatus status) {
        Member m = MemberPool.intern(table.member(position).withStatus(status));
        table.set(position, m);
        return m;
    }

    // ---- memberlist's notifications ------------------------------------------------------------

    void nodeJoined(Node n) {
        Event e;
        List<Event> evicted = new ArrayList<>();
        lock.lock();
        try {
            int p = table.find(n.name());
            IntentBuffer.Intent intent = intents.get(n.name());
            Member m;
            if (p < 0) {
                evictForNewMember(evicted);
                MemberStatus status = MemberStatus.ALIVE;
                long statusLTime = 0;
                if (intent != null) {
                    // An intent that came before memberlist knew the node decides its start state.
                    statusLTime = intent.lTime();
                    if (intent.kind() == IntentBuffer.Kind.LEAVE) {
                        status = MemberStatus.LEAVING;
                    }
                }
                m = shared(n, status);
                table.add(m, statusLTime);
            } else {
                // Go's flap: a failed member back within FlapTimeout (Go only counts it in a metric).
                Departure failedAt = remove(failed, n.name());
                remove(left, n.name());
                if (failedAt != null && time.nanoTime() - failedAt.atNanos() < config.flapTimeout().toNanos()) {
                    flaps.incrementAndGet();
                    metrics.memberFlap.increment();
                }
                m = shared(n, MemberStatus.ALIVE);
                table.set(p, m);
            }
            if (intent != null) {
                intents.remove(n.name());
            }
            e = new Event.MemberEvent(EventType.MEMBER_JOIN, List.of(m));
            metrics.memberJoin.increment();
            serf.memberlist.internal.jfr.Flight.member(n.name(), "join");
            log.log(System.Logger.Level.INFO, "serf: EventMemberJoin: " + n.name() + " " + n.addr().getHostAddress());
        } finally {
            lock.unlock();
        }
        evicted.forEach(emit);
        emit.accept(e);
    }

    /**
     * Memberlist bounds the nodes it knows ({@code maxNodes}), but Serf keeps failed members for the
     * reconnect timeout (a day by default) after memberlist has forgotten them, so members that do
     * not exist could pile up here. At the bound, the oldest failed member (else the oldest left one)
     * is reaped early to make room; caller holds the lock.
     */
    private void evictForNewMember(List<Event> events) {
        if (table.size() < maxMembers) {
            return;
        }
        List<Departure> from = !failed.isEmpty() ? failed : left;
        if (from.isEmpty()) {
            return; // all alive: memberlist's own bound holds them
        }
        String oldest = from.get(0).name();
        drops.membersEvicted.dropped(oldest);
        erase(oldest, events);
    }

    void nodeLeft(Node n) {
        Event e;
        lock.lock();
        try {
            int p = table.find(n.name());
            if (p < 0) {
                return;
            }
            MemberStatus was = table.member(p).status();
            switch (was) {
                case LEAVING -> left.add(new Departure(n.name(), time.nanoTime()));
                case ALIVE -> failed.add(new Departure(n.name(), time.nanoTime()));
                default -> {
                    log.log(System.Logger.Level.WARNING, "serf: Bad state when leave: " + was);
                    return;
                }
            }
            Member m = setStatus(p, was == MemberStatus.LEAVING ? MemberStatus.LEFT : MemberStatus.FAILED);
            EventType type = m.status() == MemberStatus.LEFT ? EventType.MEMBER_LEAVE : EventType.MEMBER_FAILED;
            (type == EventType.MEMBER_LEAVE ? metrics.memberLeft : metrics.memberFailed).increment();
            serf.memberlist.internal.jfr.Flight.member(n.name(), type == EventType.MEMBER_LEAVE ? "leave" : "failed");
            log.log(System.Logger.Level.INFO, "serf: " + (type == EventType.MEMBER_LEAVE ? "EventMemberLeave: " : "EventMemberFailed: ")
                    + n.name() + " " + n.addr().getHostAddress());
            e = new Event.MemberEvent(type, List.of(m));
        } finally {
            lock.unlock();
        }
        emit.accept(e);
    }

    void nodeUpdated(Node n) {
        Event e;
        lock.lock();
        try {
            int p = table.find(n.name());
            if (p < 0) {
                return;
            }
            Member m = shared(n, table.member(p).status());
            table.set(p, m);
            log.log(System.Logger.Level.INFO, "serf: EventMemberUpdate: " + n.name());
            metrics.memberUpdate.increment();
            serf.memberlist.internal.jfr.Flight.member(n.name(), "update");
            e = new Event.MemberEvent(EventType.MEMBER_UPDATE, List.of(m));
        } finally {
            lock.unlock();
        }
        emit.accept(e);
    }

    // ---- intents ------------------------------------------------------------------------------

    /** Applies a join intent; true if it was new (then it is rebroadcast). */
    boolean joinIntent(SerfMessage.Join j) {
        return join(j, false);
    }

    /**
     * A member's status time as a push/pull's state gives it, applied as Go applies it: as a join intent of
     * that time (Go's artificial join). Such a time may restate a leave intent (the sender had the member
     * leaving, and push/pull lists only left members apart), so it is marked: see {@link #leaveIntent}.
     */
    void restatedStatus(String node, long lTime) {
        join(new SerfMessage.Join(lTime, node), true);
    }

    private boolean join(SerfMessage.Join j, boolean restated) {
        clock.witness(j.lTime());
        lock.lock();
        try {
            int p = table.find(j.node());
            if (p < 0) {
                return intents.upsert(j.node(), IntentBuffer.Kind.JOIN, j.lTime());
            }
            if (Long.compareUnsigned(j.lTime(), table.statusLTime(p)) <= 0) {
                return false;
            }
            table.setStatusLTime(p, j.lTime(), restated);
            if (table.member(p).status() == MemberStatus.LEAVING) {
                setStatus(p, MemberStatus.ALIVE);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Applies a leave intent; true if it was new (then it is rebroadcast). */
    boolean leaveIntent(SerfMessage.Leave l) {
        clock.witness(l.lTime());
        List<Event> events = new ArrayList<>(2);
        lock.lock();
        try {
            int p = table.find(l.node());
            if (p < 0) {
                return intents.upsert(l.node(), IntentBuffer.Kind.LEAVE, l.lTime());
            }
            int newer = Long.compareUnsigned(l.lTime(), table.statusLTime(p));
            // Go ignores a leave intent no newer than the status time. Not in Go: at an equal time it still
            // counts when that time was only restated by a push/pull, which may have come from a node that
            // had already applied this very intent. Go's node then takes the departure that follows a
            // graceful leave for a failure (the Go interop test saw it), and a live node force-left so
            // would not refute.
            if (newer < 0 || (newer == 0 && !table.statusRestated(p))) {
                return false;
            }
            if (!(l.node().equals(localName) && localAlive.getAsBoolean())) {
                table.setStatusLTime(p, l.lTime());
                switch (table.member(p).status()) {
                    case ALIVE -> setStatus(p, MemberStatus.LEAVING);
                    case FAILED -> {
                        Member m = setStatus(p, MemberStatus.LEFT);
                        Departure d = remove(failed, l.node());
                        left.add(d != null ? d : new Departure(l.node(), time.nanoTime()));
                        log.log(System.Logger.Level.INFO, "serf: EventMemberLeave (forced): " + l.node());
                        events.add(new Event.MemberEvent(EventType.MEMBER_LEAVE, List.of(m)));
                    }
                    default -> { }
                }
                if (l.prune()) {
                    erase(l.node(), events);
                }
            } else {
                events = null; // someone force-left us while we are alive: refute below
            }
        } finally {
            lock.unlock();
        }
        if (events == null) {
            log.log(System.Logger.Level.DEBUG, "serf: Refuting an older leave intent");
            refute.run();
            return false;
        }
        events.forEach(emit);
        return true;
    }

    /** Removes a member everywhere (prune, reap or eviction); caller holds the lock. */
    private void erase(String name, List<Event> events) {
        int p = table.find(name);
        if (p < 0) {
            return;
        }
        Member m = table.member(p);
        table.remove(p);
        remove(failed, name);
        remove(left, name);
        forgotten.accept(name);
        log.log(System.Logger.Level.INFO, "serf: EventMemberReap: " + name);
        events.add(new Event.MemberEvent(EventType.MEMBER_REAP, List.of(m)));
    }

    /** A failed or left member and when it failed or left (the node clock's nanoTime), for the reaper. */
    private record Departure(String name, long atNanos) {
    }

    /** Removes and returns the departure of {@code name} from {@code list}, or null; caller holds the lock. */
    private static Departure remove(List<Departure> list, String name) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(name)) {
                return list.remove(i);
            }
        }
        return null;
    }

    // ---- reaper and reconnector ---------------------------------------------------------------

    /** Erases failed members older than the reconnect timeout, left ones older than the tombstone timeout, and old intents. */
    void reap() {
        List<Event> events = new ArrayList<>();
        lock.lock();
        try {
            long now = time.nanoTime();
            for (Departure d : List.copyOf(failed)) {
                if (now - d.atNanos() > config.reconnectTimeout().toNanos()) {
                    erase(d.name(), events);
                }
            }
            for (Departure d : List.copyOf(left)) {
                if (now - d.atNanos() > config.tombstoneTimeout().toNanos()) {
                    erase(d.name(), events);
                }
            }
            intents.reap(config.recentIntentTimeout().toNanos());
        } finally {
            lock.unlock();
        }
        events.forEach(emit);
    }

    /** The failed member to try to reconnect to this round, or null ({@link Reconnector#probability}). */
    Member reconnectTarget(RandomGenerator random) {
        lock.lock();
        try {
            int numFailed = failed.size();
            if (numFailed == 0) {
                return null;
            }
            int alive = table.size() - numFailed - left.size();
            if (random.nextDouble() > Reconnector.probability(numFailed, alive)) {
                return null;
            }
            return table.get(failed.get(random.nextInt(numFailed)).name());
        } finally {
            lock.unlock();
        }
    }

    // ---- views --------------------------------------------------------------------------------

    List<Member> members() {
        lock.lock();
        try {
            int n = table.size();
            List<Member> out = new ArrayList<>(n);
            for (int p = 0; p < n; p++) {
                out.add(table.member(p));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The member called {@code name}, or null. */
    Member member(String name) {
        lock.lock();
        try {
            return table.get(name);
        } finally {
            lock.unlock();
        }
    }

    /** Failed members that came back alive within the flap timeout ({@code member_flaps} in stats). */
    long flaps() {
        return flaps.get();
    }

    int size() {
        lock.lock();
        try {
            return table.size();
        } finally {
            lock.unlock();
        }
    }

    /** Members, failed ones and left ones, for stats. */
    int[] counts() {
        lock.lock();
        try {
            return new int[] {table.size(), failed.size(), left.size()};
        } finally {
            lock.unlock();
        }
    }

    int intentsHeld() {
        lock.lock();
        try {
            return intents.size();
        } finally {
            lock.unlock();
        }
    }

    /** True if a member other than this node is alive (then a leave is worth broadcasting). */
    boolean anyOtherAlive() {
        lock.lock();
        try {
            for (int p = 0, n = table.size(); p < n; p++) {
                Member m = table.member(p);
                if (m.status() == MemberStatus.ALIVE && !m.name().equals(localName)) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Alive members other than this node speaking protocol 5 (they can relay query responses). */
    List<Member> relayCandidates() {
        lock.lock();
        try {
            List<Member> out = new ArrayList<>();
            for (int p = 0, n = table.size(); p < n; p++) {
                Member m = table.member(p);
                if (m.status() == MemberStatus.ALIVE && m.protocolMax() >= 5 && !m.name().equals(localName)) {
                    out.add(m);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Push/pull state: each member's status LTime, and the names of left members. */
    record StatusSnapshot(Map<String, Long> statusLTimes, List<String> left) {
    }

    StatusSnapshot statusSnapshot() {
        lock.lock();
        try {
            Map<String, Long> lTimes = new LinkedHashMap<>();
            for (int p = 0, n = table.size(); p < n; p++) {
                lTimes.put(table.member(p).name(), table.statusLTime(p));
            }
            List<String> names = new ArrayList<>(left.size());
            for (Departure d : left) {
                names.add(d.name());
            }
            return new StatusSnapshot(lTimes, names);
        } finally {
            lock.unlock();
        }
    }

    /** The status LTime of a member (0 if unknown), for tests. */
    long statusLTime(String name) {
        lock.lock();
        try {
            int p = table.find(name);
            return p < 0 ? 0 : table.statusLTime(p);
        } finally {
            lock.unlock();
        }
    }
}
