package serf.memberlist;

import java.net.InetAddress;

/**
 * memberlist's mutable record of one node (Go's nodeState). Guarded by the owning
 * {@link Memberlist}'s state lock; readers outside it get {@link #snapshot()}.
 */
final class NodeRecord {
    final String name;
    InetAddress addr;
    int port;
    byte[] meta = new byte[0];
    long incarnation;
    NodeState state;
    /** The node's {@link Clock} reading at the last state change. */
    long stateChangeNanos;
    int pMin;
    int pMax;
    int pCur;
    int dMin;
    int dMax;
    int dCur;

    NodeRecord(String name, InetAddress addr, int port, byte[] meta, NodeState state, long nowNanos) {
        this.name = name;
        this.addr = addr;
        this.port = port;
        this.meta = meta == null ? new byte[0] : meta;
        this.state = state;
        this.stateChangeNanos = nowNanos;
    }

    void setVersions(byte[] vsn) {
        pMin = vsn[0] & 0xff;
        pMax = vsn[1] & 0xff;
        pCur = vsn[2] & 0xff;
        dMin = vsn[3] & 0xff;
        dMax = vsn[4] & 0xff;
        dCur = vsn[5] & 0xff;
    }

    byte[] versions() {
        return new byte[] {(byte) pMin, (byte) pMax, (byte) pCur, (byte) dMin, (byte) dMax, (byte) dCur};
    }

    boolean deadOrLeft() {
        return state == NodeState.DEAD || state == NodeState.LEFT;
    }

    Node snapshot() {
        return new Node(name, addr, port, meta, state, pMin, pMax, pCur, dMin, dMax, dCur);
    }
}
