package serf.client.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The commands of the agent RPC protocol (IPC version 1), with the framing facts both ends need:
 * whether a request body follows the header, whether a response body follows the response header,
 * and whether the command opens a stream of records on its sequence number.
 */
public enum RpcCommand {
    HANDSHAKE("handshake", true, false, false),
    AUTH("auth", true, false, false),
    EVENT("event", true, false, false),
    FORCE_LEAVE("force-leave", true, false, false),
    JOIN("join", true, true, false),
    MEMBERS("members", false, true, false),
    MEMBERS_FILTERED("members-filtered", true, true, false),
    TAGS("tags", true, false, false),
    STREAM("stream", true, false, true),
    MONITOR("monitor", true, false, true),
    STOP("stop", true, false, false),
    LEAVE("leave", false, false, false),
    QUERY("query", true, false, true),
    RESPOND("respond", true, false, false),
    INSTALL_KEY("install-key", true, true, false),
    USE_KEY("use-key", true, true, false),
    REMOVE_KEY("remove-key", true, true, false),
    LIST_KEYS("list-keys", false, true, false),
    STATS("stats", false, true, false),
    GET_COORDINATE("get-coordinate", true, true, false);

    private static final Map<String, RpcCommand> BY_NAME = new HashMap<>();

    static {
        for (RpcCommand c : values()) {
            BY_NAME.put(c.wireName, c);
        }
    }

    private final String wireName;
    private final boolean requestBody;
    private final boolean responseBody;
    private final boolean streaming;

    RpcCommand(String wireName, boolean requestBody, boolean responseBody, boolean streaming) {
        this.wireName = wireName;
        this.requestBody = requestBody;
        this.responseBody = responseBody;
        this.streaming = streaming;
    }

    /** The {@code Command} string in the request header. */
    public String wireName() {
        return wireName;
    }

    /** True when exactly one body object follows the request header. */
    public boolean hasRequestBody() {
        return requestBody;
    }

    /**
     * True when the agent sends one body object after the response header, even when the header
     * carries an error (except {@code Authentication required}, which never has a body).
     */
    public boolean hasResponseBody() {
        return responseBody;
    }

    /** True for stream, monitor and query: records (header + body) follow the first response header. */
    public boolean isStreaming() {
        return streaming;
    }

    /** The command with this exact (case-sensitive) wire name. */
    public static Optional<RpcCommand> fromWireName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
