package serf.api;

/** A Serf operation refused or failed, with Go serf's message text. */
public final class SerfException extends Exception {
    private static final long serialVersionUID = 1L;

    public SerfException(String message) {
        super(message);
    }

    public SerfException(String message, Throwable cause) {
        super(message, cause);
    }
}
