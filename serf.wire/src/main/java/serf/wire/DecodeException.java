package serf.wire;

/**
 * The one exception every decoder in this project raises for malformed input: truncated, oversized,
 * of the wrong type or nested too deep. It carries the byte offset where decoding gave up, so a log
 * line can say where a packet went wrong. Nothing else (no IndexOutOfBounds, no NegativeArraySize,
 * no OutOfMemoryError) may escape a decoder for any input.
 */
public final class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final boolean truncated;

    public DecodeException(String message, int offset) {
        this(message, offset, false, null);
    }

    public DecodeException(String message, int offset, Throwable cause) {
        this(message, offset, false, cause);
    }

    /** Stack traces are not captured: hostile input can make these frequent, and the offset says enough. */
    private DecodeException(String message, int offset, boolean truncated, Throwable cause) {
        super(message + " (at offset " + offset + ")", cause, false, false);
        this.offset = offset;
        this.truncated = truncated;
    }

    /** The input ended before the value did (more bytes might complete it). */
    public static DecodeException truncated(String what, int offset) {
        return new DecodeException("truncated input: " + what, offset, true, null);
    }

    /** True when the input simply ended too early, as opposed to being malformed. */
    public boolean isTruncated() {
        return truncated;
    }

    /** Byte offset in the decoded buffer at which the problem was found. */
    public int offset() {
        return offset;
    }
}
