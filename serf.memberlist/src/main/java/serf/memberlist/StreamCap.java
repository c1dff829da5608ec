package serf.memberlist;

/**
 * How large an inbound stream may be, from what this node knows of the cluster: a push/pull carries
 * one state per node plus the application's state, so a stream larger than {@code base + nodes ×
 * perNode} is larger than the cluster's state could be, and is refused before its body is read
 * (with Go's text, "Remote node state is larger than limit (N)"). Never above Go's 20 MiB.
 *
 * <p>Defaults ({@link MemberlistConfig#streamCapBase}, {@link MemberlistConfig#streamCapPerNode}): 1 MiB for the
 * application's state (serf's event and query buffers), and 2 KiB per known node, several times
 * what a node takes (name, address, 512 bytes of meta, versions, plus serf's per-member status), so
 * a node still accepts the state of a cluster a thousand nodes larger than the one it knows.
 * Joining (this node asked for the remote state) allows Go's 20 MiB.
 */
final class StreamCap {
    /** Go's maxPushStateBytes. */
    static final long MAX = serf.memberlist.internal.msg.StreamCodec.MAX_ENCRYPTED_BYTES;
    static final long DEFAULT_BASE = 1024L * 1024;
    static final int DEFAULT_PER_NODE = 2 * 1024;

    private StreamCap() {
    }

    /** The cap for a cluster of {@code knownNodes}. */
    static long of(long base, int perNode, int knownNodes) {
        long n = Math.max(1, knownNodes);
        return Math.max(1, Math.min(MAX, base + n * perNode));
    }
}
