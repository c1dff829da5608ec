package serf.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a query is sent (Go's {@code serf.QueryParam}): to which nodes, whether acks are wanted, how
 * many relayed copies of each answer, how long it stays open, and (an addition of ours) whether it
 * may close before its timeout once the answers it waits for are in. Immutable; start from
 * {@link #defaults()} (or {@link Serf#defaultQueryParams()}) and change it with the {@code with*}
 * methods.
 *
 * <p>Filters: a node processes the query only if every filter matches it: its name is one of
 * {@link #filterNodes} (when not empty), and for each entry of {@link #filterTags} its tag of that
 * name matches the regular expression (RE2 syntax, unanchored; a missing tag is matched as "").
 *
 * @param filterNodes         node names the query is for; empty for every node (Go's {@code FilterNodes})
 * @param filterTags          tag name to regular expression, all must match; empty for no tag filter
 *                            (Go's {@code FilterTags})
 * @param requestAck          whether each node that processes the query acks it at once, before its
 *                            application answers (Go's {@code RequestAck}); default false
 * @param relayFactor         how many other random members also forward each ack and response to us,
 *                            0 to 255, for answers that survive a lossy path (Go's {@code RelayFactor}); default 0
 * @param timeout             how long the query collects answers; {@link Duration#ZERO} (the default) for
 *                            {@link Serf#defaultQueryTimeout()} (Go's {@code Timeout})
 * @param closeAfterResponses when the query may close early: 0 (the default, Go's behaviour) keeps it open
 *                            until its timeout; a positive n closes it as soon as n nodes have responded;
 *                            {@link #ALL_MATCHED} closes it as soon as every node in
 *                            {@link QueryResponse#matchedNodes()} has responded (and acked, when acks are
 *                            requested). Answers arriving after it closed are ignored. Not sent on the
 *                            wire: other nodes behave the same either way
 */
public record QueryParam(List<String> filterNodes, Map<String, String> filterTags, boolean requestAck,
                         int relayFactor, Duration timeout, int closeAfterResponses) {

    /**
     * For {@link #closeAfterResponses}: close the query once every node that matched its filters
     * when it was sent has responded (see {@link QueryResponse#matchedNodes()}).
     */
    public static final int ALL_MATCHED = -1;

    /**
     * Checks and copies the settings.
     *
     * @throws IllegalArgumentException when {@code relayFactor} is outside 0..255 or
     *                                  {@code closeAfterResponses} is below {@link #ALL_MATCHED}
     */
    public QueryParam {
        filterNodes = filterNodes == null ? List.of() : List.copyOf(filterNodes);
        filterTags = filterTags == null ? Map.of() : Map.copyOf(filterTags);
        timeout = timeout == null ? Duration.ZERO : timeout;
        if (relayFactor < 0 || relayFactor > 255) {
            throw new IllegalArgumentException("relay factor must be 0..255");
        }
        if (closeAfterResponses < ALL_MATCHED) {
            throw new IllegalArgumentException("closeAfterResponses must be >= 0 or ALL_MATCHED: " + closeAfterResponses);
        }
    }

    /**
     * Go's five fields, staying open until the timeout.
     *
     * @param filterNodes node names the query is for; empty or null for all
     * @param filterTags  tag regular expressions that must all match; empty or null for none
     * @param requestAck  whether nodes ack the query
     * @param relayFactor relayed copies of each answer, 0 to 255
     * @param timeout     how long the query stays open; zero or null for the default timeout
     */
    public QueryParam(List<String> filterNodes, Map<String, String> filterTags, boolean requestAck,
                      int relayFactor, Duration timeout) {
        this(filterNodes, filterTags, requestAck, relayFactor, timeout, 0);
    }

    /**
     * No filters, no acks, no relays, the default timeout, open until it.
     *
     * @return the default parameters
     */
    public static QueryParam defaults() {
        return new QueryParam(List.of(), Map.of(), false, 0, Duration.ZERO, 0);
    }

    /**
     * With another timeout.
     *
     * @param t how long the query collects answers; zero for the default
     * @return a copy with the timeout changed
     */
    public QueryParam withTimeout(Duration t) {
        return new QueryParam(filterNodes, filterTags, requestAck, relayFactor, t, closeAfterResponses);
    }

    /**
     * With or without acks.
     *
     * @param ack whether nodes ack the query
     * @return a copy with {@link #requestAck} changed
     */
    public QueryParam withAck(boolean ack) {
        return new QueryParam(filterNodes, filterTags, ack, relayFactor, timeout, closeAfterResponses);
    }

    /**
     * For these nodes only.
     *
     * @param nodes node names; empty for all
     * @return a copy with {@link #filterNodes} changed
     */
    public QueryParam withFilterNodes(List<String> nodes) {
        return new QueryParam(nodes, filterTags, requestAck, relayFactor, timeout, closeAfterResponses);
    }

    /**
     * For nodes whose tags match.
     *
     * @param tags tag name to regular expression; empty for no tag filter
     * @return a copy with {@link #filterTags} changed
     */
    public QueryParam withFilterTags(Map<String, String> tags) {
        return new QueryParam(filterNodes, tags, requestAck, relayFactor, timeout, closeAfterResponses);
    }

    /**
     * With relayed copies of each answer.
     *
     * @param relay 0 to 255
     * @return a copy with {@link #relayFactor} changed
     */
    public QueryParam withRelayFactor(int relay) {
        return new QueryParam(filterNodes, filterTags, requestAck, relay, timeout, closeAfterResponses);
    }

    /**
     * Closes the query as soon as {@code n} nodes have responded, instead of at its timeout.
     *
     * @param n responses to wait for; 0 to stay open until the timeout, or {@link #ALL_MATCHED}
     * @return a copy with {@link #closeAfterResponses} changed
     */
    public QueryParam withCloseAfterResponses(int n) {
        return new QueryParam(filterNodes, filterTags, requestAck, relayFactor, timeout, n);
    }

    /**
     * Closes the query as soon as every node its filters matched when it was sent has responded
     * (and acked, with {@link #requestAck}); the same as {@code withCloseAfterResponses(ALL_MATCHED)}.
     * A node that never responds (its application does not answer, or it failed) keeps the query
     * open until its timeout.
     *
     * @return a copy with {@link #closeAfterResponses} set to {@link #ALL_MATCHED}
     */
    public QueryParam withCloseWhenAllMatchedRespond() {
        return withCloseAfterResponses(ALL_MATCHED);
    }
}
