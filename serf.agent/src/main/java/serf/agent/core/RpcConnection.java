package serf.agent.core;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.PatternSyntaxException;
import serf.agent.handler.EventFilter;
import serf.agent.internal.DropRun;
import serf.agent.rpc.Coordinate;
import serf.agent.rpc.FrameReader;
import serf.agent.rpc.Member;
import serf.agent.rpc.RequestHeader;
import serf.agent.rpc.ResponseHeader;
import serf.agent.rpc.RpcCommand;
import serf.agent.rpc.RpcRequest;
import serf.agent.rpc.RpcResponse;
import serf.agent.rpc.StreamRecord;
import serf.api.Event;
import serf.api.KeyResponse;
import serf.api.NodeResponse;
import serf.api.Query;
import serf.api.QueryException;
import serf.api.QueryParam;
import serf.api.QueryResponse;
import serf.api.Serf;
import serf.api.SerfException;
import serf.api.internal.msg.Re2;
import serf.wire.DecodeException;
import serf.wire.InputRefusedException;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * One RPC client of the agent (Go's IPCClient): requests are handled in order on this
 * connection's thread; stream records (events, logs, query answers) are written by other virtual
 * threads, each header+body pair under the write lock. Every stream has a bounded queue; when a
 * client does not keep up, records are dropped (counted, warned once per run) rather than stalling
 * the agent.
 *
 * <p>Until the client has done the handshake (and {@code auth} where {@code rpc_auth} is set) it gets
 * only what that needs: objects of at most {@link RpcLimits#preAuthMaxFrame()} bytes, and
 * {@link RpcLimits#handshakeTimeout()} from connecting to finish. Afterwards objects may be
 * {@link RpcLimits#maxFrame()} bytes and must arrive within {@link RpcLimits#frameTimeout()} once
 * started; an idle client stays connected. Every buffered byte comes from the server's input budget.
 * Streams (event streams, the monitor, running queries) are bounded per connection and in all; a
 * refused one is answered with the header error {@code Too many streams}. Closing the connection
 * cancels everything it started: streams, queries and their timers.
 */
final class RpcConnection implements AutoCloseable {
    static final int STREAM_QUEUE = 512;
    private static final String ERR_UNSUPPORTED_COMMAND = "Unsupported command";
    private static final String ERR_UNSUPPORTED_VERSION = "Unsupported IPC version";
    private static final String ERR_DUPLICATE_HANDSHAKE = "Handshake already performed";
    private static final String ERR_HANDSHAKE_REQUIRED = "Handshake required";
    private static final String ERR_MONITOR_EXISTS = "Monitor already exists";
    private static final String ERR_INVALID_FILTER = "Invalid event filter";
    private static final String ERR_STREAM_EXISTS = "Stream with given sequence exists";
    private static final String ERR_INVALID_QUERY_ID = "No pending queries matching ID";
    private static final String ERR_AUTH_REQUIRED = "Authentication required";
    private static final String ERR_INVALID_AUTH = "Invalid authentication token";

    private static final String ERR_TOO_MANY_STREAMS = "Too many streams";
    /** Queries received on this connection's event streams that may still be answered ({@code respond}). */
    static final int MAX_PENDING_QUERIES = 1024;

    private final AgentBackend agent;
    private final Socket socket;
    private final RpcServer server;
    private final RpcLimits limits;
    private final RpcCounters counters;
    private final long connectedNanos;
    private final String name;
    private final ReentrantLock writeLock = new ReentrantLock();
    private OutputStream out;
    private boolean handshaked;
    private boolean authenticated;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<Long, RecordStream> eventStreams = new ConcurrentHashMap<>();
    private volatile RecordStream monitor;
    private final AtomicLong queryIds = new AtomicLong();
    private final Map<Long, PendingQuery> pendingQueries = new ConcurrentHashMap<>();
    private final Set<RunningQuery> runningQueries = ConcurrentHashMap.newKeySet();
    private final AtomicInteger streamsOpen = new AtomicInteger();

    /** A query a client may answer, forgotten at its deadline by the server's timer. */
    private record PendingQuery(Query query, ScheduledFuture<?> expiry) {
    }

    RpcConnection(AgentBackend agent, Socket socket, RpcServer server) {
        this.agent = agent;
        this.socket = socket;
        this.server = server;
        this.limits = server.limits();
        this.counters = server.counters();
        this.name = RpcServer.hostPort(socket);
        this.connectedNanos = System.nanoTime();
    }

    /** Handshake done, and auth where rpc_auth is set: the client may send full-size requests. */
    private boolean admitted() {
        return handshaked && (authenticated || agent.rpcAuthKey().isEmpty());
    }

    /** Before admission the whole handshake is due; after it only a frame that has started. */
    private final class Deadlines implements DeadlineInput.Deadline {
        FrameReader frames;

        @Override
        public long getAsLong() {
            if (!admitted()) {
                return connectedNanos + limits.handshakeTimeout().toNanos();
            }
            FrameReader f = frames;
            if (f != null && f.partial()) {
                return f.partialSinceNanos() + limits.frameTimeout().toNanos();
            }
            return DeadlineInput.NONE;
        }

        @Override
        public String describe() {
            return admitted() ? "request not completed within " + limits.frameTimeout()
                    : "handshake not completed within " + limits.handshakeTimeout();
        }
    }

    /** Reads and answers requests until the client goes away or breaks the protocol. */
    void serve() {
        FrameReader frames = null;
        try {
            socket.setSoTimeout((int) Math.max(1, limits.readTick().toMillis()));
            out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            Deadlines deadlines = new Deadlines();
            frames = new FrameReader(new DeadlineInput(socket.getInputStream(), deadlines), limits.preAuthMaxFrame(),
                    limits.budget());
            deadlines.frames = frames;
            RequestHeader previous = new RequestHeader("", 0);
            while (!closed.get()) {
                byte[] frame = frames.next();
                if (frame == null) {
                    return;
                }
                RequestHeader header;
                try {
                    header = RequestHeader.decode(new MsgpackReader(frame, frames.limits()), previous);
                } catch (DecodeException e) {
                    agent.log().log(LogLevel.ERR, "agent.ipc: failed to decode request header: " + e.getMessage());
                    return;
                }
                previous = header;
                if (!handle(header, frames)) {
                    return;
                }
                if (admitted() && frames.maxObjectBytes() < limits.maxFrame()) {
                    frames.maxObjectBytes(limits.maxFrame());
                }
            }
        } catch (InputRefusedException e) {
            counted(counters.framesRefusedByBudget, "input budget exhausted, closing client " + name + ": " + e.getMessage());
        } catch (DeadlineInput.DeadlineExceeded e) {
            counted(admitted() ? counters.frameTimeouts : counters.handshakeTimeouts, "closing client " + name + ": "
                    + e.getMessage());
        } catch (DecodeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("object exceeds")) {
                counted(counters.framesOversized, "closing client " + name + ": request " + e.getMessage()
                        + (admitted() ? "" : " before authentication"));
            } else if (!closed.get()) {
                agent.log().log(LogLevel.DEBUG, "agent.ipc: client " + name + " ended: " + e.getMessage());
            }
        } catch (IOException e) {
            if (!closed.get()) {
                agent.log().log(LogLevel.DEBUG, "agent.ipc: client " + name + " ended: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            // A bug or a hostile client must cost this connection only, never the agent.
            agent.log().log(LogLevel.ERR, "agent.ipc: Failed to handle request from " + name + ": " + e);
        } finally {
            close();
            if (frames != null) {
                frames.close();
            }
        }
    }

    /** Counts a refusal; logs it at the 1st, 2nd, 4th, 8th… occurrence so a flood cannot flood the log. */
    private void counted(AtomicLong counter, String message) {
        long n = counter.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            agent.log().log(LogLevel.WARN, "agent.ipc: " + message + " (" + n + " so far)");
        } else {
            agent.log().log(LogLevel.DEBUG, "agent.ipc: " + message);
        }
    }

    /** Handles one request; false to close the connection. */
    private boolean handle(RequestHeader h, FrameReader frames) throws IOException {
        Optional<RpcCommand> known = RpcCommand.fromWireName(h.command());
        if (!handshaked && (known.isEmpty() || known.get() != RpcCommand.HANDSHAKE)) {
            reply(h.seq(), ERR_HANDSHAKE_REQUIRED, null);
            agent.log().log(LogLevel.ERR, "agent.ipc: Failed to evaluate request: " + ERR_HANDSHAKE_REQUIRED);
            return false;
        }
        if (known.isEmpty()) {
            reply(h.seq(), ERR_UNSUPPORTED_COMMAND, null);
            agent.log().log(LogLevel.ERR, "agent.ipc: Failed to evaluate request: command '" + h.command() + "' not recognized");
            return false;
        }
        RpcCommand cmd = known.get();
        if (!agent.rpcAuthKey().isEmpty() && !authenticated && cmd != RpcCommand.HANDSHAKE && cmd != RpcCommand.AUTH) {
            agent.log().log(LogLevel.WARN, "agent.ipc: Client sending commands before auth");
            // Like Go, the body is not consumed: it is read as the next header.
            reply(h.seq(), ERR_AUTH_REQUIRED, null);
            return true;
        }
        RpcRequest req;
        if (cmd.hasRequestBody()) {
            byte[] body = frames.next();
            if (body == null) {
                return false;
            }
            try {
                req = RpcRequest.decode(cmd, new MsgpackReader(body, frames.limits()));
            } catch (DecodeException e) {
                agent.log().log(LogLevel.ERR, "agent.ipc: Failed to evaluate request: decode failed: " + e.getMessage());
                return false;
            }
        } else {
            req = RpcRequest.decode(cmd, new MsgpackReader(new byte[0]));
        }
        return dispatch(h.seq(), req);
    }

    private boolean dispatch(long seq, RpcRequest req) throws IOException {
        Serf serf = agent.serf();
        switch (req) {
            case RpcRequest.Handshake hs -> {
                if (hs.version() != 1) {
                    reply(seq, ERR_UNSUPPORTED_VERSION, null);
                } else if (handshaked) {
                    reply(seq, ERR_DUPLICATE_HANDSHAKE, null);
                } else {
                    handshaked = true;
                    reply(seq, "", null);
                }
            }
            case RpcRequest.Auth a -> {
                if (a.authKey().equals(agent.rpcAuthKey())) {
                    authenticated = true;
                    reply(seq, "", null);
                } else {
                    reply(seq, ERR_INVALID_AUTH, null);
                }
            }
            case RpcRequest.Event e -> reply(seq, error(() -> agent.userEvent(e.name(), e.payload(), e.coalesce())), null);
            case RpcRequest.ForceLeave f -> reply(seq, error(() -> agent.forceLeave(f.node(), f.prune())), null);
            case RpcRequest.Join j -> {
                int[] n = {0};
                String err = error(() -> n[0] = agent.join(j.existing() == null ? List.of() : j.existing(), j.replay()));
                reply(seq, err, new RpcResponse.Join(n[0]));
            }
            case RpcRequest.Members m -> reply(seq, "", new RpcResponse.Members(members(serf.members())));
            case RpcRequest.MembersFiltered mf -> {
                List<serf.api.Member> filtered;
                try {
                    filtered = filter(serf.members(), mf);
                } catch (PatternSyntaxException e) {
                    agent.log().log(LogLevel.ERR, "agent.ipc: Failed to evaluate request: Failed to compile regex: "
                            + e.getDescription() + ": `" + e.getPattern() + "`");
                    return false;
                }
                reply(seq, "", new RpcResponse.Members(members(filtered)));
            }
            case RpcRequest.Tags t -> {
                Map<String, String> tags = new LinkedHashMap<>(serf.tags());
                if (t.deleteTags() != null) {
                    t.deleteTags().forEach(tags::remove);
                }
                if (t.tags() != null) {
                    tags.putAll(t.tags());
                }
                reply(seq, error(() -> agent.setTags(tags)), null);
            }
            case RpcRequest.Stream s -> openEventStream(seq, s.type());
            case RpcRequest.Monitor m -> openMonitor(seq, m.logLevel());
            case RpcRequest.Stop s -> {
                RecordStream es = eventStreams.remove(s.stop());
                if (es != null) {
                    es.close();
                }
                RecordStream mon = monitor;
                if (mon != null && mon.seq == s.stop()) {
                    monitor = null;
                    mon.close();
                }
                reply(seq, "", null);
            }
            case RpcRequest.Leave l -> {
                agent.log().log(LogLevel.INFO, "agent.ipc: Graceful leave triggered");
                String err = error(agent::leave);
                if (!err.isEmpty()) {
                    agent.log().log(LogLevel.ERR, "agent.ipc: leave failed: " + err);
                }
                reply(seq, err, null);
                agent.shutdownAfterLeave();
            }
            case RpcRequest.Query q -> startQuery(seq, q);
            case RpcRequest.Respond r -> {
                PendingQuery p = pendingQueries.get(r.id());
                if (p == null || p.query().deadline().isBefore(java.time.Instant.now())) {
                    PendingQuery gone = pendingQueries.remove(r.id());
                    if (gone != null) {
                        gone.expiry().cancel(false);
                    }
                    reply(seq, ERR_INVALID_QUERY_ID, null);
                } else {
                    reply(seq, error(() -> p.query().respond(r.payload())), null);
                }
            }
            case RpcRequest.InstallKey k -> keys(seq, "key installation", () -> serf.keyManager().installKey(k.key()));
            case RpcRequest.UseKey k -> keys(seq, "primary key change", () -> serf.keyManager().useKey(k.key()));
            case RpcRequest.RemoveKey k -> keys(seq, "key removal", () -> serf.keyManager().removeKey(k.key()));
            case RpcRequest.ListKeys k -> keys(seq, "key listing", () -> serf.keyManager().listKeys());
            case RpcRequest.Stats s -> reply(seq, "", new RpcResponse.Stats(stats(serf)));
            case RpcRequest.GetCoordinate g -> {
                Optional<serf.api.coordinate.Coordinate> c = serf.getCachedCoordinate(g.node());
                if (c.isPresent()) {
                    List<Double> vec = new ArrayList<>();
                    for (double d : c.get().vec()) {
                        vec.add(d);
                    }
                    reply(seq, "", new RpcResponse.GetCoordinate(
                            new Coordinate(vec, c.get().error(), c.get().adjustment(), c.get().height()), true));
                } else {
                    reply(seq, "", new RpcResponse.GetCoordinate(Coordinate.ZERO, false));
                }
            }
        }
        return true;
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    /** Runs an action; the error text for the response header ("" on success). */
    private static String error(Action a) {
        try {
            a.run();
            return "";
        } catch (SerfException | QueryException e) {
            return e.getMessage();
        } catch (Exception e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    @FunctionalInterface
    private interface KeyOp {
        KeyResponse run() throws SerfException;
    }

    private void keys(long seq, String what, KeyOp op) throws IOException {
        agent.log().log(LogLevel.INFO, "agent: Initiating " + what);
        KeyResponse kr;
        String err;
        try {
            kr = op.run();
            err = kr.error() == null ? "" : kr.error();
        } catch (SerfException e) {
            // Failed before querying (e.g. bad base64): zero counters, as Go sends.
            reply(seq, e.getMessage(), new RpcResponse.Keys(Map.of(), null, 0, 0, 0));
            return;
        }
        Map<String, Long> keyCounts = null;
        if (!kr.keys().isEmpty() || !kr.primaryKeys().isEmpty()) {
            keyCounts = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> e : kr.keys().entrySet()) {
                keyCounts.put(e.getKey(), (long) e.getValue());
            }
        }
        reply(seq, err, new RpcResponse.Keys(kr.messages(), keyCounts, kr.numNodes(), kr.numErr(), kr.numResp()));
    }

    private Map<String, Map<String, String>> stats(Serf serf) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        out.put("agent", Map.of("name", serf.config().nodeName()));
        Runtime rt = Runtime.getRuntime();
        Map<String, String> runtime = new LinkedHashMap<>();
        runtime.put("os", System.getProperty("os.name", "").toLowerCase(Locale.ROOT));
        runtime.put("arch", goArch(System.getProperty("os.arch", "")));
        runtime.put("version", "java" + Runtime.version());
        runtime.put("max_procs", Integer.toString(rt.availableProcessors()));
        // Live platform threads (virtual threads are not enumerable; Thread.activeCount() is 0 on one).
        runtime.put("goroutines", Integer.toString(Thread.getAllStackTraces().size()));
        runtime.put("cpu_count", Integer.toString(rt.availableProcessors()));
        out.put("runtime", runtime);
        out.put("serf", serf.stats());
        out.put("tags", serf.tags());
        out.put("event_handlers", agent.eventHandlerStats());
        // Not in Go's agent: what the agent's bounds refused or dropped (a section of its own, so Go's
        // sections keep exactly their keys).
        Map<String, String> bounds = new LinkedHashMap<>(server.stats());
        bounds.putAll(agent.limitStats());
        out.put("limits", bounds);
        return out;
    }

    private static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> javaArch;
        };
    }

    static List<Member> members(List<serf.api.Member> in) {
        List<Member> out = new ArrayList<>(in.size());
        for (serf.api.Member m : in) {
            out.add(new Member(m.name(), m.addr().getAddress(), m.port(), m.tags(), m.status().toString(),
                    m.protocolMin(), m.protocolMax(), m.protocolCur(), m.delegateMin(), m.delegateMax(), m.delegateCur()));
        }
        return out;
    }

    /**
     * members-filtered: every given filter is an RE2 expression, anchored as Go anchors it
     * ({@code "^" + expr + "$"}, no group: {@code a|b} means "starts with a or ends with b").
     * Throws when one does not compile, which closes the connection as Go's agent does.
     */
    private static List<serf.api.Member> filter(List<serf.api.Member> in, RpcRequest.MembersFiltered f) {
        Map<String, String> tagExprs = new HashMap<>();
        if (f.tags() != null) {
            for (Map.Entry<String, String> e : f.tags().entrySet()) {
                tagExprs.put(e.getKey(), anchored(e.getValue()));
            }
        }
        String status = f.status().isEmpty() ? null : anchored(f.status());
        String name = f.name().isEmpty() ? null : anchored(f.name());
        List<serf.api.Member> out = new ArrayList<>();
        outer:
        for (serf.api.Member m : in) {
            for (Map.Entry<String, String> e : tagExprs.entrySet()) {
                if (!Re2.find(e.getValue(), m.tags().getOrDefault(e.getKey(), ""))) {
                    continue outer;
                }
            }
            if (status != null && !Re2.find(status, m.status().toString())) {
                continue;
            }
            if (name != null && !Re2.find(name, m.name())) {
                continue;
            }
            out.add(m);
        }
        return out;
    }

    private static String anchored(String expr) {
        String re = "^" + expr + "$";
        if (Re2.compile(re).isEmpty()) {
            throw new PatternSyntaxException("not a valid RE2 expression", expr, -1);
        }
        return re;
    }

    // ---- streams ----

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
        reply(seq, ERR_TOO_MANY_STREAMS, null);
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
                long missed = drops.passed();
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
                        reply(seq, "", r);
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

    private void openEventStream(long seq, String type) throws IOException {
        // The same filter syntax as event handlers (Go uses one parser for both).
        List<EventFilter> filters = EventFilter.parseList(type == null ? "" : type);
        if (!filters.stream().allMatch(EventFilter::valid)) {
            reply(seq, ERR_INVALID_FILTER, null);
            return;
        }
        if (eventStreams.containsKey(seq)) {
            reply(seq, ERR_STREAM_EXISTS, null);
            return;
        }
        if (!openStreamSlot()) {
            refuseStream(seq, "event stream");
            return;
        }
        RecordStream stream = new RecordStream(seq, "event");
        eventStreams.put(seq, stream);
        try {
            reply(seq, "", null);
        } finally {
            if (closed.get()) {
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
        if (closed.get()) {
            stream.close();
        }
    }

    /** The stream record of an event; null when a query cannot be tracked (too many pending). */
    private StreamRecord toRecord(Event e) {
        return switch (e) {
            case Event.MemberEvent m -> new StreamRecord.MemberEvent(m.type().toString(), members(m.members()));
            case Event.UserEvent u -> new StreamRecord.UserEvent(u.lTime(), u.name(), u.payload(), u.coalesce());
            case Query q -> {
                if (pendingQueries.size() >= MAX_PENDING_QUERIES || closed.get()) {
                    yield null;
                }
                long id = queryIds.incrementAndGet();
                // Forget the query at its deadline (the remote sender chose it) on the server's one
                // timer, so the map stays bounded and no thread waits for it.
                long wait = Math.max(0, Duration.between(java.time.Instant.now(), q.deadline()).toMillis());
                ScheduledFuture<?> expiry;
                try {
                    expiry = server.timer().schedule(() -> pendingQueries.remove(id), wait + 1, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    yield null;
                }
                pendingQueries.put(id, new PendingQuery(q, expiry));
                if (closed.get()) {
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

    private void openMonitor(long seq, String level) throws IOException {
        Optional<LogLevel> lvl = LogLevel.parse(level == null ? "" : level);
        if (lvl.isEmpty()) {
            reply(seq, "Unknown log level: " + (level == null ? "" : level.toUpperCase(Locale.ROOT)), null);
            return;
        }
        if (monitor != null) {
            reply(seq, ERR_MONITOR_EXISTS, null);
            return;
        }
        if (!openStreamSlot()) {
            refuseStream(seq, "monitor");
            return;
        }
        RecordStream stream = new RecordStream(seq, "logs");
        monitor = stream;
        try {
            reply(seq, "", null);
        } finally {
            if (closed.get()) {
                stream.close();
            }
        }
        stream.unsubscribe = agent.log().addMonitor(line -> {
            Optional<LogLevel> l = LogLevel.ofLine(line);
            if (l.isEmpty() || l.get().ordinal() >= lvl.get().ordinal()) {
                stream.offer(new StreamRecord.Log(line));
            }
        });
        if (closed.get()) {
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
                    reply(seq, "", StreamRecord.QueryResult.ack(from));
                }
            } catch (InterruptedException | IOException e) {
                // client gone
            }
        }

        private void streamResults() {
            try {
                NodeResponse r;
                while ((r = resp.pollResponse(Duration.ofDays(1))) != null) {
                    reply(seq, "", StreamRecord.QueryResult.response(r.from(), r.payload()));
                }
                if (acks != null) {
                    acks.join();
                }
                reply(seq, "", StreamRecord.QueryResult.done());
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

    private void startQuery(long seq, RpcRequest.Query q) throws IOException {
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
            reply(seq, e.getMessage() == null ? e.toString() : e.getMessage(), null);
            return;
        }
        RunningQuery running = new RunningQuery(seq, resp, q.requestAck());
        runningQueries.add(running);
        try {
            reply(seq, "", null);
        } catch (IOException e) {
            running.cancel();
            throw e;
        }
        running.start();
        if (closed.get()) {
            running.cancel();
        }
    }

    // ---- output ----

    /** Writes a response header and, when given, its body, as one unit. */
    private void reply(long seq, String error, Object body) throws IOException {
        MsgpackWriter w = MsgpackWriter.rpc();
        new ResponseHeader(error, seq).encode(w);
        switch (body) {
            case null -> { }
            case RpcResponse r -> r.encode(w);
            case StreamRecord r -> r.encode(w);
            default -> throw new IllegalArgumentException("not an RPC body: " + body);
        }
        writeLock.lock();
        try {
            if (closed.get()) {
                throw new IOException("connection closed");
            }
            out.write(w.toByteArray());
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
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
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
