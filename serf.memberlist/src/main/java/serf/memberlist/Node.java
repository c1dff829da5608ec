package serf.memberlist;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * An immutable view of one member: what memberlist knows of it at the moment the view was taken.
 * {@code meta} is the delegate's node metadata (Serf: its tags), never null (empty when none).
 */
public record Node(String name, InetAddress addr, int port, byte[] meta, NodeState state,
                   int pMin, int pMax, int pCur, int dMin, int dMax, int dCur) {

    public Node {
        meta = meta == null ? new byte[0] : meta.clone();
    }

    @Override
    public byte[] meta() {
        return meta.clone();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(addr, port);
    }

    /** The six version bytes as memberlist sends them: PMin PMax PCur DMin DMax DCur. */
    public byte[] vsn() {
        return new byte[] {(byte) pMin, (byte) pMax, (byte) pCur, (byte) dMin, (byte) dMax, (byte) dCur};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && name.equals(n.name) && addr.equals(n.addr) && port == n.port
                && Arrays.equals(meta, n.meta) && state == n.state && pMin == n.pMin && pMax == n.pMax
                && pCur == n.pCur && dMin == n.dMin && dMax == n.dMax && dCur == n.dCur;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + port;
    }

    @Override
    public String toString() {
        return name + "(" + addr.getHostAddress() + ":" + port + " " + state + ")";
    }
}
