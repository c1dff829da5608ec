package serf.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import serf.api.coordinate.Coordinate;
import serf.api.coordinate.CoordinateClient;
import serf.api.coordinate.CoordinateCodec;
import serf.api.coordinate.CoordinateConfig;
import serf.api.internal.msg.Filters;
import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;
import serf.api.internal.msg.Tags;
import serf.memberlist.Broadcast;
import serf.memberlist.Memberlist;
import serf.memberlist.Node;
import serf.memberlist.NodeState;
import serf.memberlist.TransmitLimitedQueue;
import serf.memberlist.UniqueBroadcast;
import serf.snapshot.KnownNode;
import serf.snapshot.RecoveredState;
import serf.snapshot.SnapshotConfig;
import serf.snapshot.SnapshotEvent;
import serf.snapshot.Snapshotter;
import serf.wire.DecodeException;

/**
 * One Serf node: cluster membership with tags, failure detection, user events, queries, key
 * management and network coordinates, on a {@link Memberlist}. The Java form of Go's
 * {@code serf.Serf}, speaking its wire protocol (Serf protocol 2 to 5).
 *
 * <p>Threads: memberlist's, plus a virtual thread each for the reaper, the reconnector, the queue
 * checker, the deadline scheduler (query timeouts), the internal query worker, each coalescer and
 * event delivery, and at most one for name-conflict resolution. None is started per message.
 * Events reach the {@link Config#eventSink} in order; the protocol never waits for the sink:
 * what a full queue cannot take is dropped and counted ({@link #dropCounts()}).
 */
public final class Serf {
    public static final int PROTOCOL_VERSION_MIN = 2;
    public static final int PROTOCOL_VERSION_MAX = 5;
    static final String INTERNAL_QUERY_PREFIX = "_serf_";
    static final String PING_QUERY = "_serf_ping";
    static final String CONFLICT_QUERY = "_serf_conflict";
    static final String INSTALL_KEY_QUERY = "_serf_install-key";
    static final String USE_KEY_QUERY = "_serf_use-key";
    static final String REMOVE_KEY_QUERY = "_serf_remove-key";
    static final String LIST_KEYS_QUERY = "_serf_list-keys";
    private static final int MIN_ENCODED_KEY_LENGTH = 25;
    /** Internal queries waiting for the worker; more are dropped (they are rare: key changes, conflicts). */
    static final int INTERNAL_QUERY_QUEUE = 64;
    /** Queries this node may have open at once (each holds a timer entry and its answers). */
    static final int MAX_OPEN_QUERIES = 1024;
    /** At most one name-conflict resolution starts per this interval. */
    static final Duration CONFLICT_RESOLUTION_INTERVAL = Duration.ofSeconds(10);

    private final Config config;
    private final System.Logger log;
    private Memberlist memberlist;

    private final LamportClock clock = new LamportClock();
    private final LamportClock eventClock = new LamportClock();
    private final LamportClock queryClock = new LamportClock();
    private final AtomicLong eventMinTime = new AtomicLong();
    private final AtomicLong queryMinTime = new AtomicLong();
    private volatile boolean eventJoinIgnore;

    private final ReentrantLock memberLock = new ReentrantLock();
    private final Map<String, MemberState> members = new HashMap<>();
    private final List<MemberState> failedMembers = new ArrayList<>();
    private final List<MemberState> leftMembers = new ArrayList<>();
    private final DropCounters drops;
    /** Members kept at most, failed and left ones included: memberlist's {@code maxNodes}. */
    private final int maxMembers;
    private final IntentBuffer recentIntents;

    private final ReentrantLock eventLock = new ReentrantLock();
    private final UserEventRing eventBuffer;
    private final ReentrantLock queryLock = new ReentrantLock();
    private final QueryRing queryBuffer;
    private final Map<Long, QueryResponse> queryResponses = new ConcurrentHashMap<>();
    private final DeadlineScheduler deadlines;
    private final BoundedWorker<Query> internalQueries;
    private final ConflictResolver conflicts;
    private final AtomicLong lastConflictLogNanos = new AtomicLong(System.nanoTime() - CONFLICT_RESOLUTION_INTERVAL.toNanos());

    private final TransmitLimitedQueue intentQueue;
    private final TransmitLimitedQueue eventQueue;
    private final TransmitLimitedQueue queryQueue;

    private final ReentrantLock stateLock = new ReentrantLock();
    private volatile SerfState state = SerfState.ALIVE;
    private final CompletableFuture<Void> shutdownFuture = new CompletableFuture<>();
    private final CountDownLatch shutdownLatch = new CountDownLatch(1);

    private final CoordinateClient coordClient;
    private final Map<String, Coordinate> coordCache = new ConcurrentHashMap<>();

    private final ReentrantLock tagsLock = new ReentrantLock();
    private volatile Map<String, String> tags;
    private final KeyManager keyManager;

    private Snapshotter snapshotter;
    private Consumer<Event> pipeline = e -> { };
    private Coalescer memberCoalescer;
    private Coalescer userCoalescer;
    private EventDelivery delivery;
    private final List<Thread> loops = new ArrayList<>();

    private Serf(Config config) {
        this.config = config;
        this.log = config.logger();
        this.tags = Map.copyOf(config.tags());
        this.drops = new DropCounters(log);
        this.maxMembers = config.memberlistConfig().maxNodes();
        this.recentIntents = new IntentBuffer(drops.intents);
        this.eventBuffer = new UserEventRing(config.eventBuffer(), UserEventRing.DEFAULT_MAX_BYTES);
        this.queryBuffer = new QueryRing(config.queryBuffer());
        String name = config.nodeName();
        this.deadlines = new DeadlineScheduler("serf-deadlines-" + name, log);
        this.internalQueries = new BoundedWorker<>("serf-internal-query-" + name, INTERNAL_QUERY_QUEUE,
                this::handleInternalQuery, drops.internalQueries, log);
        this.conflicts = new ConflictResolver("serf-conflict-" + name, CONFLICT_RESOLUTION_INTERVAL,
                this::resolveNodeConflict, drops.conflicts);
        int mult = config.memberlistConfig().retransmitMult();
        this.intentQueue = new TransmitLimitedQueue(this::numMembers, mult);
        this.eventQueue = new TransmitLimitedQueue(this::numMembers, mult);
        this.queryQueue = new TransmitLimitedQueue(this::numMembers, mult);
        this.coordClient = config.disableCoordinates() ? null : new CoordinateClient(CoordinateConfig.defaults());
        this.keyManager = new KeyManager(this);
    }

    /**
     * Starts a node: recovers the snapshot if configured, starts memberlist with Serf's delegates
     * and, with a snapshot, rejoins the nodes it recorded (in the background).
     */
    public static Serf create(Config config) throws IOException {
        Config c = config.copy();
        c.validate();
        byte[] meta = Tags.encodeMeta(c.tags(), c.protocolVersion());
        if (meta.length > Memberlist.META_MAX_SIZE) {
            throw new IllegalArgumentException("Encoded length of tags exceeds limit of " + Memberlist.META_MAX_SIZE + " bytes");
        }
        Serf s = new Serf(c);
        try {
            s.start();
        } catch (IOException | RuntimeException e) {
            s.shutdown();
            throw e;
        }
        return s;
    }

    private void start() throws IOException {
        // Clocks start at 1, then move past what a snapshot saw (so old events are not replayed).
        clock.increment();
        eventClock.increment();
        queryClock.increment();
        RecoveredState recovered = RecoveredState.EMPTY;
        if (!config.snapshotPath().isEmpty()) {
            SnapshotConfig sc = SnapshotConfig.defaults(Path.of(config.snapshotPath()), clock::time)
                    .withRejoinAfterLeave(config.rejoinAfterLeave()).withLogger(log);
            snapshotter = Snapshotter.open(sc);
            recovered = snapshotter.recovered();
            clock.witness(recovered.lastClock());
            eventClock.witness(recovered.lastEventClock());
            queryClock.witness(recovered.lastQueryClock());
            eventMinTime.set(recovered.lastEventClock() + 1);
            queryMinTime.set(recovered.lastQueryClock() + 1);
        }
        buildPipeline();

        serf.memberlist.Config mc = config.memberlistConfig().copy()
                .name(config.nodeName())
                .protocolVersion(2)
                .delegateProtocolVersion(config.protocolVersion())
                .delegateProtocolMin(PROTOCOL_VERSION_MIN)
                .delegateProtocolMax(PROTOCOL_VERSION_MAX)
                .delegate(new SerfDelegate(this))
                .events(new SerfEventDelegate(this))
                .conflict(this::handleConflict);
        if (coordClient != null) {
            mc.ping(new PingHandler());
        }
        if (config.merge() != null) {
            mc.merge(peers -> config.merge().notifyMerge(peers.stream().map(n -> nodeToMember(n,
                    n.state() == NodeState.LEFT ? MemberStatus.LEFT : MemberStatus.NONE)).toList()));
        }
        if (mc.logger() == null) {
            mc.logger(log);
        }
        memberlist = Memberlist.create(mc);

        loops.add(loop("reaper", config.reapInterval(), this::reap));
        loops.add(loop("reconnect", config.reconnectInterval(), this::reconnect));
        loops.add(loop("queue-check", config.queueCheckInterval(), this::checkQueueDepths));
        if (!recovered.aliveNodes().isEmpty()) {
            List<KnownNode> prev = recovered.shuffledAliveNodes(ThreadLocalRandom.current());
            Thread.ofVirtual().name("serf-rejoin-" + config.nodeName()).start(() -> rejoin(prev));
        }
    }

    private void buildPipeline() {
        Consumer<Event> next = e -> { };
        if (config.eventSink() != null) {
            delivery = new EventDelivery("serf-events-" + config.nodeName(), config.eventSink(),
                    config.eventSinkBuffer(), drops.delivery, log);
            next = delivery;
        }
        if (config.eventSink() != null && isPositive(config.coalescePeriod()) && isPositive(config.quiescentPeriod())) {
            memberCoalescer = new Coalescer("serf-member-coalesce-" + config.nodeName(), new Coalescer.MemberStrategy(),
                    config.coalescePeriod(), config.quiescentPeriod(), config.eventSinkBuffer(), drops.memberCoalescer, next);
            next = memberCoalescer;
        }
        if (config.eventSink() != null && isPositive(config.userCoalescePeriod()) && isPositive(config.userQuiescentPeriod())) {
            userCoalescer = new Coalescer("serf-user-coalesce-" + config.nodeName(), new Coalescer.UserStrategy(),
                    config.userCoalescePeriod(), config.userQuiescentPeriod(), config.eventSinkBuffer(), drops.userCoalescer, next);
            next = userCoalescer;
        }
        Consumer<Event> toApp = next;
        Consumer<Event> internal = e -> {
            if (e instanceof Query q && q.name().startsWith(INTERNAL_QUERY_PREFIX)) {
                if (!q.name().equals(PING_QUERY)) { // the ack already answered a ping
                    internalQueries.offer(q);
                }
            } else {
                toApp.accept(e);
            }
        };
        pipeline = e -> {
            if (snapshotter != null) {
                snapshotter.offer(toSnapshotEvent(e));
            }
            internal.accept(e);
        };
    }

    private static boolean isPositive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    private static SnapshotEvent toSnapshotEvent(Event e) {
        return switch (e) {
            case Event.MemberEvent me -> switch (me.type()) {
                case MEMBER_JOIN -> new SnapshotEvent.MemberJoin(me.members().stream()
                        .map(m -> KnownNode.of(m.name(), new InetSocketAddress(m.addr(), m.port()))).toList());
                case MEMBER_LEAVE, MEMBER_FAILED -> new SnapshotEvent.MemberGone(me.members().stream().map(Member::name).toList());
                default -> new SnapshotEvent.MemberOther();
            };
            case Event.UserEvent ue -> new SnapshotEvent.UserEvent(ue.lTime());
            case Query q -> new SnapshotEvent.Query(q.lTime());
        };
    }

    private void emit(Event e) {
        pipeline.accept(e);
    }

    private Thread loop(String what, Duration interval, Runnable body) {
        return Thread.ofVirtual().name("serf-" + what + "-" + config.nodeName()).start(() -> {
            while (state != SerfState.SHUTDOWN) {
                try {
                    if (shutdownLatch.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    body.run();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.log(System.Logger.Level.ERROR, "serf: " + what + " failed", e);
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // Public API
    // ------------------------------------------------------------------------------------------

    public Config config() {
        return config.copy();
    }

    public SerfState state() {
        return state;
    }

    public Memberlist memberlist() {
        return memberlist;
    }

    public int protocolVersion() {
        return config.protocolVersion();
    }

    public boolean encryptionEnabled() {
        return memberlist != null && memberlist.encryptionEnabled();
    }

    public KeyManager keyManager() {
        return keyManager;
    }

    /** Every member Serf knows, failed and left ones included until reaped. */
    public List<Member> members() {
        memberLock.lock();
        try {
            List<Member> out = new ArrayList<>(members.size());
            for (MemberState ms : members.values()) {
                out.add(ms.member);
            }
            return out;
        } finally {
            memberLock.unlock();
        }
    }

    /** This node as a member. */
    public Member localMember() {
        memberLock.lock();
        try {
            MemberState ms = members.get(config.nodeName());
            return ms != null ? ms.member : new Member(config.nodeName(), memberlist.advertiseAddress().getAddress(),
                    memberlist.advertiseAddress().getPort(), tags, MemberStatus.ALIVE, 1, 5, 2,
                    PROTOCOL_VERSION_MIN, PROTOCOL_VERSION_MAX, config.protocolVersion());
        } finally {
            memberLock.unlock();
        }
    }

    int numMembers() {
        memberLock.lock();
        try {
            return members.size();
        } finally {
            memberLock.unlock();
        }
    }

    /** The local node's tags. */
    public Map<String, String> tags() {
        return tags;
    }

    /**
     * Joins a cluster through the given addresses ({@code host[:port]}); returns how many were
     * contacted. {@code ignoreOld} skips user events that happened before the join.
     */
    public int join(List<String> existing, boolean ignoreOld) throws SerfException {
        if (state != SerfState.ALIVE) {
            throw new SerfException("Serf can't Join after Leave or Shutdown");
        }
        if (ignoreOld) {
            eventJoinIgnore = true;
        }
        int n;
        try {
            n = memberlist.join(existing);
        } catch (IOException e) {
            throw new SerfException(e.getMessage(), e);
        } finally {
            if (ignoreOld) {
                eventJoinIgnore = false;
            }
        }
        if (n > 0) {
            broadcastJoin(clock.time());
        }
        return n;
    }

    private void broadcastJoin(long lTime) {
        SerfMessage.Join msg = new SerfMessage.Join(lTime, config.nodeName());
        clock.witness(lTime);
        handleNodeJoinIntent(msg);
        queue(intentQueue, SerfCodec.encode(msg), null);
    }

    /** Changes the local node's tags and gossips them, waiting up to the broadcast timeout. */
    public void setTags(Map<String, String> newTags) throws SerfException {
        byte[] meta = Tags.encodeMeta(newTags, config.protocolVersion());
        if (meta.length > Memberlist.META_MAX_SIZE) {
            throw new SerfException("Encoded length of tags exceeds limit of " + Memberlist.META_MAX_SIZE + " bytes");
        }
        tagsLock.lock();
        try {
            tags = Map.copyOf(newTags);
            memberlist.updateNode(config.broadcastTimeout());
        } catch (IOException e) {
            throw new SerfException(e.getMessage(), e);
        } finally {
            tagsLock.unlock();
        }
    }

    /** Sends a user event to the cluster; {@code coalesce} lets receivers fold bursts of it. */
    public void userEvent(String name, byte[] payload, boolean coalesce) throws SerfException {
        int payloadLen = payload == null ? 0 : payload.length;
        int rawLen = name.getBytes(StandardCharsets.UTF_8).length + payloadLen;
        if (rawLen > config.userEventSizeLimit()) {
            throw new SerfException("user event exceeds configured limit of " + config.userEventSizeLimit() + " bytes before encoding");
        }
        if (rawLen > Config.USER_EVENT_SIZE_HARD_LIMIT) {
            throw new SerfException("user event exceeds sane limit of " + Config.USER_EVENT_SIZE_HARD_LIMIT + " bytes before encoding");
        }
        SerfMessage.UserEvent msg = new SerfMessage.UserEvent(eventClock.time(), name, payload, coalesce);
        byte[] raw = SerfCodec.encode(msg);
        if (raw.length > config.userEventSizeLimit()) {
            throw new SerfException("encoded user event exceeds configured limit of " + config.userEventSizeLimit() + " bytes after encoding");
        }
        if (raw.length > Config.USER_EVENT_SIZE_HARD_LIMIT) {
            throw new SerfException("encoded user event exceeds sane limit of " + Config.USER_EVENT_SIZE_HARD_LIMIT + " bytes before encoding");
        }
        eventClock.increment();
        handleUserEvent(msg);
        queue(eventQueue, raw, null);
    }

    /** Default query parameters: no filters, no ack, the default timeout. */
    public QueryParam defaultQueryParams() {
        return QueryParam.defaults().withTimeout(defaultQueryTimeout());
    }

    /** GossipInterval × QueryTimeoutMult × ceil(log10(N + 1)), N = memberlist's live members. */
    public Duration defaultQueryTimeout() {
        int n = memberlist.numMembers();
        long scale = (long) Math.ceil(Math.log10(n + 1.0));
        return config.memberlistConfig().gossipInterval().multipliedBy(config.queryTimeoutMult()).multipliedBy(Math.max(1, scale));
    }

    /** Sends a query to the cluster; acks and responses arrive on the returned collector. */
    public QueryResponse query(String name, byte[] payload, QueryParam params) throws SerfException {
        if (config.protocolVersion() < 4) {
            throw new SerfException("Feature not supported");
        }
        QueryParam p = params == null ? defaultQueryParams() : params;
        Duration timeout = p.timeout().isZero() ? defaultQueryTimeout() : p.timeout();
        List<byte[]> filters = new ArrayList<>();
        if (!p.filterNodes().isEmpty()) {
            filters.add(Filters.encode(new Filters.NodeFilter(p.filterNodes())));
        }
        for (Map.Entry<String, String> t : p.filterTags().entrySet()) {
            filters.add(Filters.encode(new Filters.TagFilter(t.getKey(), t.getValue())));
        }
        long flags = p.requestAck() ? SerfMessage.Query.FLAG_ACK : 0;
        InetSocketAddress adv = memberlist.advertiseAddress();
        int id = ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
        SerfMessage.Query q = new SerfMessage.Query(queryClock.time(), id,
                adv.getAddress().getAddress(), adv.getPort(), config.nodeName(), filters.isEmpty() ? null : filters,
                flags, p.relayFactor(), timeout.toNanos(), name, payload);
        byte[] raw = SerfCodec.encode(q);
        if (raw.length > config.querySizeLimit()) {
            throw new SerfException("query exceeds limit of " + config.querySizeLimit() + " bytes");
        }
        // Claim the LTime atomically (Go reads Time() here and witnesses it in handleQuery, leaving the
        // clock at LTime+1 too): concurrent queries must not share an LTime, since responses are
        // matched by it and the second registration would orphan the first query.
        long lTime = queryClock.increment() - 1;
        if (lTime != q.lTime()) {
            q = new SerfMessage.Query(lTime, id, adv.getAddress().getAddress(), adv.getPort(), config.nodeName(),
                    filters.isEmpty() ? null : filters, flags, p.relayFactor(), timeout.toNanos(), name, payload);
            raw = SerfCodec.encode(q);
        }
        QueryResponse resp = new QueryResponse(q.lTime(), q.id(), timeout, p.requestAck(), memberlist.numMembers(),
                drops.queryResponses);
        registerQueryResponse(resp, timeout);
        handleQuery(q);
        queue(queryQueue, raw, null);
        return resp;
    }

    /** Opens the query's collector until its timeout, which the node's one scheduler enforces. */
    private void registerQueryResponse(QueryResponse resp, Duration timeout) throws SerfException {
        if (queryResponses.size() >= MAX_OPEN_QUERIES) {
            drops.queriesRefused.dropped("query at LTime " + resp.lTime());
            throw new SerfException("too many open queries (" + MAX_OPEN_QUERIES + "), try again later");
        }
        drops.queriesRefused.passed();
        queryResponses.put(resp.lTime(), resp);
        Future<?> timer = deadlines.schedule(timeout, resp::close);
        resp.onClose(() -> {
            timer.cancel(false);
            queryResponses.remove(resp.lTime(), resp);
        });
        if (state == SerfState.SHUTDOWN) {
            resp.close(); // shutdown may have closed the open queries before this one was registered
        }
    }

    /** Force-leave: marks a failed node as left so it is no longer reconnected. */
    public void removeFailedNode(String node) throws SerfException {
        forceLeave(node, false);
    }

    /** Force-leave with prune: also erases the node from every member list at once. */
    public void removeFailedNodePrune(String node) throws SerfException {
        forceLeave(node, true);
    }

    private void forceLeave(String node, boolean prune) throws SerfException {
        SerfMessage.Leave msg = new SerfMessage.Leave(clock.time(), node, prune);
        clock.increment();
        handleNodeLeaveIntent(msg);
        if (!anyOtherAlive()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        queue(intentQueue, SerfCodec.encode(msg), done);
        try {
            if (!done.await(config.broadcastTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new SerfException("timed out broadcasting node removal");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerfException("interrupted broadcasting node removal");
        }
    }

    /** Leaves gracefully: tells the cluster, waits for the message to spread, then leaves memberlist. */
    public void leave() throws SerfException {
        stateLock.lock();
        try {
            switch (state) {
                case LEFT -> {
                    return;
                }
                case LEAVING -> throw new SerfException("Leave already in progress");
                case SHUTDOWN -> throw new SerfException("Leave called after Shutdown");
                default -> state = SerfState.LEAVING;
            }
        } finally {
            stateLock.unlock();
        }
        if (snapshotter != null) {
            snapshotter.leave();
        }
        SerfMessage.Leave msg = new SerfMessage.Leave(clock.time(), config.nodeName(), false);
        clock.increment();
        handleNodeLeaveIntent(msg);
        if (anyOtherAlive()) {
            CountDownLatch done = new CountDownLatch(1);
            queue(intentQueue, SerfCodec.encode(msg), done);
            try {
                if (!done.await(config.broadcastTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                    log.log(System.Logger.Level.WARNING, "serf: timeout while waiting for graceful leave");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            memberlist.leave(config.broadcastTimeout());
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "serf: timeout waiting for leave broadcast: " + e.getMessage());
        }
        try {
            shutdownLatch.await(config.leavePropagateDelay().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stateLock.lock();
        try {
            if (state != SerfState.SHUTDOWN) {
                state = SerfState.LEFT;
            }
        } finally {
            stateLock.unlock();
        }
    }

    private boolean anyOtherAlive() {
        memberLock.lock();
        try {
            for (MemberState ms : members.values()) {
                if (ms.status() == MemberStatus.ALIVE && !ms.member.name().equals(config.nodeName())) {
                    return true;
                }
            }
            return false;
        } finally {
            memberLock.unlock();
        }
    }

    /** Stops everything without leaving (peers will see a failure). Idempotent. */
    public void shutdown() {
        stateLock.lock();
        try {
            if (state == SerfState.SHUTDOWN) {
                return;
            }
            if (state != SerfState.LEFT) {
                log.log(System.Logger.Level.WARNING, "serf: Shutdown without a Leave");
            }
            state = SerfState.SHUTDOWN;
        } finally {
            stateLock.unlock();
        }
        shutdownLatch.countDown();
        if (memberlist != null) {
            memberlist.shutdown();
        }
        for (Thread t : loops) {
            t.interrupt();
        }
        conflicts.shutdown();
        for (QueryResponse r : List.copyOf(queryResponses.values())) {
            r.close();
        }
        deadlines.shutdown();
        internalQueries.shutdown();
        if (snapshotter != null) {
            snapshotter.close();
        }
        if (userCoalescer != null) {
            userCoalescer.shutdown();
        }
        if (memberCoalescer != null) {
            memberCoalescer.shutdown();
        }
        if (delivery != null) {
            delivery.shutdown();
        }
        for (Thread t : loops) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        shutdownFuture.complete(null);
    }

    /** Completes when the node has shut down (by {@link #shutdown()} or a lost name conflict). */
    public CompletableFuture<Void> shutdownFuture() {
        return shutdownFuture.copy();
    }

    /** Go's Stats(): every value a string. */
    public Map<String, String> stats() {
        Map<String, String> out = new LinkedHashMap<>();
        memberLock.lock();
        try {
            out.put("members", Integer.toString(members.size()));
            out.put("failed", Integer.toString(failedMembers.size()));
            out.put("left", Integer.toString(leftMembers.size()));
        } finally {
            memberLock.unlock();
        }
        out.put("health_score", Integer.toString(memberlist.healthScore()));
        out.put("member_time", Long.toUnsignedString(clock.time()));
        out.put("event_time", Long.toUnsignedString(eventClock.time()));
        out.put("query_time", Long.toUnsignedString(queryClock.time()));
        out.put("intent_queue", Integer.toString(intentQueue.numQueued()));
        out.put("event_queue", Integer.toString(eventQueue.numQueued()));
        out.put("query_queue", Integer.toString(queryQueue.numQueued()));
        out.put("encrypted", Boolean.toString(encryptionEnabled()));
        if (coordClient != null) {
            out.put("coordinate_resets", Long.toString(coordClient.stats().resets()));
        }
        dropCounts().asMap().forEach((k, v) -> out.put(k, Long.toString(v)));
        // What memberlist dropped or refused, and its input budget (shared by the nodes of a process).
        memberlist.stats().asMap().forEach((k, v) -> out.put("memberlist_" + k, Long.toString(v)));
        return out;
    }

    /** What this node dropped or refused because a bound was reached (also in {@link #stats()}). */
    public DropCounts dropCounts() {
        return drops.counts(snapshotter == null ? 0 : snapshotter.droppedEvents());
    }

    /** This node's network coordinate; empty when coordinates are disabled. */
    public Optional<Coordinate> getCoordinate() {
        return coordClient == null ? Optional.empty() : Optional.of(coordClient.getCoordinate());
    }

    /** The last coordinate seen for {@code node}; empty if none (or coordinates are disabled). */
    public Optional<Coordinate> getCachedCoordinate(String node) {
        if (coordClient == null) {
            return Optional.empty();
        }
        if (node.equals(config.nodeName())) {
            return Optional.of(coordClient.getCoordinate());
        }
        return Optional.ofNullable(coordCache.get(node));
    }

    // ------------------------------------------------------------------------------------------
    // Broadcast queues
    // ------------------------------------------------------------------------------------------

    private record SerfBroadcast(byte[] message, CountDownLatch done) implements UniqueBroadcast {
        @Override
        public boolean invalidates(Broadcast other) {
            return false;
        }

        @Override
        public void finished() {
            if (done != null) {
                done.countDown();
            }
        }
    }

    private static void queue(TransmitLimitedQueue q, byte[] raw, CountDownLatch done) {
        q.queueBroadcast(new SerfBroadcast(raw, done));
    }

    /** memberlist's Delegate.GetBroadcasts: intents first, then queries, then events. */
    List<byte[]> getBroadcasts(int overhead, int limit) {
        List<byte[]> out = new ArrayList<>(intentQueue.getBroadcasts(overhead, limit));
        int used = 0;
        for (byte[] b : out) {
            used += b.length + overhead;
        }
        List<byte[]> q = queryQueue.getBroadcasts(overhead, limit - used);
        for (byte[] b : q) {
            used += b.length + overhead;
        }
        out.addAll(q);
        out.addAll(eventQueue.getBroadcasts(overhead, limit - used));
        return out;
    }

    private void checkQueueDepths() {
        int max = config.maxQueueDepth();
        if (config.minQueueDepth() > 0) {
            max = Math.max(config.minQueueDepth(), 2 * numMembers());
        }
        check("Intent", intentQueue, max);
        check("Event", eventQueue, max);
        check("Query", queryQueue, max);
    }

    private void check(String name, TransmitLimitedQueue q, int max) {
        int n = q.numQueued();
        if (n >= config.queueDepthWarning()) {
            log.log(System.Logger.Level.WARNING, "serf: " + name + " queue depth: " + n);
        }
        if (n > max) {
            log.log(System.Logger.Level.WARNING, "serf: " + name + " queue depth (" + n + ") exceeds limit (" + max + "), dropping messages!");
            q.prune(max);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Inbound messages (memberlist Delegate.NotifyMsg)
    // ------------------------------------------------------------------------------------------

    void notifyMsg(byte[] buf) {
        if (buf.length == 0) {
            return;
        }
        SerfMessage msg;
        try {
            msg = SerfCodec.decode(buf, 0, buf.length);
        } catch (DecodeException e) {
            log.log(System.Logger.Level.WARNING, "serf: Error decoding message: " + e.getMessage());
            return;
        }
        log.log(System.Logger.Level.DEBUG, () -> "serf: " + switch (msg) {
            case SerfMessage.Leave l -> "messageLeaveType: " + l.node();
            case SerfMessage.Join j -> "messageJoinType: " + j.node();
            case SerfMessage.UserEvent ue -> "messageUserEventType: " + ue.name();
            case SerfMessage.Query q -> "messageQueryType: " + q.name();
            case SerfMessage.QueryResponse r -> "messageQueryResponseType: " + r.from();
            default -> "message type " + msg.type();
        });
        switch (msg) {
            case SerfMessage.Leave l -> {
                if (handleNodeLeaveIntent(l)) {
                    queue(intentQueue, buf, null);
                }
            }
            case SerfMessage.Join j -> {
                if (handleNodeJoinIntent(j)) {
                    queue(intentQueue, buf, null);
                }
            }
            case SerfMessage.UserEvent ue -> {
                if (handleUserEvent(ue)) {
                    queue(eventQueue, buf, null);
                }
            }
            case SerfMessage.Query q -> {
                if (handleQuery(q)) {
                    queue(queryQueue, buf, null);
                }
            }
            case SerfMessage.QueryResponse r -> handleQueryResponse(r);
            case SerfMessage.Relay r -> handleRelay(r);
            default -> log.log(System.Logger.Level.WARNING, "serf: Received message of unknown type " + msg.type());
        }
    }

    private void handleRelay(SerfMessage.Relay r) {
        try {
            InetAddress addr = InetAddress.getByAddress(r.destAddr());
            memberlist.sendToAddress(new InetSocketAddress(addr, r.destPort()), r.inner());
        } catch (UnknownHostException | IllegalArgumentException e) {
            log.log(System.Logger.Level.WARNING, "serf: bad relay destination: " + e.getMessage());
        } catch (IOException e) {
            log.log(System.Logger.Level.ERROR, "serf: failed to forward relayed message: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Membership (memberlist EventDelegate) and intents
    // ------------------------------------------------------------------------------------------

    Member nodeToMember(Node n, MemberStatus status) {
        return new Member(n.name(), n.addr(), n.port(), Tags.decodeMeta(n.meta()), status,
                n.pMin(), n.pMax(), n.pCur(), n.dMin(), n.dMax(), n.dCur());
    }

    void handleNodeJoin(Node n) {
        Event e;
        List<Event> evicted = new ArrayList<>();
        memberLock.lock();
        try {
            MemberState ms = members.get(n.name());
            IntentBuffer.Intent intent = recentIntents.get(n.name());
            if (ms == null) {
                evictForNewMember(evicted);
                MemberStatus status = MemberStatus.ALIVE;
                long statusLTime = 0;
                if (intent != null) {
                    statusLTime = intent.lTime();
                    if (intent.kind() == IntentBuffer.Kind.LEAVE) {
                        status = MemberStatus.LEAVING;
                    }
                    recentIntents.remove(n.name());
                }
                ms = new MemberState(nodeToMember(n, status));
                ms.statusLTime = statusLTime;
                members.put(n.name(), ms);
            } else {
                ms.member = nodeToMember(n, MemberStatus.ALIVE);
                ms.leaveTimeNanos = 0;
                failedMembers.remove(ms);
                leftMembers.remove(ms);
                if (intent != null) {
                    recentIntents.remove(n.name());
                }
            }
            e = new Event.MemberEvent(EventType.MEMBER_JOIN, List.of(ms.member));
            log.log(System.Logger.Level.INFO, "serf: EventMemberJoin: " + n.name() + " " + n.addr().getHostAddress());
        } finally {
            memberLock.unlock();
        }
        evicted.forEach(this::emit);
        emit(e);
    }

    /**
     * Memberlist bounds the nodes it knows ({@code maxNodes}), but Serf keeps failed members for the
     * reconnect timeout (a day by default) after memberlist has forgotten them, so members that do
     * not exist could pile up here. At the bound, the oldest failed member (else the oldest left one)
     * is reaped early to make room; caller holds the member lock.
     */
    private void evictForNewMember(List<Event> events) {
        if (members.size() < maxMembers) {
            return;
        }
        List<MemberState> from = !failedMembers.isEmpty() ? failedMembers : leftMembers;
        if (from.isEmpty()) {
            return; // all alive: memberlist's own bound holds them
        }
        MemberState oldest = from.get(0);
        drops.membersEvicted.dropped(oldest.member.name());
        eraseMember(oldest, events);
    }

    void handleNodeLeave(Node n) {
        Event e;
        memberLock.lock();
        try {
            MemberState ms = members.get(n.name());
            if (ms == null) {
                return;
            }
            switch (ms.status()) {
                case LEAVING -> {
                    ms.setStatus(MemberStatus.LEFT);
                    ms.leaveTimeNanos = System.nanoTime();
                    leftMembers.add(ms);
                }
                case ALIVE -> {
                    ms.setStatus(MemberStatus.FAILED);
                    ms.leaveTimeNanos = System.nanoTime();
                    failedMembers.add(ms);
                }
                default -> {
                    log.log(System.Logger.Level.WARNING, "serf: Bad state when leave: " + ms.status());
                    return;
                }
            }
            EventType type = ms.status() == MemberStatus.LEFT ? EventType.MEMBER_LEAVE : EventType.MEMBER_FAILED;
            log.log(System.Logger.Level.INFO, "serf: " + (type == EventType.MEMBER_LEAVE ? "EventMemberLeave: " : "EventMemberFailed: ")
                    + n.name() + " " + n.addr().getHostAddress());
            e = new Event.MemberEvent(type, List.of(ms.member));
        } finally {
            memberLock.unlock();
        }
        emit(e);
    }

    void handleNodeUpdate(Node n) {
        Event e;
        memberLock.lock();
        try {
            MemberState ms = members.get(n.name());
            if (ms == null) {
                return;
            }
            ms.member = nodeToMember(n, ms.status());
            log.log(System.Logger.Level.INFO, "serf: EventMemberUpdate: " + n.name());
            e = new Event.MemberEvent(EventType.MEMBER_UPDATE, List.of(ms.member));
        } finally {
            memberLock.unlock();
        }
        emit(e);
    }

    /** Applies a join intent; true if it was new (then it is rebroadcast). */
    boolean handleNodeJoinIntent(SerfMessage.Join j) {
        clock.witness(j.lTime());
        memberLock.lock();
        try {
            MemberState ms = members.get(j.node());
            if (ms == null) {
                return recentIntents.upsert(j.node(), IntentBuffer.Kind.JOIN, j.lTime());
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
            memberLock.unlock();
        }
    }

    /** Applies a leave intent; true if it was new (then it is rebroadcast). */
    boolean handleNodeLeaveIntent(SerfMessage.Leave l) {
        clock.witness(l.lTime());
        List<Event> events = new ArrayList<>(2);
        boolean refute = false;
        boolean rebroadcast;
        memberLock.lock();
        try {
            MemberState ms = members.get(l.node());
            if (ms == null) {
                return recentIntents.upsert(l.node(), IntentBuffer.Kind.LEAVE, l.lTime());
            }
            if (Long.compareUnsigned(l.lTime(), ms.statusLTime) <= 0) {
                return false;
            }
            if (l.node().equals(config.nodeName()) && state == SerfState.ALIVE) {
                // Someone force-left us while we are alive: refute with a fresh join intent.
                refute = true;
                rebroadcast = false;
            } else {
                ms.statusLTime = l.lTime();
                switch (ms.status()) {
                    case ALIVE -> ms.setStatus(MemberStatus.LEAVING);
                    case FAILED -> {
                        ms.setStatus(MemberStatus.LEFT);
                        failedMembers.remove(ms);
                        leftMembers.add(ms);
                        log.log(System.Logger.Level.INFO, "serf: EventMemberLeave (forced): " + l.node());
                        events.add(new Event.MemberEvent(EventType.MEMBER_LEAVE, List.of(ms.member)));
                    }
                    default -> { }
                }
                if (l.prune()) {
                    eraseMember(ms, events);
                }
                rebroadcast = true;
            }
        } finally {
            memberLock.unlock();
        }
        if (refute) {
            log.log(System.Logger.Level.DEBUG, "serf: Refuting an older leave intent");
            broadcastJoin(clock.time());
            return false;
        }
        events.forEach(this::emit);
        return rebroadcast;
    }

    /** Removes a member everywhere (prune or reap); caller holds the member lock. */
    private void eraseMember(MemberState ms, List<Event> events) {
        String name = ms.member.name();
        members.remove(name);
        failedMembers.remove(ms);
        leftMembers.remove(ms);
        coordCache.remove(name);
        if (coordClient != null) {
            coordClient.forgetNode(name);
        }
        log.log(System.Logger.Level.INFO, "serf: EventMemberReap: " + name);
        events.add(new Event.MemberEvent(EventType.MEMBER_REAP, List.of(ms.member)));
    }

    private void reap() {
        List<Event> events = new ArrayList<>();
        memberLock.lock();
        try {
            long now = System.nanoTime();
            for (MemberState ms : List.copyOf(failedMembers)) {
                if (now - ms.leaveTimeNanos > config.reconnectTimeout().toNanos()) {
                    eraseMember(ms, events);
                }
            }
            for (MemberState ms : List.copyOf(leftMembers)) {
                if (now - ms.leaveTimeNanos > config.tombstoneTimeout().toNanos()) {
                    eraseMember(ms, events);
                }
            }
            recentIntents.reap(config.recentIntentTimeout().toNanos());
        } finally {
            memberLock.unlock();
        }
        events.forEach(this::emit);
    }

    private void reconnect() {
        Member target;
        memberLock.lock();
        try {
            int failed = failedMembers.size();
            if (failed == 0) {
                return;
            }
            int alive = members.size() - failed - leftMembers.size();
            double prob = (double) failed / Math.max(1, alive);
            if (ThreadLocalRandom.current().nextDouble() > prob) {
                return;
            }
            target = failedMembers.get(ThreadLocalRandom.current().nextInt(failed)).member;
        } finally {
            memberLock.unlock();
        }
        String addr = target.name() + "/" + hostPort(target.addr(), target.port());
        log.log(System.Logger.Level.INFO, "serf: attempting reconnect to " + addr);
        try {
            memberlist.join(List.of(addr));
        } catch (IOException e) {
            log.log(System.Logger.Level.DEBUG, "serf: reconnect to " + target.name() + " failed: " + e.getMessage());
        }
    }

    private static String hostPort(InetAddress a, int port) {
        String h = a.getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    private void rejoin(List<KnownNode> prev) {
        for (KnownNode n : prev) {
            if (state == SerfState.SHUTDOWN) {
                return;
            }
            if (n.name().equals(config.nodeName())) {
                continue;
            }
            try {
                memberlist.join(List.of(n.joinAddress()));
                log.log(System.Logger.Level.INFO, "serf: Re-joined to previously known node: " + n);
                return;
            } catch (IOException e) {
                log.log(System.Logger.Level.WARNING, "serf: Failed to join " + n + ": " + e.getMessage());
            }
        }
        log.log(System.Logger.Level.WARNING, "serf: Failed to re-join any previously known node");
    }

    // ------------------------------------------------------------------------------------------
    // User events
    // ------------------------------------------------------------------------------------------

    /** True (and logged) when {@code lTime} is older than the buffer of {@code size} slots still covers. */
    private boolean outsideBuffer(long lTime, long cur, int size, String what, String name) {
        if (Long.compareUnsigned(cur, size) > 0 && Long.compareUnsigned(lTime, cur - size) < 0) {
            log.log(System.Logger.Level.WARNING, "serf: received old " + what + " " + name + " from time " + lTime + " (current: " + cur + ")");
            return true;
        }
        return false;
    }

    /** Records and delivers a user event; true if it was new. */
    boolean handleUserEvent(SerfMessage.UserEvent ue) {
        eventClock.witness(ue.lTime());
        eventLock.lock();
        try {
            if (Long.compareUnsigned(ue.lTime(), eventMinTime.get()) < 0) {
                return false;
            }
            if (outsideBuffer(ue.lTime(), eventClock.time(), eventBuffer.size(), "event", ue.name())) {
                return false;
            }
            switch (eventBuffer.record(ue.lTime(), ue.name(), ue.payload())) {
                case DUPLICATE -> {
                    return false;
                }
                case FULL -> {
                    drops.eventBuffer.dropped("user event " + ue.name() + " at LTime " + ue.lTime());
                    return false;
                }
                case NEW -> drops.eventBuffer.passed();
            }
        } finally {
            eventLock.unlock();
        }
        emit(new Event.UserEvent(ue.lTime(), ue.name(), ue.payload(), ue.cc()));
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Queries
    // ------------------------------------------------------------------------------------------

    /** Records, acks and delivers a query; true if it should be rebroadcast. */
    boolean handleQuery(SerfMessage.Query q) {
        queryClock.witness(q.lTime());
        queryLock.lock();
        try {
            if (Long.compareUnsigned(q.lTime(), queryMinTime.get()) < 0) {
                return false;
            }
            if (outsideBuffer(q.lTime(), queryClock.time(), queryBuffer.size(), "query", q.name())) {
                return false;
            }
            switch (queryBuffer.record(q.lTime(), q.id())) {
                case DUPLICATE -> {
                    return false;
                }
                case FULL -> {
                    drops.queryBuffer.dropped("query " + q.name() + " at LTime " + q.lTime());
                    return false;
                }
                case NEW -> drops.queryBuffer.passed();
            }
        } finally {
            queryLock.unlock();
        }
        boolean rebroadcast = !q.noBroadcast();
        if (!Filters.matches(q.filters(), config.nodeName(), tags)) {
            return rebroadcast;
        }
        InetAddress addr;
        try {
            addr = InetAddress.getByAddress(q.addr());
        } catch (UnknownHostException | NullPointerException e) {
            log.log(System.Logger.Level.WARNING, "serf: query with a bad source address ignored");
            return rebroadcast;
        }
        if (q.ack()) {
            SerfMessage.QueryResponse ack = new SerfMessage.QueryResponse(q.lTime(), q.id(), config.nodeName(), 1, null);
            byte[] raw = SerfCodec.encode(ack);
            sendTo(addr, q.port(), raw);
            try {
                relayResponse(q.relayFactor(), addr, q.port(), q.sourceNode(), raw);
            } catch (QueryException e) {
                log.log(System.Logger.Level.ERROR, "serf: failed to relay ack: " + e.getMessage());
            }
        }
        emit(new Query(q.lTime(), q.name(), q.payload(), q.id(), addr, q.port(), q.sourceNode(),
                q.timeoutNanos(), q.relayFactor(), this::respond));
        return rebroadcast;
    }

    private void sendTo(InetAddress addr, int port, byte[] raw) {
        try {
            memberlist.sendToAddress(new InetSocketAddress(addr, port), raw);
        } catch (IOException e) {
            log.log(System.Logger.Level.ERROR, "serf: failed to send to " + addr.getHostAddress() + ":" + port + ": " + e.getMessage());
        }
    }

    private void respond(Query q, byte[] payload) throws QueryException {
        SerfMessage.QueryResponse resp = new SerfMessage.QueryResponse(q.lTime(), q.id(), config.nodeName(), 0, payload);
        byte[] raw = SerfCodec.encode(resp);
        if (raw.length > config.queryResponseSizeLimit()) {
            throw new QueryException("failed to respond to key query: response exceeds limit of " + config.queryResponseSizeLimit() + " bytes");
        }
        if (q.respondedFlag().get()) {
            throw new QueryException("failed to respond to key query: response already sent");
        }
        if (System.nanoTime() > q.deadlineNanos()) {
            throw new QueryException("failed to respond to key query: response is past the deadline");
        }
        sendTo(q.sourceAddr(), q.sourcePort(), raw);
        try {
            relayResponse(q.relayFactor(), q.sourceAddr(), q.sourcePort(), q.sourceNode(), raw);
        } catch (QueryException e) {
            throw new QueryException("failed to respond to key query: " + e.getMessage());
        }
        if (!q.respondedFlag().compareAndSet(false, true)) {
            throw new QueryException("failed to respond to key query: response already sent");
        }
    }

    private void relayResponse(int relayFactor, InetAddress addr, int port, String sourceNode, byte[] raw) throws QueryException {
        if (relayFactor == 0) {
            return;
        }
        List<Member> candidates = new ArrayList<>();
        int total;
        memberLock.lock();
        try {
            total = members.size();
            for (MemberState ms : members.values()) {
                Member m = ms.member;
                if (m.status() == MemberStatus.ALIVE && m.protocolMax() >= 5 && !m.name().equals(config.nodeName())) {
                    candidates.add(m);
                }
            }
        } finally {
            memberLock.unlock();
        }
        if (total < relayFactor + 1) {
            return;
        }
        byte[] relay = SerfCodec.encode(new SerfMessage.Relay(addr.getAddress(), port, "", sourceNode, raw));
        if (relay.length > config.queryResponseSizeLimit()) {
            throw new QueryException("relayed response exceeds limit of " + config.queryResponseSizeLimit() + " bytes");
        }
        java.util.Collections.shuffle(candidates, ThreadLocalRandom.current());
        for (Member m : candidates.subList(0, Math.min(relayFactor, candidates.size()))) {
            sendTo(m.addr(), m.port(), relay);
        }
    }

    private void handleQueryResponse(SerfMessage.QueryResponse r) {
        QueryResponse query = queryResponses.get(r.lTime());
        if (query == null) {
            log.log(System.Logger.Level.DEBUG, "serf: reply for non-running query (LTime: " + r.lTime() + ", ID: " + r.id() + ") From: " + r.from());
            return;
        }
        if (query.id() != r.id()) {
            log.log(System.Logger.Level.WARNING, "serf: query reply ID mismatch (Local: " + query.id() + ", Response: " + r.id() + ")");
            return;
        }
        if (r.ack()) {
            query.addAck(r.from());
        } else {
            query.addResponse(r.from(), r.payload());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Internal queries
    // ------------------------------------------------------------------------------------------

    private void handleInternalQuery(Query q) {
        switch (q.name()) {
            case PING_QUERY -> { } // the ack already answered it
            case CONFLICT_QUERY -> answerConflict(q);
            case INSTALL_KEY_QUERY, USE_KEY_QUERY, REMOVE_KEY_QUERY, LIST_KEYS_QUERY -> keyManager.answer(q);
            default -> log.log(System.Logger.Level.WARNING, "serf: Unhandled internal query '" + q.name() + "'");
        }
    }

    private void answerConflict(Query q) {
        String node = q.payload() == null ? "" : new String(q.payload(), StandardCharsets.UTF_8);
        if (node.equals(config.nodeName())) {
            return;
        }
        SerfMessage.MemberRecord rec = null;
        memberLock.lock();
        try {
            MemberState ms = members.get(node);
            if (ms != null) {
                Member m = ms.member;
                rec = new SerfMessage.MemberRecord(m.name(), m.addr().getAddress(), m.port(), m.tags(), m.status().code(),
                        m.protocolMin(), m.protocolMax(), m.protocolCur(), m.delegateMin(), m.delegateMax(), m.delegateCur());
            }
        } finally {
            memberLock.unlock();
        }
        try {
            q.respond(SerfCodec.encode(new SerfMessage.ConflictResponse(rec)));
        } catch (QueryException e) {
            log.log(System.Logger.Level.ERROR, "serf: Failed to respond to conflict query: " + e.getMessage());
        }
    }

    /**
     * memberlist's conflict delegate. Anyone can trigger it with a forged alive message, so the
     * resolution (a cluster-wide query) is rate-limited, and so is the log.
     */
    void handleConflict(Node existing, Node other) {
        long now = System.nanoTime();
        long last = lastConflictLogNanos.get();
        boolean logIt = now - last >= CONFLICT_RESOLUTION_INTERVAL.toNanos() && lastConflictLogNanos.compareAndSet(last, now);
        if (!logIt) {
            if (existing.name().equals(config.nodeName()) && config.enableNameConflictResolution()) {
                conflicts.request();
            }
            return;
        }
        if (!existing.name().equals(config.nodeName())) {
            log.log(System.Logger.Level.WARNING, "serf: Name conflict for '" + existing.name() + "' both "
                    + hostPort(existing.addr(), existing.port()) + " and " + hostPort(other.addr(), other.port()) + " are claiming");
            return;
        }
        log.log(System.Logger.Level.ERROR, "serf: Node name conflicts with another node at " + hostPort(other.addr(), other.port())
                + ". Names must be unique! (Resolution enabled: " + config.enableNameConflictResolution() + ")");
        if (config.enableNameConflictResolution()) {
            conflicts.request();
        }
    }

    private void resolveNodeConflict() {
        QueryResponse resp;
        try {
            resp = query(CONFLICT_QUERY, config.nodeName().getBytes(StandardCharsets.UTF_8), defaultQueryParams());
        } catch (SerfException e) {
            log.log(System.Logger.Level.ERROR, "serf: Failed to start name resolution query: " + e.getMessage());
            return;
        }
        int responses = 0;
        int matching = 0;
        InetSocketAddress local = memberlist.advertiseAddress();
        try {
            for (NodeResponse r : resp.awaitResponses()) {
                byte[] p = r.payload();
                if (p == null || p.length == 0 || p[0] != 6) {
                    log.log(System.Logger.Level.ERROR, "serf: Invalid conflict query response type");
                    continue;
                }
                SerfMessage decoded;
                try {
                    decoded = SerfCodec.decode(p, 0, p.length);
                } catch (DecodeException e) {
                    log.log(System.Logger.Level.ERROR, "serf: Failed to decode conflict query response: " + e.getMessage());
                    continue;
                }
                responses++;
                if (decoded instanceof SerfMessage.ConflictResponse cr && cr.member() != null) {
                    try {
                        InetAddress a = InetAddress.getByAddress(cr.member().addr());
                        if (a.equals(local.getAddress()) && cr.member().port() == local.getPort()) {
                            matching++;
                        }
                    } catch (UnknownHostException | NullPointerException e) {
                        // a bad address does not match
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        int majority = responses / 2 + 1;
        if (matching >= majority) {
            log.log(System.Logger.Level.INFO, "serf: majority in name conflict resolution [" + matching + " / " + responses + "]");
            return;
        }
        log.log(System.Logger.Level.WARNING, "serf: minority in name conflict resolution, quitting [" + matching + " / " + responses + "]");
        shutdown();
    }

    // ------------------------------------------------------------------------------------------
    // Push/pull state (memberlist Delegate.LocalState / MergeRemoteState)
    // ------------------------------------------------------------------------------------------

    byte[] localState() {
        Map<String, Long> statusLTimes = new LinkedHashMap<>();
        List<String> left = new ArrayList<>();
        memberLock.lock();
        try {
            for (MemberState ms : members.values()) {
                statusLTimes.put(ms.member.name(), ms.statusLTime);
            }
            for (MemberState ms : leftMembers) {
                left.add(ms.member.name());
            }
        } finally {
            memberLock.unlock();
        }
        List<SerfMessage.UserEventCollection> events;
        eventLock.lock();
        try {
            events = eventBuffer.snapshot();
        } finally {
            eventLock.unlock();
        }
        return SerfCodec.encode(new SerfMessage.PushPull(clock.time(), statusLTimes, left, eventClock.time(), events, queryClock.time()));
    }

    void mergeRemoteState(byte[] buf, boolean join) {
        if (buf.length == 0 || buf[0] != 2) {
            log.log(System.Logger.Level.ERROR, "serf: Remote state has bad type prefix");
            return;
        }
        SerfMessage decoded;
        try {
            decoded = SerfCodec.decode(buf, 0, buf.length);
        } catch (DecodeException e) {
            log.log(System.Logger.Level.ERROR, "serf: Failed to decode remote state: " + e.getMessage());
            return;
        }
        if (!(decoded instanceof SerfMessage.PushPull pp)) {
            return;
        }
        if (pp.lTime() > 0) {
            clock.witness(pp.lTime() - 1);
        }
        if (pp.eventLTime() > 0) {
            eventClock.witness(pp.eventLTime() - 1);
        }
        if (pp.queryLTime() > 0) {
            queryClock.witness(pp.queryLTime() - 1);
        }
        Map<String, Long> statusLTimes = pp.statusLTimes() == null ? Map.of() : pp.statusLTimes();
        List<String> left = pp.leftMembers() == null ? List.of() : pp.leftMembers();
        java.util.Set<String> leftSet = new java.util.HashSet<>(left);
        for (String name : left) {
            long lt = statusLTimes.getOrDefault(name, 0L);
            handleNodeLeaveIntent(new SerfMessage.Leave(lt + 1, name, false));
        }
        for (Map.Entry<String, Long> e : statusLTimes.entrySet()) {
            if (!leftSet.contains(e.getKey())) {
                handleNodeJoinIntent(new SerfMessage.Join(e.getValue(), e.getKey()));
            }
        }
        if (join && eventJoinIgnore) {
            eventLock.lock();
            try {
                if (Long.compareUnsigned(pp.eventLTime(), eventMinTime.get()) > 0) {
                    eventMinTime.set(pp.eventLTime());
                }
            } finally {
                eventLock.unlock();
            }
        }
        if (pp.events() != null) {
            for (SerfMessage.UserEventCollection slot : pp.events()) {
                if (slot == null || slot.events() == null) {
                    continue;
                }
                for (SerfMessage.UserEventData d : slot.events()) {
                    handleUserEvent(new SerfMessage.UserEvent(slot.lTime(), d.name(), d.payload(), false));
                }
            }
        }
    }

    byte[] nodeMeta(int limit) {
        byte[] meta = Tags.encodeMeta(tags, config.protocolVersion());
        if (meta.length > limit) {
            throw new IllegalStateException("Encoded length of tags exceeds limit of " + limit + " bytes");
        }
        return meta;
    }

    // ------------------------------------------------------------------------------------------
    // Coordinates (memberlist PingDelegate)
    // ------------------------------------------------------------------------------------------

    private final class PingHandler implements serf.memberlist.PingDelegate {
        @Override
        public byte[] ackPayload() {
            return CoordinateCodec.encode(coordClient.getCoordinate());
        }

        @Override
        public void notifyPingComplete(Node other, Duration rtt, byte[] payload) {
            if (payload == null || payload.length == 0) {
                return;
            }
            try {
                Coordinate coord = CoordinateCodec.decode(payload);
                coordClient.update(other.name(), coord, rtt);
                coordCache.put(other.name(), coord);
            } catch (DecodeException | IllegalArgumentException e) {
                log.log(System.Logger.Level.DEBUG, "serf: rejected coordinate from " + other.name() + ": " + e.getMessage());
            }
        }
    }

    // package-private accessors for KeyManager
    System.Logger log() {
        return log;
    }

    Config rawConfig() {
        return config;
    }

}
