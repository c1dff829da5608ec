package serf.api;

import java.util.Map;

/**
 * The outcome of a key operation across the cluster (Go's {@code serf.KeyResponse}), from
 * {@link KeyManager}.
 *
 * @param messages    node name to the message it sent (errors, and warnings such as a truncated list)
 * @param keys        for list-keys: each key (base64) to how many nodes hold it; empty otherwise
 * @param primaryKeys for list-keys: each key (base64) to how many nodes use it as primary key
 * @param numNodes    how many live nodes there were when the query was sent
 * @param numResp     how many nodes answered
 * @param numErr      how many of them reported a failure
 * @param error       null on success, else the text the Go agent reports, e.g. "2/3 nodes reported failure"
 */
public record KeyResponse(Map<String, String> messages, Map<String, Integer> keys, Map<String, Integer> primaryKeys,
                          int numNodes, int numResp, int numErr, String error) {

    /** Copies the maps. */
    public KeyResponse {
        messages = Map.copyOf(messages);
        keys = Map.copyOf(keys);
        primaryKeys = Map.copyOf(primaryKeys);
    }

    /** {@return true when every node answered and none reported a failure ({@link #error()} is null)} */
    public boolean ok() {
        return error == null;
    }
}
