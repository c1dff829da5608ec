package serf.api;

/**
 * Optional settings of a key operation (Go's {@code serf.KeyRequestOptions}), for the
 * {@code *WithOptions} methods of {@link KeyManager}.
 *
 * @param relayFactor how many other random members also forward each node's answer to this node,
 *                    0 to 255 (Go's {@code RelayFactor}, a {@code uint8}); more copies make a key
 *                    operation's result complete on a lossy network. Default 0
 */
public record KeyRequestOptions(int relayFactor) {

    /** The defaults: no relays. */
    public static final KeyRequestOptions DEFAULTS = new KeyRequestOptions(0);

    /**
     * Checks the relay factor.
     *
     * @throws IllegalArgumentException when {@code relayFactor} is outside 0..255
     */
    public KeyRequestOptions {
        if (relayFactor < 0 || relayFactor > 255) {
            throw new IllegalArgumentException("relay factor must be 0..255: " + relayFactor);
        }
    }
}
