package serf.api;

/**
 * One node's answer to a query (Go's {@code serf.NodeResponse}).
 *
 * @param from    the name of the node that answered
 * @param payload what it answered; may be null or empty
 */
public record NodeResponse(String from, byte[] payload) {
}
