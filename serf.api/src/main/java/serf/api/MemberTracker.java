package serf.api;

import java.util.ArrayList;
import java.util.HashMap;
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
    private final Map<String, MemberState> members = new HashMap<>();
    private final List<MemberState> failed = new ArrayList<>();
    private final List<MemberState> left = new ArrayList<>();
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

    // ---- memberlist's notifications ------------------------------------------------------------

    void nodeJoined(Node n) {
        Event e;
        List<Event> evicted = new ArrayList<>();
        lock.lock();
        try {
            MemberState ms = members.get(n.name());
            IntentBuffer.Intent intent = intents.get(n.name());
            if (ms == null) {
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
                ms = new MemberState(toMember(n, status));
                ms.statusLTime = statusLTime;
                members.put(n.name(), ms);
            } else {
                // Go's flap: a failed member back within FlapTimeout (Go only counts it in a metric).
                if (ms.status() == MemberStatus.FAILED && ms.leaveTimeNanos != 0
                        && time.nanoTime() - ms.leaveTimeNanos < config.flapTimeout().toNanos()) {
                    flaps.incrementAndGet();
                    metrics.memberFlap.increment();
                }
                ms.member = toMember(n, MemberStatus.ALIVE);
                ms.leaveTimeNanos = 0;
                failed.remove(ms);
                left.remove(ms);
            }
            if (intent != null) {
                intents.remove(n.name());
            }
            e = new Event.MemberEvent(EventType.MEMBER_JOIN, List.of(ms.member));
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
        if (members.size() < maxMembers) {
            return;
        }
        List<MemberState> from = !failed.isEmpty() ? failed : left;
        if (from.isEmpty()) {
            return; // all alive: memberlist's own bound holds them
        }
        MemberState oldest = from.get(0);
        drops.membersEvicted.dropped(oldest.member.name());
        erase(oldest, events);
    }

    void nodeLeft(Node n) {
        Event e;
        lock.lock();
        try {
            MemberState ms = members.get(n.name());
            if (ms == null) {
                return;
            }
            switch (ms.status()) {
                case LEAVING -> {
                    ms.setStatus(MemberStatus.LEFT);
                    ms.leaveTimeNanos = time.nanoTime();
                    left.add(ms);
                }
                case ALIVE -> {
                    ms.setStatus(MemberStatus.FAILED);
                    ms.leaveTimeNanos = time.nanoTime();
                    failed.add(ms);
                }
                default -> {
                    log.log(System.Logger.Level.WARNING, "serf: Bad state when leave: " + ms.status());
                    return;
                }
            }
            EventType type = ms.status() == MemberStatus.LEFT ? EventType.MEMBER_LEAVE : EventType.MEMBER_FAILED;
            (type == EventType.MEMBER_LEAVE ? metrics.memberLeft : metrics.memberFailed).increment();
            serf.memberlist.internal.jfr.Flight.member(n.name(), type == EventType.MEMBER_LEAVE ? "leave" : "failed");
            log.log(System.Logger.Level.INFO, "serf: " + (type == EventType.MEMBER_LEAVE ? "EventMemberLeave: " : "EventMemberFailed: ")
                    + n.name() + " " + n.addr().getHostAddress());
            e = new Event.MemberEvent(type, List.of(ms.member));
        } finally {
            lock.unlock();
        }
        emit.accept(e);
    }

    void nodeUpdated(Node n) {
        Event e;
        lock.lock();
        try {
            MemberState ms = members.get(n.name());
            if (ms == null) {
                return;
            }
            ms.member = toMember(n, ms.status());
            log.log(System.Logger.Level.INFO, "serf: EventMemberUpdate: " + n.name());
            metrics.memberUpdate.increment();
            serf.memberlist.internal.jfr.Flight.member(n.name(), "update");
            e = new Event.MemberEvent(EventType.MEMBER_UPDATE, List.of(ms.member));
        } finally {
            lock.unlock();
        }
        emit.accept(e);
    }

    // ---- intents ------------------------------------------------------------------------------

    /** Applies a join intent; true if it was new (then it is rebroadcast). */
    boolean joinIntent(SerfMessage.Join j) {
        clock.witness(j.lTime());
        lock.lock();
        try {
            MemberState ms = members.get(j.node());
            if (ms == null) {
                return intents.upsert(j.node(), IntentBuffer.Kind.JOIN, j.lTime());
            }
            if (Long.compareUnsigned(j.lTime(), ms.statusLTime) <= 0) {
                return false;
            }
            ms.statusLTime = j.lTime();
            if (ms.status() == MemberStatus.LEAVING) {
                ms.setStatus(MemberStatus.ALIVE);
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
            MemberState ms = members.get(l.node());
            if (ms == null) {
                return intents.upsert(l.node(), IntentBuffer.Kind.LEAVE, l.lTime());
            }
            if (Long.compareUnsigned(l.lTime(), ms.statusLTime) <= 0) {
                return false;
            }
            if (!(l.node().equals(localName) && localAlive.getAsBoolean())) {
                ms.statusLTime = l.lTime();
                switch (ms.status()) {
                    case ALIVE -> ms.setStatus(MemberStatus.LEAVING);
                    case FAILED -> {
                        ms.setStatus(MemberStatus.LEFT);
                        failed.remove(ms);
                        left.add(ms);
                        log.log(System.Logger.Level.INFO, "serf: EventMemberLeave (forced): " + l.node());
                        events.add(new Event.MemberEvent(EventType.MEMBER_LEAVE, List.of(ms.member)));
                    }
                    default -> { }
                }
                if (l.prune()) {
                    erase(ms, events);
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
    private void erase(MemberState ms, List<Event> events) {
        String name = ms.member.name();
        members.remove(name);
        failed.remove(ms);
        left.remove(ms);
        forgotten.accept(name);
        log.log(System.Logger.Level.INFO, "serf: EventMemberReap: " + name);
        events.add(new Event.MemberEvent(EventType.MEMBER_REAP, List.of(ms.member)));
    }

    // ---- reaper and reconnector ---------------------------------------------------------------

    /** Erases failed members older than the reconnect timeout, left ones older than the tombstone timeout, and old intents. */
    void reap() {
        List<Event> events = new ArrayList<>();
        lock.lock();
        try {
            long now = time.nanoTime();
            for (MemberState ms : List.copyOf(failed)) {
                if (now - ms.leaveTimeNanos > config.reconnectTimeout().toNanos()) {
                    erase(ms, events);
                }
            }
            for (MemberState ms : List.copyOf(left)) {
                if (now - ms.leaveTimeNanos > config.tombstoneTimeout().toNanos()) {
                    erase(ms, events);
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
            int alive = members.size() - numFailed - left.size();
            if (random.nextDouble() > Reconnector.probability(numFailed, alive)) {
                return null;
            }
            return failed.get(random.nextInt(numFailed)).member;
        } finally {
            lock.unlock();
        }
    }

    // ---- views --------------------------------------------------------------------------------

    List<Member> members() {
        lock.lock();
        try {
            List<Member> out = new ArrayList<>(members.size());
            for (MemberState ms : members.values()) {
                out.add(ms.member);
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
            MemberState ms = members.get(name);
            return ms == null ? null : ms.member;
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
            return members.size();
        } finally {
            lock.unlock();
        }
    }

    /** Members, failed ones and left ones, for stats. */
    int[] counts() {
        lock.lock();
        try {
            return new int[] {members.size(), failed.size(), left.size()};
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
            for (MemberState ms : members.values()) {
                if (ms.status() == MemberStatus.ALIVE && !ms.member.name().equals(localName)) {
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
            for (MemberState ms : members.values()) {
                Member m = ms.member;
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
            for (MemberState ms : members.values()) {
                lTimes.put(ms.member.name(), ms.statusLTime);
            }
            List<String> names = new ArrayList<>(left.size());
            for (MemberState ms : left) {
                names.add(ms.member.name());
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
            MemberState ms = members.get(name);
            return ms == null ? 0 : ms.statusLTime;
        } finally {
            lock.unlock();
        }
    }
}
