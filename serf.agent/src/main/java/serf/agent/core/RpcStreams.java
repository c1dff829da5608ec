package serf.agent.core;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import serf.agent.handler.EventFilter;
import serf.agent.internal.DropRun;
import serf.client.internal.RpcRequest;
import serf.client.internal.StreamRecord;
import serf.api.Event;
import serf.api.NodeResponse;
import serf.api.Query;
import serf.api.QueryParam;
import serf.api.QueryResponse;
import serf.api.SerfException;

/**
 * The streams of one RPC connection: event streams, the log monitor, queries the client started,
 * and queries it may still answer. Each stream takes a slot, bounded per connection
 * ({@link RpcLimits#maxStreamsPerConnection()}) and over the server ({@link RpcLimits#maxStreamsTotal()});
 * a stream refused is answered with the header error {@value #ERR_TOO_MANY_STREAMS} and counted.
 * Records toward a client that does not read are dropped from a bounded queue (counted, warned once
 * per run). Queries to answer are forgotten at their deadline by the server's one timer, never by a
 * thread of their own. {@link #closeAll()} (the connection closing) ends every stream and query and
 * cancels every timer this connection started.
 */
final class RpcStreams {
    static final int STREAM_QUEUE = 512;
    /** Queries received on this connection's event streams that may still be answered ({@code respond}). */
    static final int MAX_PENDING_QUERIES = 1024;
    static final String ERR_TOO_MANY_STREAMS = "Too many streams";
    private static final String ERR_MONITOR_EXISTS = "Monitor already exists";
    private static final String ERR_INVALID_FILTER = "Invalid event filter";
    private static final String ERR_STREAM_EXISTS = "Stream with given sequence exists";
    private static final String ERR_INVALID_QUERY_ID = "No pending queries matching ID";

    /** Writes one response (header and optional body) on the connection, as one unit. */
    @FunctionalInterface
    interface Replier {
        void reply(long seq, String error, Object body) throws IOException;
    }

    /** A query a client may answer, forgotten at its deadline by the server's timer. */
    private record PendingQuery(Query query, ScheduledFuture<?> expiry) {
    }

    private final AgentBackend agent;
    private final RpcLimits limits;
    private final RpcCounters counters;
    private final ScheduledExecutorService timer;
    private final String name;
    private final Replier out;
    private final BooleanSupplier closed;
    private final Map<Long, RecordStream> eventStreams = new ConcurrentHashMap<>();
    private volatile RecordStream monitor;
    private final AtomicLong queryIds = new AtomicLong();
    private final Map<Long, PendingQuery> pendingQueries = new ConcurrentHashMap<>();
    private final Set<RunningQuery> runningQueries = ConcurrentHashMap.newKeySet();
    private final AtomicInteger streamsOpen = new AtomicInteger();

    RpcStreams(AgentBackend agent, RpcLimits limits, RpcCounters counters, ScheduledExecutorService timer, String name,
               Replier out, BooleanSupplier closed) {
        this.agent = agent;
        this.limits = limits;
        this.counters = counters;
        this.timer = timer;
        this.name = name;
        this.out = out;
        this.closed = closed;
    }

    /** {@code stop}: ends the event stream or monitor opened with {@code streamSeq}. */
    void stop(long seq, long streamSeq) throws IOException {
        RecordStream es = eventStreams.remove(streamSeq);
        if (es != null) {
            es.close();
        }
        RecordStream mon = monitor;
        if (mon != null && mon.seq == streamSeq) {
            monitor = null;
            mon.close();
        }
        out.reply(seq, "", null);
    }

    /** {@code respond}: answers a query this client received on an event stream, before its deadline. */
    void respond(long seq, RpcRequest.Respond r) throws IOException {
        PendingQuery p = pendingQueries.get(r.id());
        if (p == null || p.query().deadline().isBefore(java.time.Instant.now())) {
            PendingQuery gone = pendingQueries.remove(r.id());
            if (gone != null) {
                gone.expiry().cancel(false);
            }
            out.reply(seq, ERR_INVALID_QUERY_ID, null);
        } else {
            out.reply(seq, RpcConnection.error(() -> p.query().respond(r.payload())), null);
        }
    }

    /** Ends every stream and query of the connection and cancels its timers. */
    void closeAll() {
        for (RecordStream s : eventStreams.values()) {
            s.close();
        }
        eventStreams.clear();
        RecordStream m = monitor;
        if (m != null) {
            m.close();
        }
        for (RunningQuery q : runningQueries) {
            q.cancel();
        }
        forgetPendingQueries();
    }

    /**
     * Takes a stream slot (event stream, monitor or running query) of this connection and of the
     * server; false, counted, when either bound is reached.
     */
    private boolean openStreamSlot() {
        if (streamsOpen.incrementAndGet() > limits.maxStreamsPerConnection()) {
            streamsOpen.decrementAndGet();
            counters.streamsRefused.incrementAndGet();
            return false;
        }
        if (!counters.tryOpenStream(limits.maxStreamsTotal())) {
            streamsOpen.decrementAndGet();
            return false;
        }
        return true;
    }

    private void closeStreamSlot() {
        streamsOpen.decrementAndGet();
        counters.streamClosed();
    }

    private void refuseStream(long seq, String what) throws IOException {
        agent.log().log(LogLevel.WARN, "agent.ipc: refusing " + what + " from " + name + ": " + ERR_TOO_MANY_STREAMS
                + " (" + limits.maxStreamsPerConnection() + " per client, " + limits.maxStreamsTotal() + " in all)");
        out.reply(seq, ERR_TOO_MANY_STREAMS, null);
    }

    /** A bounded queue of records for one stream, written by its own virtual thread. */
    private final class RecordStream {
        final long seq;
        private final BlockingQueue<StreamRecord> queue = new ArrayBlockingQueue<>(STREAM_QUEUE);
        private final String what;
        private final Thread writer;
        private volatile boolean open = true;
        private final DropRun drops = new DropRun();
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile Runnable unsubscribe = () -> { };

        RecordStream(long seq, String what) {
            this.seq = seq;
            this.what = what;
            this.writer = Thread.ofVirtual().name("agent-rpc-" + what).start(this::drain);
        }

        void offer(StreamRecord r) {
            if (!open) {
                return;
            }
            if (queue.offer(r)) {
                // The run of drops ends once the client has caught up (a quarter full), not at the first
                // free slot, or a slow reader would start and end a run (two log lines) per record.
                long missed = queue.size() <= STREAM_QUEUE / 4 + 1 ? drops.passed() : 0;
                if (missed > 0) {
                    agent.log().log(LogLevel.WARN, "agent.ipc: " + name + " is reading its " + what
                            + " stream again; dropped " + missed + " records");
                }
            } else {
                counters.streamRecords.dropped();
                if (drops.dropped()) {
                    // Once per run of drops: Go warns on every drop, and for a log stream that warning
                    // is itself a log line for the same full stream, so it would warn forever.
                    agent.log().log(LogLevel.WARN, "agent.ipc: Dropping " + what + " to " + name);
                }
            }
        }

        /** Drops a record that could not even be queued (counted with the stream's drops). */
        void drop() {
            counters.streamRecords.dropped();
            if (drops.dropped()) {
                agent.log().log(LogLevel.WARN, "agent.ipc: Dropping " + what + " to " + name);
            }
        }

        private void drain() {
            try {
                while (open || !queue.isEmpty()) {
                    StreamRecord r = queue.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                    if (r != null) {
                        out.reply(seq, "", r);
                    }
                }
            } catch (InterruptedException | IOException e) {
                // stream ends with the connection
            }
        }

        void close() {
            open = false;
            unsubscribe.run();
            writer.interrupt();
            if (released.compareAndSet(false, true)) {
                closeStreamSlot();
            }
        }
    }

    void openEventStream(long seq, String type) throws IOException {
        // The same filter syntax as event handlers (Go uses one parser for both).
        List<EventFilter> filters = EventFilter.parseList(type == null ? "" : type);
        if (!filters.stream().allMatch(EventFilter::valid)) {
            out.reply(seq, ERR_INVALID_FILTER, null);
            return;
        }
        if (eventStreams.containsKey(seq)) {
            out.reply(seq, ERR_STREAM_EXISTS, null);
            return;
        }
        if (!openStreamSlot()) {
            refuseStream(seq, "event stream");
            return;
        }
        RecordStream stream = new RecordStream(seq, "event");
        eventStreams.put(seq, stream);
        try {
            out.reply(seq, "", null);
        } finally {
            if (closed.getAsBoolean()) {
                stream.close();
            }
        }
        Consumer<Event> sub = e -> {
            String kind = e.type().toString();
            String name = switch (e) {
                case Event.UserEvent u -> u.name();
                case Query q -> q.name();
                case Event.MemberEvent m -> "";
            };
            if (filters.stream().anyMatch(f -> f.matches(kind, name))) {
                StreamRecord r = toRecord(e);
                if (r == null) {
                    stream.drop();
                } else {
                    stream.offer(r);
                }
            }
        };
        stream.unsubscribe = agent.events().subscribe(sub);
        if (closed.getAsBoolean()) {
            stream.close();
        }
    }

    /** The stream record of an event; null when a query cannot be tracked (too many pending). */
    private StreamRecord toRecord(Event e) {
        return switch (e) {
            case Event.MemberEvent m -> new StreamRecord.MemberEvent(m.type().toString(), MemberViews.members(m.members()));
            case Event.UserEvent u -> new StreamRecord.UserEvent(u.lTime(), u.name(), u.payload(), u.coalesce());
            case Query q -> {
                if (pendingQueries.size() >= MAX_PENDING_QUERIES || closed.getAsBoolean()) {
                    yield null;
                }
                long id = queryIds.incrementAndGet();
                // Forget the query at its deadline (the remote sender chose it) on the server's one
                // timer, so the map stays bounded and no thread waits for it.
                long wait = Math.max(0, Duration.between(java.time.Instant.now(), q.deadline()).toMillis());
                ScheduledFuture<?> expiry;
                try {
                    expiry = timer.schedule(() -> pendingQueries.remove(id), wait + 1, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    yield null;
                }
                pendingQueries.put(id, new PendingQuery(q, expiry));
                if (closed.getAsBoolean()) {
                    forgetPendingQueries();
                }
                yield new StreamRecord.QueryEvent(id, q.lTime(), q.name(), q.payload());
            }
        };
    }

    private void forgetPendingQueries() {
        for (PendingQuery p : pendingQueries.values()) {
            p.expiry().cancel(false);
        }
        pendingQueries.clear();
    }

    void openMonitor(long seq, String level) throws IOException {
        Optional<LogLevel> lvl = LogLevel.parse(level == null ? "" : level);
        if (lvl.isEmpty()) {
            out.reply(seq, "Unknown log level: " + (level == null ? "" : level.toUpperCase(Locale.ROOT)), null);
            return;
        }
        if (monitor != null) {
            out.reply(seq, ERR_MONITOR_EXISTS, null);
            return;
        }
        if (!openStreamSlot()) {
            refuseStream(seq, "monitor");
            return;
        }
        RecordStream stream = new RecordStream(seq, "logs");
        monitor = stream;
        try {
            out.reply(seq, "", null);
        } finally {
            if (closed.getAsBoolean()) {
                stream.close();
            }
        }
        stream.unsubscribe = agent.log().addMonitor(line -> {
            Optional<LogLevel> l = LogLevel.ofLine(line);
            if (l.isEmpty() || l.get().ordinal() >= lvl.get().ordinal()) {
                stream.offer(new StreamRecord.Log(line));
            }
        });
        if (closed.getAsBoolean()) {
            stream.close();
        }
    }

    /**
     * A query this client started: its answers are streamed until its deadline (the client chose it),
     * by one thread (two when acks were asked for), counted as a stream; cancelled with the connection.
     */
    private final class RunningQuery {
        private final long seq;
        private final QueryResponse resp;
        private final Thread acks;
        private final Thread results;
        private final AtomicBoolean released = new AtomicBoolean();

        RunningQuery(long seq, QueryResponse resp, boolean wantAcks) {
            this.seq = seq;
            this.resp = resp;
            this.acks = wantAcks ? Thread.ofVirtual().name("agent-rpc-query-acks").unstarted(this::streamAcks) : null;
            this.results = Thread.ofVirtual().name("agent-rpc-query").unstarted(this::streamResults);
        }

        void start() {
            if (acks != null) {
                acks.start();
            }
            results.start();
        }

        private void streamAcks() {
            try {
                String from;
                while ((from = resp.pollAck(Duration.ofDays(1))) != null) {
                    out.reply(seq, "", StreamRecord.QueryResult.ack(from));
                }
            } catch (InterruptedException | IOException e) {
                // client gone
            }
        }

        private void streamResults() {
            try {
                NodeResponse r;
                while ((r = resp.pollResponse(Duration.ofDays(1))) != null) {
                    out.reply(seq, "", StreamRecord.QueryResult.response(r.from(), r.payload()));
                }
                if (acks != null) {
                    acks.join();
                }
                out.reply(seq, "", StreamRecord.QueryResult.done());
            } catch (InterruptedException | IOException e) {
                // client gone
            } finally {
                finish();
            }
        }

        private void finish() {
            runningQueries.remove(this);
            if (released.compareAndSet(false, true)) {
                closeStreamSlot();
            }
        }

        /** Stops collecting answers and ends both threads (the connection is closing). */
        void cancel() {
            resp.close();
            if (acks != null) {
                acks.interrupt();
            }
            results.interrupt();
            finish();
        }
    }

    void startQuery(long seq, RpcRequest.Query q) throws IOException {
        if (!openStreamSlot()) {
            refuseStream(seq, "query");
            return;
        }
        QueryParam params = new QueryParam(q.filterNodes(), q.filterTags(), q.requestAck(), q.relayFactor(),
                Duration.ofNanos(q.timeoutNanos()));
        QueryResponse resp;
        try {
            resp = agent.query(q.name(), q.payload(), params);
        } catch (SerfException | RuntimeException e) {
            closeStreamSlot();
            out.reply(seq, e.getMessage() == null ? e.toString() : e.getMessage(), null);
            return;
        }
        RunningQuery running = new RunningQuery(seq, resp, q.requestAck());
        runningQueries.add(running);
        try {
            out.reply(seq, "", null);
        } catch (IOException e) {
            running.cancel();
            throw e;
        }
        running.start();
        if (closed.getAsBoolean()) {
            running.cancel();
        }
    }
}
