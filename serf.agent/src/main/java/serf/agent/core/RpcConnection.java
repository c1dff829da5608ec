package serf.agent.core;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.PatternSyntaxException;
import serf.client.Coordinate;
import serf.client.internal.FrameReader;
import serf.client.Member;
import serf.client.internal.RequestHeader;
import serf.client.internal.ResponseHeader;
import serf.client.internal.RpcCommand;
import serf.client.internal.RpcRequest;
import serf.client.internal.RpcResponse;
import serf.client.internal.StreamRecord;
import serf.api.Event;
import serf.api.KeyResponse;
import serf.api.Query;
import serf.api.QueryException;
import serf.api.Serf;
import serf.api.SerfException;
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
    private static final String ERR_UNSUPPORTED_COMMAND = "Unsupported command";
    private static final String ERR_UNSUPPORTED_VERSION = "Unsupported IPC version";
    private static final String ERR_DUPLICATE_HANDSHAKE = "Handshake already performed";
    private static final String ERR_HANDSHAKE_REQUIRED = "Handshake required";
    private static final String ERR_AUTH_REQUIRED = "Authentication required";
    private static final String ERR_INVALID_AUTH = "Invalid authentication token";

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
    private final RpcStreams streams;

    RpcConnection(AgentBackend agent, Socket socket, RpcServer server) {
        this.agent = agent;
        this.socket = socket;
        this.server = server;
        this.limits = server.limits();
        this.counters = server.counters();
        this.name = RpcServer.hostPort(socket);
        this.connectedNanos = System.nanoTime();
        this.streams = new RpcStreams(agent, limits, counters, server.timer(), name, this::reply, closed::get);
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
        RpcServer.countMetric(agent, "agent.ipc.command");
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
            case RpcRequest.Members m -> reply(seq, "", new RpcResponse.Members(MemberViews.members(serf.members())));
            case RpcRequest.MembersFiltered mf -> {
                List<serf.api.Member> filtered;
                try {
                    filtered = MemberViews.filter(serf.members(), mf);
                } catch (PatternSyntaxException e) {
                    agent.log().log(LogLevel.ERR, "agent.ipc: Failed to evaluate request: Failed to compile regex: "
                            + e.getDescription() + ": `" + e.getPattern() + "`");
                    return false;
                }
                reply(seq, "", new RpcResponse.Members(MemberViews.members(filtered)));
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
            case RpcRequest.Stream s -> streams.openEventStream(seq, s.type());
            case RpcRequest.Monitor m -> streams.openMonitor(seq, m.logLevel());
            case RpcRequest.Stop s -> streams.stop(seq, s.stop());
            case RpcRequest.Leave l -> {
                agent.log().log(LogLevel.INFO, "agent.ipc: Graceful leave triggered");
                String err = error(agent::leave);
                if (!err.isEmpty()) {
                    agent.log().log(LogLevel.ERR, "agent.ipc: leave failed: " + err);
                }
                reply(seq, err, null);
                agent.shutdownAfterLeave();
            }
            case RpcRequest.Query q -> streams.startQuery(seq, q);
            case RpcRequest.Respond r -> streams.respond(seq, r);
            case RpcRequest.InstallKey k -> keys(seq, "key installation", () -> serf.keyManager().installKey(k.key()));
            case RpcRequest.UseKey k -> keys(seq, "primary key change", () -> serf.keyManager().useKey(k.key()));
            case RpcRequest.RemoveKey k -> keys(seq, "key removal", () -> serf.keyManager().removeKey(k.key()));
            case RpcRequest.ListKeys k -> keys(seq, "key listing", () -> serf.keyManager().listKeys());
            case RpcRequest.Stats s -> reply(seq, "", new RpcResponse.Stats(AgentStats.of(serf, agent, server.stats())));
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
    interface Action {
        void run() throws Exception;
    }

    /** Runs an action; the error text for the response header ("" on success). */
    static String error(Action a) {
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
        streams.closeAll();
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
