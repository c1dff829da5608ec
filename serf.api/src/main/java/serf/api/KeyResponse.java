package serf.api;

import java.util.Map;

/**
 * The outcome of a key operation across the cluster: per-node messages (errors and warnings), for
 * list-keys how many nodes hold each key and each primary key, and {@code error} (null on success),
 * the text the Go agent reports ("2/3 nodes reported failure").
 */
public record KeyResponse(Map<String, String> messages, Map<String, Integer> keys, Map<String, Integer> primaryKeys,
                          int numNodes, int numResp, int numErr, String error) {

    public KeyResponse {
        messages = Map.copyOf(messages);
        keys = Map.copyOf(keys);
        primaryKeys = Map.copyOf(primaryKeys);
    }

    public boolean ok() {
        return error == null;
    }
}
