package serf.api;

/** One node's answer to a query. */
public record NodeResponse(String from, byte[] payload) {
}
