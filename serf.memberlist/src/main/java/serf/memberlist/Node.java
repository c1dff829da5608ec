package serf.memberlist;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * An immutable view of one member: what memberlist knows of it at the moment the view was taken.
 * {@code meta} is the delegate's node metadata (Serf: its tags), never null (empty when none).
 *
 * @param name the node's name, unique in the cluster
 * @param addr its IP address
 * @param port its memberlist port
 * @param meta its metadata (for Serf: the encoded tags); the record keeps a copy
 * @param state its state as this node sees it
 * @param pMin the oldest memberlist protocol version it speaks
 * @param pMax the newest memberlist protocol version it speaks
 * @param pCur the memberlist protocol version it speaks now
 * @param dMin the oldest delegate protocol version it speaks
 * @param dMax the newest delegate protocol version it speaks
 * @param dCur the delegate protocol version it speaks now
 */
public record Node(String name, InetAddress addr, int port, byte[] meta, NodeState state,
                   int pMin, int pMax, int pCur, int dMin, int dMax, int dCur) {

    /** Copies the metadata (null becomes empty). */
    public Node {
        meta = meta == null ? new byte[0] : meta.clone();
    }

    /** {@return a copy of the metadata} */
    @Override
    public byte[] meta() {
        return meta.clone();
    }

    /** {@return the node's address and port} */
    public InetSocketAddress address() {
        return new InetSocketAddress(addr, port);
    }

    /** {@return the six version bytes as memberlist sends them: PMin PMax PCur DMin DMax DCur} */
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
