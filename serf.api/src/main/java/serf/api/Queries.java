package serf.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import serf.api.internal.msg.Filters;
import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;
import serf.memberlist.Clock;
import serf.memberlist.Scheduler;

/**
 * Queries, both ends (Go's query.go and the query half of serf.go): sending one and collecting its
 * acks and responses until its timeout (a timer on the node's scheduler), receiving one
 * (dedupe in the query ring, filters, ack, delivery), answering and relaying answers. Query ids
 * and relay choices come from the node's random source, deadlines from its clock.
 */
final class Queries {
    /** Queries this node may have open at once (each holds a timer entry and its answers). */
    static final int MAX_OPEN_QUERIES = 1024;
    static final int MAX_IDS_PER_SLOT = 128;

    /** What queries need from memberlist. */
    interface Network {
        InetSocketAddress advertiseAddress();

        /** Live members as memberlist counts them (the timeout and the response buffers scale with it). */
        int numMembers();

        void sendTo(InetSocketAddress to, byte[] raw) throws IOException;
    }

    private final Config config;
    private final LamportClock clock = new LamportClock();
    private final Clock time;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final DropCounters drops;
    private final System.Logger log;
    private final Network net;
    private final MemberTracker members;
    private final SerfBroadcasts broadcasts;
    private final Supplier<Map<String, String>> tags;
    private final Consumer<Event> emit;
    private final BooleanSupplier shutDown;
    private final ReentrantLock lock = new ReentrantLock();
    private final LTimeRing<Long> ring;
    private final Map<Long, QueryResponse> open = new ConcurrentHashMap<>();
    private long minTime;

    Queries(Config config, Clock time, Scheduler scheduler, RandomGenerator random, DropCounters drops, System.Logger log,
            Network net, MemberTracker members, SerfBroadcasts broadcasts, Supplier<Map<String, String>> tags,
            Consumer<Event> emit, BooleanSupplier shutDown) {
        this.config = config;
        this.time = time;
        this.scheduler = scheduler;
        this.random = random;
        this.drops = drops;
        this.log = log;
        this.net = net;
        this.members = members;
        this.broadcasts = broadcasts;
        this.tags = tags;
        this.emit = emit;
        this.shutDown = shutDown;
        this.ring = newRing(config.queryBuffer());
    }

    /** The ring of query ids seen (its own method so its bounds are tested on their own). */
    static LTimeRing<Long> newRing(int size) {
        return new LTimeRing<>(size, MAX_IDS_PER_SLOT, Long.MAX_VALUE, id -> 0, Long::equals);
    }

    LamportClock clock() {
        return clock;
    }

    /** Queries at an LTime below {@code t} are ignored (a snapshot saw them already). */
    private SerfMetrics metrics = SerfMetrics.detached();

    /** The node's metrics (set once, before memberlist starts). */
    void metrics(SerfMetrics m) {
        metrics = m;
    }

    void setMinTime(long t) {
        lock.lock();
        try {
            minTime = t;
        } finally {
            lock.unlock();
        }
    }

    /** Go's default query timeout: GossipInterval × QueryTimeoutMult × ceil(log10(N + 1)), at least one step. */
    static Duration defaultTimeout(Duration gossipInterval, int timeoutMult, int n) {
        long factor = (long) timeoutMult * Math.max(1, (long) Math.ceil(Math.log10(n + 1.0)));
        try { // in nanoseconds: Duration.multipliedBy goes through BigDecimal, dear under the interpreter
            return Duration.ofNanos(Math.multiplyExact(gossipInterval.toNanos(), factor));
        } catch (ArithmeticException beyondLong) {
            return gossipInterval.multipliedBy(factor);
        }
    }

    Duration defaultTimeout() {
        return defaultTimeout(config.memberlistConfig().gossipInterval(), config.queryTimeoutMult(), net.numMembers());
    }

    // ---- sending ------------------------------------------------------------------------------

    /** Sends a query to the cluster; acks and responses arrive on the returned collector. */
    QueryResponse send(String name, byte[] payload, QueryParam p) throws SerfException {
        Duration timeout = p.timeout().isZero() ? defaultTimeout() : p.timeout();
        List<byte[]> filters = new ArrayList<>();
        if (!p.filterNodes().isEmpty()) {
            filters.add(Filters.encode(new Filters.NodeFilter(p.filterNodes())));
        }
        for (Map.Entry<String, String> t : p.filterTags().entrySet()) {
            filters.add(Filters.encode(new Filters.TagFilter(t.getKey(), t.getValue())));
        }
        long flags = p.requestAck() ? SerfMessage.Query.FLAG_ACK : 0;
        InetSocketAddress adv = net.advertiseAddress();
        int id = random.nextInt(Integer.MAX_VALUE);
        byte[] raw = SerfCodec.encode(message(clock.time(), id, adv, filters, flags, p, timeout, name, payload));
        if (raw.length > config.querySizeLimit()) {
            throw new SerfException("query exceeds limit of " + config.querySizeLimit() + " bytes");
        }
        // Claim the LTime atomically (Go reads Time() here and witnesses it in handleQuery, leaving the
        // clock at LTime+1 too): concurrent queries must not share an LTime, since responses are
        // matched by it and the second registration would orphan the first query.
        long lTime = clock.increment() - 1;
        SerfMessage.Query q = message(lTime, id, adv, filters, flags, p, timeout, name, payload);
        raw = SerfCodec.encode(q);
        QueryResponse resp = new QueryResponse(q.lTime(), q.id(), timeout, p.requestAck(), net.numMembers(),
                matchedMembers(filters.isEmpty() ? null : filters), p.closeAfterResponses(), drops.queryResponses, time, scheduler);
        register(resp, timeout);
        resp.closeIfComplete(); // ALL_MATCHED with no node matched: nothing to wait for
        handle(q);
        broadcasts.query(raw);
        return resp;
    }

    /** The alive members the filters match now (the nodes a query sent now is expected to reach). */
    private java.util.Set<String> matchedMembers(List<byte[]> filters) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Member m : members.members()) {
            if (m.status() == MemberStatus.ALIVE && Filters.matches(filters, m.name(), m.tags())) {
                out.add(m.name());
            }
        }
        return out;
    }

    private SerfMessage.Query message(long lTime, int id, InetSocketAddress adv, List<byte[]> filters, long flags,
                                      QueryParam p, Duration timeout, String name, byte[] payload) {
        return new SerfMessage.Query(lTime, id, adv.getAddress().getAddress(), adv.getPort(), config.nodeName(),
                filters.isEmpty() ? null : filters, flags, p.relayFactor(), timeout.toNanos(), name, payload);
    }

    /** Opens the query's collector until its timeout, a timer on the node's scheduler. */
    private void register(QueryResponse resp, Duration timeout) throws SerfException {
        if (open.size() >= MAX_OPEN_QUERIES) {
            drops.queriesRefused.dropped("query at LTime " + resp.lTime());
            throw new SerfException("too many open queries (" + MAX_OPEN_QUERIES + "), try again later");
        }
        drops.queriesRefused.passed();
        open.put(resp.lTime(), resp);
        Scheduler.Timer timer = scheduler.schedule(timeout, resp::close);
        resp.onClose(() -> {
            timer.cancel();
            open.remove(resp.lTime(), resp);
        });
        if (shutDown.getAsBoolean()) {
            resp.close(); // shutdown may have closed the open queries before this one was registered
        }
    }

    /** Queries still collecting answers. */
    int openQueries() {
        return open.size();
    }

    /** Closes every open query (at shutdown). */
    void closeAll() {
        for (QueryResponse r : List.copyOf(open.values())) {
            r.close();
        }
    }

    // ---- receiving ----------------------------------------------------------------------------

    /** Records, acks and delivers a query; true if it should be rebroadcast. */
    boolean handle(SerfMessage.Query q) {
        clock.witness(q.lTime());
        lock.lock();
        try {
            if (Long.compareUnsigned(q.lTime(), minTime) < 0) {
                return false;
            }
            long cur = clock.time();
            if (LTimeRing.outsideWindow(q.lTime(), cur, ring.size())) {
                log.log(System.Logger.Level.WARNING, "serf: received old query " + q.name() + " from time " + q.lTime()
                        + " (current: " + cur + ")");
                return false;
            }
            switch (ring.record(q.lTime(), q.id())) {
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
            lock.unlock();
        }
        metrics.query(q.name());
        serf.memberlist.internal.jfr.Flight.query(q.name(), q.lTime(), q.payload() == null ? 0 : q.payload().length);
        boolean rebroadcast = !q.noBroadcast();
        if (!Filters.matches(q.filters(), config.nodeName(), tags.get())) {
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
                relay(q.relayFactor(), addr, q.port(), q.sourceNode(), raw);
            } catch (QueryException e) {
                log.log(System.Logger.Level.ERROR, "serf: failed to relay ack: " + e.getMessage());
            }
        }
        emit.accept(new Query(q.lTime(), q.name(), q.payload(), q.id(), addr, q.port(), q.sourceNode(),
                q.timeoutNanos(), q.relayFactor(), this::respond, time));
        return rebroadcast;
    }

    /** An ack or response to one of our queries. */
    void handleResponse(SerfMessage.QueryResponse r) {
        QueryResponse query = open.get(r.lTime());
        if (query == null) {
            log.log(System.Logger.Level.DEBUG, "serf: reply for non-running query (LTime: " + r.lTime() + ", ID: " + r.id() + ") From: " + r.from());
            return;
        }
        if (query.id() != r.id()) {
            log.log(System.Logger.Level.WARNING, "serf: query reply ID mismatch (Local: " + query.id() + ", Response: " + r.id() + ")");
            return;
        }
        if (r.ack()) {
            if (query.addAck(r.from())) {
                metrics.queryAcks.increment();
            } else if (query.ackedBy(r.from())) {
                metrics.queryDuplicateAcks.increment();
            }
        } else {
            if (query.addResponse(r.from(), r.payload())) {
                metrics.queryResponses.increment();
            } else if (query.respondedBy(r.from())) {
                metrics.queryDuplicateResponses.increment();
            }
        }
    }

    /** A response another node asked us to forward to the query's origin. */
    void handleRelay(SerfMessage.Relay r) {
        try {
            InetAddress addr = InetAddress.getByAddress(r.destAddr());
            net.sendTo(new InetSocketAddress(addr, r.destPort()), r.inner());
        } catch (UnknownHostException | IllegalArgumentException e) {
            log.log(System.Logger.Level.WARNING, "serf: bad relay destination: " + e.getMessage());
        } catch (IOException e) {
            log.log(System.Logger.Level.ERROR, "serf: failed to forward relayed message: " + e.getMessage());
        }
    }

    // ---- answering ----------------------------------------------------------------------------

    private void respond(Query q, byte[] payload) throws QueryException {
        SerfMessage.QueryResponse resp = new SerfMessage.QueryResponse(q.lTime(), q.id(), config.nodeName(), 0, payload);
        byte[] raw = SerfCodec.encode(resp);
        if (raw.length > config.queryResponseSizeLimit()) {
            throw new QueryException("failed to respond to key query: response exceeds limit of " + config.queryResponseSizeLimit() + " bytes");
        }
        if (q.respondedFlag().get()) {
            throw new QueryException("failed to respond to key query: response already sent");
        }
        if (time.nanoTime() - q.deadlineNanos() > 0) {
            throw new QueryException("failed to respond to key query: response is past the deadline");
        }
        sendTo(q.sourceAddr(), q.sourcePort(), raw);
        try {
            relay(q.relayFactor(), q.sourceAddr(), q.sourcePort(), q.sourceNode(), raw);
        } catch (QueryException e) {
            throw new QueryException("failed to respond to key query: " + e.getMessage());
        }
        if (!q.respondedFlag().compareAndSet(false, true)) {
            throw new QueryException("failed to respond to key query: response already sent");
        }
    }

    private void sendTo(InetAddress addr, int port, byte[] raw) {
        try {
            net.sendTo(new InetSocketAddress(addr, port), raw);
        } catch (IOException e) {
            log.log(System.Logger.Level.ERROR, "serf: failed to send to " + serf.wire.HostPort.of(addr, port) + ": " + e.getMessage());
        }
    }

    /** Also sends the answer through {@code relayFactor} random members (Go's relayResponse). */
    private void relay(int relayFactor, InetAddress addr, int port, String sourceNode, byte[] raw) throws QueryException {
        if (relayFactor == 0) {
            return;
        }
        List<Member> candidates = members.relayCandidates();
        if (members.size() < relayFactor + 1) {
            return;
        }
        byte[] relay = SerfCodec.encode(new SerfMessage.Relay(addr.getAddress(), port, "", sourceNode, raw));
        if (relay.length > config.queryResponseSizeLimit()) {
            throw new QueryException("relayed response exceeds limit of " + config.queryResponseSizeLimit() + " bytes");
        }
        Collections.shuffle(candidates, random);
        for (Member m : candidates.subList(0, Math.min(relayFactor, candidates.size()))) {
            sendTo(m.addr(), m.port(), relay);
        }
    }

    /** Push/pull from a peer: witness its query clock. */
    void merge(long remoteClock) {
        if (remoteClock > 0) {
            clock.witness(remoteClock - 1);
        }
    }
}
