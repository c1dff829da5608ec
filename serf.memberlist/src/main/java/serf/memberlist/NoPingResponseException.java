package serf.memberlist;

import java.io.IOException;

/**
 * No ack came back from a direct ping ({@link Memberlist#ping}) within the probe timeout; the
 * counterpart of Go's {@code NoPingResponseError}.
 */
public final class NoPingResponseException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The name the ping was addressed to. */
    private final String node;

    /**
     * An exception for a ping to {@code node} that got no answer.
     *
     * @param node the node name the ping carried
     */
    public NoPingResponseException(String node) {
        super("No response from node " + node);
        this.node = node;
    }

    /**
     * The node that did not answer.
     *
     * @return the node name the ping carried
     */
    public String node() {
        return node;
    }
}
