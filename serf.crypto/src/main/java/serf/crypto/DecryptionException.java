package serf.crypto;

/**
 * An encrypted packet or stream could not be opened. The message is Go memberlist's text (for example
 * {@code "No installed keys could decrypt the message"}), which a stream responder sends back in an
 * {@code err} reply. Stack traces are not captured: hostile traffic can make these frequent.
 */
public final class DecryptionException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates one with Go's error text.
     *
     * @param message what went wrong, in Go's words
     */
    public DecryptionException(String message) {
        super(message, null, false, false);
    }
}
