package serf.client.internal;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent answered a request with a non-empty {@code Error} in the response header. The message
 * is the agent's text, exactly. For commands whose response carries a body even on error
 * (join, key commands, ...) the decoded body is available too, as the Go CLI prints both.
 */
public final class RpcException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient RpcResponse body;

    public RpcException(String error, RpcResponse body) {
        super(Objects.requireNonNull(error, "error"));
        this.body = body;
    }

    /** The agent's error text, exactly as sent. */
    public String error() {
        return getMessage();
    }

    /** The response body sent along with the error, if the command has one. */
    public Optional<RpcResponse> body() {
        return Optional.ofNullable(body);
    }
}
