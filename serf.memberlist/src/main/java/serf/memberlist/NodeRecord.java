package serf.memberlist;

import java.net.InetAddress;

/**
 * memberlist's mutable record of one node (Go's nodeState). Guarded by the owning
 * {@link Memberlist}'s state lock; readers outside it get {@link #snapshot()}.
 *
 * <p>Every node holds one per member, so a process running many nodes holds N² of them: the name,
 * address and metadata are the instances shared through {@link SharedNodeValues} (set them through
 * the constructor or {@link #update}), and the six protocol version numbers are bytes.
 */
final class NodeRecord {
    final String name;
    InetAddress addr;
    int port;
    /** Never written in place (it may be shared with other records). */
    byte[] meta;
    long incarnation;
    NodeState state;
    /** The node's {@link Clock} reading at the last state change. */
    long stateChangeNanos;
    private byte pMin;
    private byte pMax;
    private byte pCur;
    private byte dMin;
    private byte dMax;
    private byte dCur;

    NodeRecord(String name, InetAddress addr, int port, byte[] meta, NodeState state, long nowNanos) {
        this.name = SharedNodeValues.name(name);
        this.addr = SharedNodeValues.address(addr);
        this.port = port;
        this.meta = SharedNodeValues.meta(meta);
        this.state = state;
        this.stateChangeNanos = nowNanos;
    }

    /** Sets where the node is and its metadata ({@code meta} is not written afterwards by the caller). */
    void update(InetAddress addr, int port, byte[] meta) {
        if (!addr.equals(this.addr)) {
            this.addr = SharedNodeValues.address(addr);
        }
        this.port = port;
        if (!java.util.Arrays.equals(meta == null ? SharedNodeValues.EMPTY : meta, this.meta)) {
            this.meta = SharedNodeValues.meta(meta);
        }
    }

    void setVersions(byte[] vsn) {
        pMin = vsn[0];
        pMax = vsn[1];
        pCur = vsn[2];
        dMin = vsn[3];
        dMax = vsn[4];
        dCur = vsn[5];
    }

    byte[] versions() {
        return new byte[] {pMin, pMax, pCur, dMin, dMax, dCur};
    }

    /** The highest protocol version the node speaks. */
    int pMax() {
        return pMax & 0xff;
    }

    boolean deadOrLeft() {
        return state == NodeState.DEAD || state == NodeState.LEFT;
    }

    Node snapshot() {
        return new Node(name, addr, port, meta, state, pMin & 0xff, pMax & 0xff, pCur & 0xff,
                dMin & 0xff, dMax & 0xff, dCur & 0xff);
    }
}
