package serf.api;

/** A query or response refused (too large, already answered, past the deadline, unsupported, …). */
public final class QueryException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with Go's message text.
     *
     * @param message what was refused and why
     */
    public QueryException(String message) {
        super(message);
    }
}
