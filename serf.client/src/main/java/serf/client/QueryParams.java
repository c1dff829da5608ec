package serf.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A query to send through the agent ({@link SerfClient#query}).
 *
 * @param name        the query's name
 * @param payload     the query's payload; may be null for none
 * @param filterNodes only these nodes answer; null or empty for no node filter (null is sent as
 *                    a nil list, empty as an empty one: agents treat both alike)
 * @param filterTags  only nodes whose tags match these anchored regular expressions answer; null or
 *                    empty for no tag filter
 * @param requestAck  whether nodes acknowledge receipt ({@link QueryResult.Ack})
 * @param relayFactor how many extra members relay each response back (0 to 5 is sensible, at most
 *                    255)
 * @param timeout     how long the query runs; {@link Duration#ZERO} for the agent's default (a
 *                    negative one is sent as it is: the query then ends at once)
 */
public record QueryParams(String name, byte[] payload, List<String> filterNodes, Map<String, String> filterTags,
                          boolean requestAck, int relayFactor, Duration timeout) {

    /**
     * Copies the filters (null stays null); a null timeout becomes zero.
     *
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if {@code relayFactor} is outside 0..255
     */
    public QueryParams {
        Objects.requireNonNull(name, "name");
        filterNodes = filterNodes == null ? null : Collections.unmodifiableList(new ArrayList<>(filterNodes));
        filterTags = filterTags == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(filterTags));
        timeout = timeout == null ? Duration.ZERO : timeout;
        if (relayFactor < 0 || relayFactor > 255) {
            throw new IllegalArgumentException("relay factor must be 0..255: " + relayFactor);
        }
    }

    /**
     * A query to every node, with acknowledgements, the agent's default timeout and no relays.
     *
     * @param name    the query's name
     * @param payload the query's payload; may be null
     * @return the parameters
     */
    public static QueryParams of(String name, byte[] payload) {
        return new QueryParams(name, payload, null, null, true, 0, Duration.ZERO);
    }

    /**
     * These parameters limited to the given nodes.
     *
     * @param nodes the node names that may answer
     * @return new parameters
     */
    public QueryParams withFilterNodes(List<String> nodes) {
        return new QueryParams(name, payload, nodes, filterTags, requestAck, relayFactor, timeout);
    }

    /**
     * These parameters limited to nodes whose tags match.
     *
     * @param tags tag name to an anchored regular expression its value must match
     * @return new parameters
     */
    public QueryParams withFilterTags(Map<String, String> tags) {
        return new QueryParams(name, payload, filterNodes, tags, requestAck, relayFactor, timeout);
    }

    /**
     * These parameters with or without acknowledgements.
     *
     * @param ack whether nodes acknowledge receipt
     * @return new parameters
     */
    public QueryParams withRequestAck(boolean ack) {
        return new QueryParams(name, payload, filterNodes, filterTags, ack, relayFactor, timeout);
    }

    /**
     * These parameters with another relay factor.
     *
     * @param relays how many extra members relay each response (0..255)
     * @return new parameters
     */
    public QueryParams withRelayFactor(int relays) {
        return new QueryParams(name, payload, filterNodes, filterTags, requestAck, relays, timeout);
    }

    /**
     * These parameters with another timeout.
     *
     * @param queryTimeout how long the query runs; zero for the agent's default
     * @return new parameters
     */
    public QueryParams withTimeout(Duration queryTimeout) {
        return new QueryParams(name, payload, filterNodes, filterTags, requestAck, relayFactor, queryTimeout);
    }
}
