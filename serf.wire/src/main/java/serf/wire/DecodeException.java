package serf.wire;

/**
 * The one exception every decoder in this project raises for malformed input: truncated, oversized,
 * of the wrong type or nested too deep. It carries the byte offset where decoding gave up, so a log
 * line can say where a packet went wrong. Nothing else (no IndexOutOfBounds, no NegativeArraySize,
 * no OutOfMemoryError) may escape a decoder for any input.
 */
public final class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Where in the input the problem was found. */
    private final int offset;
    /** Whether the input ended too early (as opposed to holding a wrong byte). */
    private final boolean truncated;

    /**
     * A malformed-input failure.
     *
     * @param message what was wrong
     * @param offset the byte offset at which it was found
     */
    public DecodeException(String message, int offset) {
        this(message, offset, false, null);
    }

    /**
     * A malformed-input failure caused by another exception.
     *
     * @param message what was wrong
     * @param offset the byte offset at which it was found
     * @param cause the underlying failure
     */
    public DecodeException(String message, int offset, Throwable cause) {
        this(message, offset, false, cause);
    }

    /** Stack traces are not captured: hostile input can make these frequent, and the offset says enough. */
    private DecodeException(String message, int offset, boolean truncated, Throwable cause) {
        super(message + " (at offset " + offset + ")", cause, false, false);
        this.offset = offset;
        this.truncated = truncated;
    }

    /**
     * {@return the input ended before the value did (more bytes might complete it)}
     *
     * @param what what was being read
     * @param offset where the input ended
     */
    public static DecodeException truncated(String what, int offset) {
        return new DecodeException("truncated input: " + what, offset, true, null);
    }

    /** {@return true when the input simply ended too early, as opposed to being malformed} */
    public boolean isTruncated() {
        return truncated;
    }

    /**
     * Byte offset in the decoded buffer at which the problem was found.
     *
     * @return the byte offset at which the input was found malformed
     */
    public int offset() {
        return offset;
    }
}
