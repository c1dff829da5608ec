package serf.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a query is sent: to which nodes (by name and by tag regular expressions, RE2 syntax, all
 * must match), whether acks are wanted, how many relayed copies of each answer, and how long it
 * stays open ({@link Duration#ZERO} = the default timeout).
 */
public record QueryParam(List<String> filterNodes, Map<String, String> filterTags, boolean requestAck,
                         int relayFactor, Duration timeout) {

    public QueryParam {
        filterNodes = filterNodes == null ? List.of() : List.copyOf(filterNodes);
        filterTags = filterTags == null ? Map.of() : Map.copyOf(filterTags);
        timeout = timeout == null ? Duration.ZERO : timeout;
        if (relayFactor < 0 || relayFactor > 255) {
            throw new IllegalArgumentException("relay factor must be 0..255");
        }
    }

    /** No filters, no acks, no relays, the default timeout. */
    public static QueryParam defaults() {
        return new QueryParam(List.of(), Map.of(), false, 0, Duration.ZERO);
    }

    public QueryParam withTimeout(Duration t) {
        return new QueryParam(filterNodes, filterTags, requestAck, relayFactor, t);
    }

    public QueryParam withAck(boolean ack) {
        return new QueryParam(filterNodes, filterTags, ack, relayFactor, timeout);
    }

    public QueryParam withFilterNodes(List<String> nodes) {
        return new QueryParam(nodes, filterTags, requestAck, relayFactor, timeout);
    }

    public QueryParam withFilterTags(Map<String, String> tags) {
        return new QueryParam(filterNodes, tags, requestAck, relayFactor, timeout);
    }

    public QueryParam withRelayFactor(int relay) {
        return new QueryParam(filterNodes, filterTags, requestAck, relay, timeout);
    }
}
