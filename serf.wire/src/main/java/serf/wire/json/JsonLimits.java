package serf.wire.json;

/**
 * Bounds {@link Json#parse(String, JsonLimits)} applies to untrusted text.
 *
 * @param maxDepth  deepest nesting of arrays and objects accepted (a bare scalar has depth 0)
 * @param maxLength longest input accepted, in chars
 */
public record JsonLimits(int maxDepth, int maxLength) {

    /** Far beyond anything the agent reads or writes, yet small enough to keep the parser's stack shallow. */
    public static final JsonLimits DEFAULT = new JsonLimits(64, 16 * 1024 * 1024);

    /** The parser recurses once per level; this keeps a hostile configuration from overflowing the stack. */
    static final int DEPTH_CEILING = 1000;

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException when {@code maxDepth} is outside 1 to 1000 or {@code maxLength} is negative
     */
    public JsonLimits {
        if (maxDepth < 1 || maxDepth > DEPTH_CEILING || maxLength < 0) {
            throw new IllegalArgumentException(
                    "maxDepth must be 1.." + DEPTH_CEILING + " and maxLength >= 0: " + maxDepth + "/" + maxLength);
        }
    }
}
