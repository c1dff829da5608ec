package serf.api;

/** A Serf operation refused or failed, with Go serf's message text. */
public final class SerfException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with Go's message text.
     *
     * @param message what failed
     */
    public SerfException(String message) {
        super(message);
    }

    /**
     * An exception with Go's message text and the failure underneath.
     *
     * @param message what failed
     * @param cause   the underlying exception
     */
    public SerfException(String message, Throwable cause) {
        super(message, cause);
    }
}
