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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.PatternSyntaxException;
import serf.agent.handler.EventFilter;
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
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * One RPC client of the agent (Go's IPCClient): requests are handled in order on this
 * connection's thread; stream records (events, logs, query answers) are written by other virtual
 * threads, each header+body pair under the write lock. Every stream has a bounded queue; when a
 * client does not keep up, records are dropped with a warning rather than stalling the agent.
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

    private final AgentBackend agent;
    private final Socket socket;
    private final String name;
    private final ReentrantLock writeLock = new ReentrantLock();
    private OutputStream out;
    private boolean handshaked;
    private boolean authenticated;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<Long, RecordStream> eventStreams = new ConcurrentHashMap<>();
    private volatile RecordStream monitor;
    private final AtomicLong queryIds = new AtomicLong();
    private final Map<Long, Query> pendingQueries = new ConcurrentHashMap<>();

    RpcConnection(AgentBackend agent, Socket socket) {
        this.agent = agent;
        this.socket = socket;
        this.name = RpcServer.hostPort(socket);
    }

    /** Reads and answers requests until the client goes away or breaks the protocol. */
    void serve() {
        try {
            out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            FrameReader frames = new FrameReader(socket.getInputStream());
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
            }
        } catch (IOException | DecodeException e) {
            if (!closed.get()) {
                agent.log().log(LogLevel.DEBUG, "agent.ipc: client " + name + " ended: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            // A bug or a hostile client must cost this connection only, never the agent.
            agent.log().log(LogLevel.ERR, "agent.ipc: Failed to handle request from " + name + ": " + e);
        } finally {
            close();
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
                Query q = pendingQueries.get(r.id());
                if (q == null || q.deadline().isBefore(java.time.Instant.now())) {
                    pendingQueries.remove(r.id());
                    reply(seq, ERR_INVALID_QUERY_ID, null);
                } else {
                    reply(seq, error(() -> q.respond(r.payload())), null);
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

    /** A bounded queue of records for one stream, written by its own virtual thread. */
    private final class RecordStream {
        final long seq;
        private final BlockingQueue<StreamRecord> queue = new ArrayBlockingQueue<>(STREAM_QUEUE);
        private final String what;
        private final Thread writer;
        private volatile boolean open = true;
        private final AtomicBoolean dropping = new AtomicBoolean();
        private Runnable unsubscribe = () -> { };

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
                dropping.set(false);
            } else if (dropping.compareAndSet(false, true)) {
                // Warn once per run of drops: Go warns on every drop, and for a log stream that warning
                // is itself a log line for the same full stream, so it would warn forever.
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
        reply(seq, "", null);
        RecordStream stream = new RecordStream(seq, "event");
        eventStreams.put(seq, stream);
        Consumer<Event> sub = e -> {
            String kind = e.type().toString();
            String name = switch (e) {
                case Event.UserEvent u -> u.name();
                case Query q -> q.name();
                case Event.MemberEvent m -> "";
            };
            if (filters.stream().anyMatch(f -> f.matches(kind, name))) {
                stream.offer(toRecord(e));
            }
        };
        stream.unsubscribe = agent.events().subscribe(sub);
    }

    private StreamRecord toRecord(Event e) {
        return switch (e) {
            case Event.MemberEvent m -> new StreamRecord.MemberEvent(m.type().toString(), members(m.members()));
            case Event.UserEvent u -> new StreamRecord.UserEvent(u.lTime(), u.name(), u.payload(), u.coalesce());
            case Query q -> {
                long id = queryIds.incrementAndGet();
                pendingQueries.put(id, q);
                // Forget the query at its deadline so the map stays bounded.
                long wait = Math.max(0, Duration.between(java.time.Instant.now(), q.deadline()).toMillis());
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(wait + 1);
                    } catch (InterruptedException ex) {
                        // connection closing
                    }
                    pendingQueries.remove(id);
                });
                yield new StreamRecord.QueryEvent(id, q.lTime(), q.name(), q.payload());
            }
        };
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
        reply(seq, "", null);
        RecordStream stream = new RecordStream(seq, "logs");
        monitor = stream;
        stream.unsubscribe = agent.log().addMonitor(line -> {
            Optional<LogLevel> l = LogLevel.ofLine(line);
            if (l.isEmpty() || l.get().ordinal() >= lvl.get().ordinal()) {
                stream.offer(new StreamRecord.Log(line));
            }
        });
    }

    private void startQuery(long seq, RpcRequest.Query q) throws IOException {
        QueryParam params = new QueryParam(q.filterNodes(), q.filterTags(), q.requestAck(), q.relayFactor(),
                Duration.ofNanos(q.timeoutNanos()));
        QueryResponse resp;
        try {
            resp = agent.query(q.name(), q.payload(), params);
        } catch (SerfException e) {
            reply(seq, e.getMessage(), null);
            return;
        }
        reply(seq, "", null);
        Thread acks = Thread.ofVirtual().name("agent-rpc-query-acks").start(() -> {
            try {
                String from;
                while ((from = resp.pollAck(Duration.ofDays(1))) != null) {
                    reply(seq, "", StreamRecord.QueryResult.ack(from));
                }
            } catch (InterruptedException | IOException e) {
                // client gone
            }
        });
        Thread.ofVirtual().name("agent-rpc-query").start(() -> {
            try {
                NodeResponse r;
                while ((r = resp.pollResponse(Duration.ofDays(1))) != null) {
                    reply(seq, "", StreamRecord.QueryResult.response(r.from(), r.payload()));
                }
                acks.join();
                reply(seq, "", StreamRecord.QueryResult.done());
            } catch (InterruptedException | IOException e) {
                // client gone
            }
        });
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
        pendingQueries.clear();
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
