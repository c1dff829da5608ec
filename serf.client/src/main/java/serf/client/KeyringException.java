package serf.client;

import java.util.Objects;

/**
 * A keyring operation failed on at least one node. The agent still reports what every node
 * answered: {@link #response()} holds the per-node messages and the counts.
 */
public final class KeyringException extends AgentException {
    private static final long serialVersionUID = 1L;

    /** The answer that came with the error. */
    private final transient KeyResponse response;

    /**
     * A failed keyring operation.
     *
     * @param error    the agent's error text
     * @param response the answer that came with it
     */
    public KeyringException(String error, KeyResponse response) {
        super(error);
        this.response = Objects.requireNonNull(response, "response");
    }

    /**
     * What the nodes answered.
     *
     * @return the answer sent along with the error
     */
    public KeyResponse response() {
        return response;
    }
}
