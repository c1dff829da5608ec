package serf.client.internal;

import serf.client.Coordinate;
import serf.client.Member;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import serf.wire.DecodeException;
import serf.wire.MsgValue;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * A connection to a Serf agent's RPC address, equivalent to Go's {@code client.RPCClient}.
 *
 * <p>Requests may be issued from any number of threads: each one gets the next sequence number
 * and its header and body go out in one write. One virtual reader thread matches responses to
 * requests by {@code Seq}, consuming each response body on the spot (so a bad body never
 * desynchronises the connection), and hands stream records to their {@link RpcStream}.
 *
 * <p>Errors: a non-empty {@code Error} in the response header becomes an {@link RpcException} with
 * the agent's text (and, for commands that send one, the body); a lost connection makes every
 * pending call fail with an {@link IOException} {@code client closed}, as Go's client does.
 * Calls wait for their response without a timeout, like the Go client (which has only a write
 * deadline); {@link #close()} from another thread releases them.
 */
public final class RpcChannel implements AutoCloseable {
    /** Go's {@code client.DefaultTimeout}, used for dialing. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The only IPC version. */
    public static final int IPC_VERSION = 1;

    private static final System.Logger LOG = System.getLogger(RpcChannel.class.getName());
    private static final String AUTH_REQUIRED = "Authentication required";

    private final Socket socket;
    private final OutputStream out;
    private final FrameReader frames;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ResponseDispatch dispatch = new ResponseDispatch();
    private final AtomicLong seq = new AtomicLong();

    private RpcChannel(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        this.frames = new FrameReader(in);
        Thread.ofVirtual().name("serf-rpc-reader-" + socket.getLocalPort()).start(this::listen);
    }

    /**
     * Dials {@code addr} ({@code host:port}) without handshaking. Dial failures carry Go's text,
     * e.g. {@code dial tcp 127.0.0.1:1: connect: connection refused}.
     */
    public static RpcChannel open(String addr, Duration dialTimeout) throws IOException {
        return new RpcChannel(GoDial.dial(addr, dialTimeout));
    }

    /** {@link #connect(String, String, Duration)} with the 10 s dial timeout. */
    public static RpcChannel connect(String addr, String authKey) throws IOException {
        return connect(addr, authKey, DEFAULT_TIMEOUT);
    }

    /**
     * Dials, handshakes (version 1) and, when {@code authKey} is non-empty, authenticates, as the Go
     * CLI does before every command. The connection is closed if any step fails.
     */
    public static RpcChannel connect(String addr, String authKey, Duration dialTimeout) throws IOException {
        RpcChannel c = open(addr, dialTimeout);
        try {
            c.handshake(IPC_VERSION);
            if (authKey != null && !authKey.isEmpty()) {
                c.auth(authKey);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public boolean isClosed() {
        return dispatch.isClosed();
    }

    // ---- commands -------------------------------------------------------------------------------

    public void handshake(int version) throws IOException {
        call(new RpcRequest.Handshake(version));
    }

    public void auth(String authKey) throws IOException {
        call(new RpcRequest.Auth(authKey));
    }

    public void userEvent(String name, byte[] payload, boolean coalesce) throws IOException {
        call(new RpcRequest.Event(name, payload, coalesce));
    }

    public void forceLeave(String node, boolean prune) throws IOException {
        call(new RpcRequest.ForceLeave(node, prune));
    }

    /** Returns the number of nodes joined; an error carries the body ({@code Num}) too. */
    public int join(List<String> existing, boolean replay) throws IOException {
        return ((RpcResponse.Join) call(new RpcRequest.Join(existing, replay))).num();
    }

    public List<Member> members() throws IOException {
        return membersOf(call(new RpcRequest.Members()));
    }

    /** Members whose name, status and tags match the anchored regexes (empty = no filter). */
    public List<Member> membersFiltered(Map<String, String> tags, String status, String name) throws IOException {
        return membersOf(call(new RpcRequest.MembersFiltered(tags, status, name)));
    }

    private static List<Member> membersOf(RpcResponse r) {
        List<Member> m = ((RpcResponse.Members) r).members();
        return m == null ? List.of() : m;
    }

    public void updateTags(Map<String, String> tags, List<String> deleteTags) throws IOException {
        call(new RpcRequest.Tags(tags, deleteTags));
    }

    /** Graceful leave; the agent shuts down after answering. */
    public void leave() throws IOException {
        call(new RpcRequest.Leave());
    }

    public void respond(long id, byte[] payload) throws IOException {
        call(new RpcRequest.Respond(id, payload));
    }

    /** Installs a key cluster-wide; on failure the {@link RpcException} carries the per-node messages. */
    public RpcResponse.Keys installKey(String key) throws IOException {
        return (RpcResponse.Keys) call(new RpcRequest.InstallKey(key));
    }

    public RpcResponse.Keys useKey(String key) throws IOException {
        return (RpcResponse.Keys) call(new RpcRequest.UseKey(key));
    }

    public RpcResponse.Keys removeKey(String key) throws IOException {
        return (RpcResponse.Keys) call(new RpcRequest.RemoveKey(key));
    }

    public RpcResponse.Keys listKeys() throws IOException {
        return (RpcResponse.Keys) call(new RpcRequest.ListKeys());
    }

    /** The agent's stats; never null. */
    public Map<String, Map<String, String>> stats() throws IOException {
        Map<String, Map<String, String>> s = ((RpcResponse.Stats) call(new RpcRequest.Stats())).stats();
        return s == null ? Map.of() : s;
    }

    /** The cached coordinate of {@code node}, empty if the agent has none. */
    public Optional<Coordinate> getCoordinate(String node) throws IOException {
        var r = (RpcResponse.GetCoordinate) call(new RpcRequest.GetCoordinate(node));
        return r.ok() ? Optional.of(r.coord()) : Optional.empty();
    }

    /** Sends {@code stop} for a stream or monitor sequence number (the agent accepts any number). */
    public void stop(long streamSeq) throws IOException {
        call(new RpcRequest.Stop(streamSeq));
    }

    /**
     * Sends any request and waits for its response header (and body, when the command has one).
     * Streaming commands must use {@link #stream}, {@link #monitor} or {@link #query}.
     *
     * @return the response body, or null for commands without one
     * @throws RpcException if the agent reports an error
     */
    public RpcResponse call(RpcRequest request) throws IOException {
        RpcCommand cmd = request.command();
        if (cmd.isStreaming()) {
            throw new IllegalArgumentException(cmd.wireName() + " opens a stream; use the stream methods");
        }
        long s = seq.incrementAndGet();
        CompletableFuture<Reply> result = new CompletableFuture<>();
        dispatch.register(s, new Call(s, cmd, result));
        try {
            send(new RequestHeader(cmd, s), request);
        } catch (IOException e) {
            dispatch.deregister(s);
            throw e;
        }
        Reply reply = await(result);
        if (!reply.error().isEmpty()) {
            throw new RpcException(reply.error(), reply.body());
        }
        return reply.body();
    }

    // ---- streams --------------------------------------------------------------------------------

    /** Subscribes to the agent's log at {@code logLevel}; lines arrive without trailing newline. */
    public RpcStream monitor(String logLevel, Consumer<String> onLog) throws IOException {
        Objects.requireNonNull(onLog, "onLog");
        return open(new RpcRequest.Monitor(logLevel), in -> StreamRecord.Log.decode(in).log(), onLog);
    }

    /** Subscribes to events matching {@code filter} (e.g. {@code *}, {@code member-join,user:deploy}). */
    public RpcStream stream(String filter, Consumer<StreamRecord.Event> onEvent) throws IOException {
        return open(new RpcRequest.Stream(filter), StreamRecord.Event::decode, onEvent);
    }

    /**
     * Like {@link #stream} but hands over each record as the generic msgpack tree it arrived as, as
     * Go's client does ({@code map[string]interface{}}); the CLI's monitor prints it that way.
     */
    public RpcStream streamRaw(String filter, Consumer<MsgValue> onRecord) throws IOException {
        return open(new RpcRequest.Stream(filter), MsgpackReader::readValue, onRecord);
    }

    /**
     * Starts a query. Acks and responses go to {@code onResult}; the stream ends (without passing
     * the {@code done} record on) when the agent reports the deadline passed.
     */
    public RpcStream query(RpcRequest.Query query, Consumer<StreamRecord.QueryResult> onResult) throws IOException {
        return open(query, StreamRecord.QueryResult::decode, onResult);
    }

    private <T> RpcStream open(RpcRequest request, Function<MsgpackReader, T> decoder, Consumer<? super T> callback)
            throws IOException {
        long s = seq.incrementAndGet();
        RpcStream stream = new RpcStream(this, request.command(), s, callback);
        CompletableFuture<Reply> init = new CompletableFuture<>();
        dispatch.register(s, new StreamHandler(s, request.command(), stream, init, decoder));
        try {
            send(new RequestHeader(request.command(), s), request);
        } catch (IOException e) {
            dispatch.deregister(s);
            throw e;
        }
        Reply reply = await(init);
        if (!reply.error().isEmpty()) {
            throw new RpcException(reply.error(), null);
        }
        return stream;
    }

    /** Ends local delivery for a stream seq, remembering that its late records carry bodies. */
    void retire(long s) {
        dispatch.retire(s);
    }

    // ---- plumbing -------------------------------------------------------------------------------

    private record Reply(String error, RpcResponse body) {
    }

    private final class Call implements ResponseDispatch.Handler {
        private final long s;
        private final RpcCommand command;
        private final CompletableFuture<Reply> result;

        Call(long s, RpcCommand command, CompletableFuture<Reply> result) {
            this.s = s;
            this.command = command;
            this.result = result;
        }

        public void handle(ResponseHeader header) throws IOException {
            RpcResponse body = null;
            // The agent sends no body after "Authentication required", whatever the command.
            if (command.hasResponseBody() && !header.error().equals(AUTH_REQUIRED)) {
                byte[] bytes = body();
                try {
                    body = RpcResponse.decode(command, new MsgpackReader(bytes, frames.limits()));
                } catch (DecodeException e) {
                    result.completeExceptionally(new IOException("decode failed: " + e.getMessage(), e));
                    dispatch.deregister(s);
                    return;
                }
            }
            // Complete before deregistering: cleanup() would otherwise report "client closed".
            result.complete(new Reply(header.error(), body));
            dispatch.deregister(s);
        }

        public void cleanup() {
            result.completeExceptionally(new IOException("client closed"));
        }
    }

    private final class StreamHandler implements ResponseDispatch.Handler {
        private final long s;
        private final RpcCommand command;
        private final RpcStream stream;
        private final CompletableFuture<Reply> init;
        private final Function<MsgpackReader, ?> decoder;
        private boolean initialized;

        StreamHandler(long s, RpcCommand command, RpcStream stream, CompletableFuture<Reply> init,
                      Function<MsgpackReader, ?> decoder) {
            this.s = s;
            this.command = command;
            this.stream = stream;
            this.init = init;
            this.decoder = decoder;
        }

        public void handle(ResponseHeader header) throws IOException {
            if (!initialized) {
                // The first header for the seq is the command's own answer; records follow it.
                initialized = true;
                if (header.isError()) {
                    dispatch.deregister(s);
                }
                init.complete(new Reply(header.error(), null));
                return;
            }
            byte[] bytes = body();
            Object record;
            try {
                record = decoder.apply(new MsgpackReader(bytes, frames.limits()));
            } catch (DecodeException e) {
                LOG.log(Level.WARNING, "Failed to decode " + command.wireName() + " record: " + e.getMessage());
                return;
            }
            if (record instanceof StreamRecord.QueryResult q && q.isDone()) {
                // No further records come for this query.
                dispatch.deregister(s);
                return;
            }
            stream.offer(record);
        }

        public void cleanup() {
            if (!initialized) {
                initialized = true;
                init.completeExceptionally(new IOException(dispatch.isClosed() ? "client closed" : "Stream closed"));
            }
            stream.end();
        }
    }

    /** The body object after a header; the stream may not end there. */
    private byte[] body() throws IOException {
        byte[] b = frames.next();
        if (b == null) {
            throw new EOFException("connection closed before a response body");
        }
        return b;
    }

    private void send(RequestHeader header, RpcRequest body) throws IOException {
        MsgpackWriter w = MsgpackWriter.rpc();
        header.encode(w);
        if (body.command().hasRequestBody()) {
            body.encode(w);
        }
        byte[] bytes = w.toByteArray();
        writeLock.lock();
        try {
            if (dispatch.isClosed()) {
                throw new IOException("client closed");
            }
            out.write(bytes);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    private static Reply await(CompletableFuture<Reply> f) throws IOException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for the agent");
        }
    }

    /** The reader loop: one header at a time, dispatched by seq. */
    private void listen() {
        try {
            while (true) {
                byte[] h = frames.next();
                if (h == null) {
                    break;
                }
                ResponseHeader header = ResponseHeader.decode(new MsgpackReader(h, frames.limits()));
                ResponseDispatch.Handler handler = dispatch.handlerFor(header.seq());
                if (handler != null) {
                    handler.handle(header);
                } else if (dispatch.isRetired(header.seq())) {
                    body(); // a record that raced past our stop
                }
                // Otherwise ignored, as the Go client does.
            }
        } catch (IOException | DecodeException e) {
            if (!dispatch.isClosed()) {
                LOG.log(Level.DEBUG, "RPC connection ended: " + e.getMessage());
            }
        } finally {
            close();
        }
    }

    /** Closes the connection; pending calls fail with {@code client closed} and streams end. */
    @Override
    public void close() {
        List<ResponseDispatch.Handler> pending = dispatch.close();
        if (pending == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing RPC socket: " + e.getMessage());
        }
        for (ResponseDispatch.Handler h : pending) {
            h.cleanup();
        }
    }
}
