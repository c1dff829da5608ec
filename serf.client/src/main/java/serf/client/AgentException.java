package serf.client;

import java.io.IOException;
import java.util.Objects;

/**
 * The agent answered a request with an error. The message is the agent's text as it sent it (for
 * example {@code Invalid event filter} or {@code Authentication required}); a lost or refused
 * connection is a plain {@link IOException} instead.
 */
public class AgentException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An error the agent reported.
     *
     * @param error the agent's error text
     */
    public AgentException(String error) {
        super(Objects.requireNonNull(error, "error"));
    }

    /**
     * The agent's error text, exactly as sent.
     *
     * @return the text
     */
    public String error() {
        return getMessage();
    }
}
