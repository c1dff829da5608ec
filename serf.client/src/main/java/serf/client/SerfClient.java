package serf.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import serf.client.internal.RpcChannel;
import serf.client.internal.RpcException;
import serf.client.internal.RpcRequest;
import serf.client.internal.RpcResponse;
import serf.client.internal.StreamRecord;

/**
 * A connection to a Serf agent's RPC address ({@code serf agent -rpc-addr}): the Java counterpart of
 * Go's {@code serf/client} package, speaking the agent's RPC protocol (version 1) to a Go agent or
 * to ours.
 *
 * <pre>{@code
 * try (SerfClient client = SerfClient.connect("127.0.0.1:7373")) {
 *     client.members().forEach(m -> System.out.println(m.name() + " " + m.status()));
 *     client.userEvent("deploy", "v2".getBytes(), false);
 * }
 * }</pre>
 *
 * <p>Any number of threads may use one client at once; each request waits for its own answer, with
 * no time limit (as Go's client): {@link #close()} from another thread releases them. An error the
 * agent reports is an {@link AgentException} with the agent's text; a connection that is refused,
 * lost or closed is an {@link IOException} ({@code client closed} once closed).
 *
 * <p>What the agent sends is read with bounds: one object is at most 1 MiB, refused as soon as a
 * declared length shows it would be larger, and no buffer is allocated before its size is known to
 * fit. Streaming results ({@link #stream}, {@link #monitor}, {@link #query}) arrive on a
 * {@link Subscription} with a bounded queue.
 */
public final class SerfClient implements AutoCloseable {
    /** How long connecting may take unless configured otherwise (10 seconds, as in Go's client). */
    public static final Duration DEFAULT_TIMEOUT = RpcChannel.DEFAULT_TIMEOUT;

    private final RpcChannel channel;

    private SerfClient(RpcChannel channel) {
        this.channel = channel;
    }

    /**
     * Connects to an agent that needs no authentication, with the default timeout.
     *
     * @param address the agent's RPC address, {@code host:port}
     * @return the connected client
     * @throws IOException if the connection or the handshake fails
     */
    public static SerfClient connect(String address) throws IOException {
        return connect(ClientConfig.of(address));
    }

    /**
     * Connects, performs the protocol handshake and, when a key is configured, authenticates.
     *
     * @param config the address, key and connect timeout
     * @return the connected client
     * @throws IOException if any step fails (the connection is closed again); the message of a
     *                     failed connect names the address and the reason, e.g.
     *                     {@code dial tcp 127.0.0.1:7373: connect: connection refused}
     */
    public static SerfClient connect(ClientConfig config) throws IOException {
        try {
            return new SerfClient(RpcChannel.connect(config.address(), config.authKey(), config.timeout()));
        } catch (RpcException e) {
            throw new AgentException(e.error());
        }
    }

    /**
     * Whether the connection is closed (by {@link #close()} or because it was lost).
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return channel.isClosed();
    }

    /**
     * Every member the agent knows, in any state.
     *
     * @return the members
     * @throws IOException if the request fails
     */
    public List<Member> members() throws IOException {
        return call(channel::members);
    }

    /**
     * The members whose tags, status and name match. Each filter is a regular expression that must
     * match the whole value (RE2 syntax, as the agent evaluates it); an empty or null filter matches
     * everything.
     *
     * @param tags   tag name to the expression its value must match; null or empty for none
     * @param status expression the status must match, e.g. {@code alive|failed}; null or empty for none
     * @param name   expression the node name must match; null or empty for none
     * @return the matching members
     * @throws IOException if the request fails or an expression does not compile (the agent then
     *                     closes the connection)
     */
    public List<Member> membersFiltered(Map<String, String> tags, String status, String name) throws IOException {
        return call(() -> channel.membersFiltered(tags, status, name));
    }

    /**
     * Asks the agent to join the nodes at the given addresses.
     *
     * @param addresses gossip addresses, {@code host} or {@code host:port}
     * @param replay    whether the agent should replay past user events it learns from them
     * @return the number of nodes contacted
     * @throws IOException if the request fails or no node could be joined
     */
    public int join(List<String> addresses, boolean replay) throws IOException {
        return call(() -> channel.join(addresses, replay));
    }

    /**
     * Makes the agent leave the cluster gracefully; the agent shuts down afterwards.
     *
     * @throws IOException if the request fails
     */
    public void leave() throws IOException {
        run(channel::leave);
    }

    /**
     * Marks a failed node as having left, so that it is no longer tried.
     *
     * @param node the node's name
     * @throws IOException if the request fails
     */
    public void forceLeave(String node) throws IOException {
        run(() -> channel.forceLeave(node, false));
    }

    /**
     * Like {@link #forceLeave(String)}, and removes the node from the member list at once instead of
     * after the reap interval.
     *
     * @param node the node's name
     * @throws IOException if the request fails
     */
    public void forceLeavePrune(String node) throws IOException {
        run(() -> channel.forceLeave(node, true));
    }

    /**
     * Sends a user event to the cluster.
     *
     * @param name     the event's name
     * @param payload  the event's payload; may be null
     * @param coalesce whether agents may deliver only the latest of several events of this name
     * @throws IOException if the request fails (e.g. the event is too large)
     */
    public void userEvent(String name, byte[] payload, boolean coalesce) throws IOException {
        run(() -> channel.userEvent(name, payload, coalesce));
    }

    /**
     * Changes the agent's tags.
     *
     * @param tags       tags to set (added or replaced); may be null
     * @param deleteTags names of tags to remove; may be null
     * @throws IOException if the request fails
     */
    public void updateTags(Map<String, String> tags, List<String> deleteTags) throws IOException {
        run(() -> channel.updateTags(tags, deleteTags));
    }

    /**
     * Answers a query received on one of this client's {@link #stream streams}.
     *
     * @param queryId the {@link StreamEvent.QueryEvent#id() id} of the query
     * @param payload the answer; may be null
     * @throws IOException if the request fails (e.g. the query's time is up)
     */
    public void respond(long queryId, byte[] payload) throws IOException {
        run(() -> channel.respond(queryId, payload));
    }

    /**
     * Installs a key in every node's keyring.
     *
     * @param key the key, base64
     * @return what the nodes answered
     * @throws KeyringException if a node failed (with every node's answer)
     * @throws IOException      if the request fails
     */
    public KeyResponse installKey(String key) throws IOException {
        return keys(() -> channel.installKey(key));
    }

    /**
     * Makes an installed key the one every node encrypts with.
     *
     * @param key the key, base64
     * @return what the nodes answered
     * @throws KeyringException if a node failed (with every node's answer)
     * @throws IOException      if the request fails
     */
    public KeyResponse useKey(String key) throws IOException {
        return keys(() -> channel.useKey(key));
    }

    /**
     * Removes a key from every node's keyring.
     *
     * @param key the key, base64
     * @return what the nodes answered
     * @throws KeyringException if a node failed (with every node's answer)
     * @throws IOException      if the request fails
     */
    public KeyResponse removeKey(String key) throws IOException {
        return keys(() -> channel.removeKey(key));
    }

    /**
     * Lists the keys installed in the cluster and how many nodes hold each.
     *
     * @return the keys and counts ({@link KeyResponse#keys()})
     * @throws KeyringException if a node failed (with every node's answer)
     * @throws IOException      if the request fails
     */
    public KeyResponse listKeys() throws IOException {
        return keys(channel::listKeys);
    }

    /**
     * The agent's statistics: section ({@code agent}, {@code runtime}, {@code serf}, {@code tags})
     * to name to value, every value a string.
     *
     * @return the statistics
     * @throws IOException if the request fails
     */
    public Map<String, Map<String, String>> stats() throws IOException {
        return call(channel::stats);
    }

    /**
     * The network coordinate the agent holds for a node.
     *
     * @param node the node's name
     * @return the coordinate, or empty when the agent has none for it
     * @throws IOException if the request fails
     */
    public Optional<Coordinate> getCoordinate(String node) throws IOException {
        return call(() -> channel.getCoordinate(node));
    }

    /**
     * Receives the agent's log lines: first the recent ones it keeps, then new ones as they are
     * written.
     *
     * @param logLevel the lowest level to receive: {@code trace}, {@code debug}, {@code info},
     *                 {@code warn} or {@code err}
     * @param onLine   called with each line (without its line break)
     * @return the running subscription
     * @throws AgentException if the agent refuses, e.g. an unknown level
     * @throws IOException    if the request fails
     */
    public Subscription monitor(String logLevel, Consumer<String> onLine) throws IOException {
        Objects.requireNonNull(onLine, "onLine");
        return call(() -> new Subscription(channel.monitor(logLevel, onLine)));
    }

    /**
     * Receives the agent's events as they happen.
     *
     * @param filter  which events: {@code *} for all, or a comma-separated list of {@code member-join},
     *                {@code member-leave}, {@code member-failed}, {@code member-update},
     *                {@code member-reap}, {@code user}, {@code user:NAME}, {@code query},
     *                {@code query:NAME}
     * @param onEvent called with each event
     * @return the running subscription
     * @throws AgentException if the agent refuses, e.g. {@code Invalid event filter}
     * @throws IOException    if the request fails
     */
    public Subscription stream(String filter, Consumer<StreamEvent> onEvent) throws IOException {
        Objects.requireNonNull(onEvent, "onEvent");
        return call(() -> new Subscription(channel.stream(filter, e -> onEvent.accept(toEvent(e)))));
    }

    /**
     * Sends a query. Acknowledgements and responses reach {@code onResult} as they arrive; the
     * subscription ends when the query's time is up, or earlier when closed (for example once the
     * answers needed are in).
     *
     * @param params   the query
     * @param onResult called with each acknowledgement and response
     * @return the running query
     * @throws AgentException if the agent refuses the query (e.g. too large)
     * @throws IOException    if the request fails
     */
    public Subscription query(QueryParams params, Consumer<QueryResult> onResult) throws IOException {
        Objects.requireNonNull(onResult, "onResult");
        RpcRequest.Query q = new RpcRequest.Query(params.filterNodes(), params.filterTags(), params.requestAck(),
                params.relayFactor(), params.timeout().toNanos(), params.name(), params.payload());
        return call(() -> new Subscription(channel.query(q, r -> {
            switch (r.type()) {
                case StreamRecord.QueryResult.ACK -> onResult.accept(new QueryResult.Ack(r.from()));
                case StreamRecord.QueryResult.RESPONSE -> onResult.accept(new QueryResult.Response(r.from(), r.payload()));
                default -> {
                    // A kind of record this client does not know: skipped, as Go's client does.
                }
            }
        })));
    }

    /**
     * Closes the connection. Requests still waiting fail with {@code client closed} and every
     * subscription ends. Closing twice does nothing.
     */
    @Override
    public void close() {
        channel.close();
    }

    private static StreamEvent toEvent(StreamRecord.Event e) {
        return switch (e) {
            case StreamRecord.UserEvent u -> new StreamEvent.UserEvent(u.ltime(), u.name(), u.payload(), u.coalesce());
            case StreamRecord.QueryEvent q -> new StreamEvent.QueryEvent(q.id(), q.ltime(), q.name(), q.payload());
            case StreamRecord.MemberEvent m -> new StreamEvent.MemberEvent(m.event(), m.members());
        };
    }

    private static KeyResponse toKeys(RpcResponse.Keys k) {
        return new KeyResponse(k.messages(), k.keys(), k.numNodes(), k.numErr(), k.numResp());
    }

    /** A request that returns a value. */
    @FunctionalInterface
    private interface Call<T> {
        T call() throws IOException;
    }

    /** A request without a result. */
    @FunctionalInterface
    private interface Run {
        void run() throws IOException;
    }

    /** Runs a request, giving an agent's error the public exception type. */
    private static <T> T call(Call<T> c) throws IOException {
        try {
            return c.call();
        } catch (RpcException e) {
            throw new AgentException(e.error());
        }
    }

    private static void run(Run r) throws IOException {
        call(() -> {
            r.run();
            return null;
        });
    }

    private static KeyResponse keys(Call<RpcResponse.Keys> c) throws IOException {
        try {
            return toKeys(c.call());
        } catch (RpcException e) {
            if (e.body().orElse(null) instanceof RpcResponse.Keys k) {
                throw new KeyringException(e.error(), toKeys(k));
            }
            throw new AgentException(e.error());
        }
    }
}
