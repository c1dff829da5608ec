package serf.wire;

/**
 * Bounds a {@link MsgpackReader} applies on top of "never past the end of the input".
 *
 * @param maxDepth        most arrays/maps nested inside one another that are accepted: 1 allows
 *                        {@code [1, 2]} but not {@code [[1]]}; at most {@link #MAX_DEPTH}
 * @param maxStringBytes  longest str/raw/bin/ext payload accepted
 * @param maxEntries      most elements of one array or entries of one map accepted
 */
public record DecodeLimits(int maxDepth, int maxStringBytes, int maxEntries) {

    /**
     * Hard ceiling for {@code maxDepth}. The readers recurse once per nesting level, so this keeps the
     * deepest possible recursion far below what any thread's stack (a virtual thread's included) holds.
     */
    public static final int MAX_DEPTH = 512;

    /** Generous defaults: still bounded, since every length is also checked against what remains. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(32, 32 * 1024 * 1024, 1 << 20);

    /**
     * Checks that the bounds are in range.
     *
     * @throws IllegalArgumentException when {@code maxDepth} is outside 1 to {@link #MAX_DEPTH} or a size is negative
     */
    public DecodeLimits {
        if (maxDepth < 1 || maxDepth > MAX_DEPTH || maxStringBytes < 0 || maxEntries < 0) {
            throw new IllegalArgumentException("limits out of range (depth 1.." + MAX_DEPTH + ", sizes >= 0): "
                    + maxDepth + "/" + maxStringBytes + "/" + maxEntries);
        }
    }
}
