package serf.crypto;

/**
 * A keyring operation was refused. The message is Go memberlist's text (for example
 * {@code "key size must be 16, 24 or 32 bytes"}), because the agent passes it on to RPC clients verbatim.
 */
public final class KeyringException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates one with Go's error text.
     *
     * @param message what went wrong, in Go's words
     */
    public KeyringException(String message) {
        super(message);
    }
}
