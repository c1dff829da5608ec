package serf.wire;

/**
 * Bounds a {@link MsgpackReader} applies on top of "never past the end of the input".
 *
 * @param maxDepth        deepest nesting of arrays/maps/ext accepted (skipping counts too)
 * @param maxStringBytes  longest str/raw/bin/ext payload accepted
 * @param maxEntries      most elements of one array or entries of one map accepted
 */
public record DecodeLimits(int maxDepth, int maxStringBytes, int maxEntries) {

    /** Generous defaults: still bounded, since every length is also checked against what remains. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(32, 32 * 1024 * 1024, 1 << 20);

    public DecodeLimits {
        if (maxDepth < 1 || maxStringBytes < 0 || maxEntries < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxDepth + "/" + maxStringBytes + "/" + maxEntries);
        }
    }
}
