package serf.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a cluster-wide keyring operation ({@link SerfClient#installKey},
 * {@link SerfClient#useKey}, {@link SerfClient#removeKey}, {@link SerfClient#listKeys}).
 *
 * @param messages node name to the error that node reported; empty when every node succeeded
 * @param keys     for {@code listKeys}: each installed key (base64) to the number of nodes that hold
 *                 it; empty for the other operations
 * @param numNodes the number of nodes the operation was sent to
 * @param numErr   the number of nodes that reported an error
 * @param numResp  the number of nodes that answered
 */
public record KeyResponse(Map<String, String> messages, Map<String, Long> keys, long numNodes, long numErr,
                          long numResp) {

    /**
     * Copies the maps (in the order given); null maps become empty.
     */
    public KeyResponse {
        messages = messages == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(messages));
        keys = keys == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }
}
