package serf.hostile;

import java.nio.ByteBuffer;
import java.util.List;
import serf.wire.MsgpackWriter;

/**
 * memberlist messages as a Go 0.2.2 peer sends them (docs/protocol/memberlist-wire.md §1, §2): a type
 * byte, then a msgpack map whose keys are the Go field names in ascending order, strings and bytes
 * as old-spec raw. Only what the attacks send; every message keeps to the traps of that note's §6 (6-byte Vsn,
 * 1..127 compound parts, no empty part), so what reaches the agent is well-formed, just hostile.
 */
final class GossipMessages {
    static final int INDIRECT_PING = 1;
    static final int ALIVE = 4;
    static final int PUSH_PULL = 6;
    static final int COMPOUND = 7;
    static final int COMPRESS = 9;
    static final int ENCRYPT = 10;

    /** Node states in a push/pull. */
    static final int STATE_ALIVE = 0;
    static final int STATE_LEFT = 3;

    /** PMin 1, PMax 5, PCur 2; Serf DMin 2, DMax 5, DCur 4: what the Go 0.9.4 agent advertises. */
    static final byte[] VSN = {1, 5, 2, 2, 5, 4};
    static final byte[] LOOPBACK = {127, 0, 0, 1};

    private GossipMessages() {
    }

    /** alive (4): {@code node} claims to be at {@code addr:port}. */
    static byte[] alive(String node, byte[] addr, int port, long incarnation) {
        MsgpackWriter w = typed(ALIVE).writeMapHeader(6);
        w.writeKey("Addr").writeBytes(addr);
        w.writeKey("Incarnation").writeInt(incarnation);
        w.writeKey("Meta").writeNil();
        w.writeKey("Node").writeString(node);
        w.writeKey("Port").writeInt(port);
        w.writeKey("Vsn").writeBytes(VSN);
        return w.toByteArray();
    }

    /** indirectPing (1): "ping {@code node} at {@code target:port} for me, nack if it does not answer". */
    static byte[] indirectPing(long seqNo, String node, byte[] target, int port, String sourceNode, int sourcePort) {
        MsgpackWriter w = typed(INDIRECT_PING).writeMapHeader(8);
        w.writeKey("Nack").writeBool(true);
        w.writeKey("Node").writeString(node);
        w.writeKey("Port").writeInt(port);
        w.writeKey("SeqNo").writeInt(seqNo);
        w.writeKey("SourceAddr").writeBytes(LOOPBACK);
        w.writeKey("SourceNode").writeString(sourceNode);
        w.writeKey("SourcePort").writeInt(sourcePort);
        w.writeKey("Target").writeBytes(target);
        return w.toByteArray();
    }

    /** The start of a push/pull stream: type byte and header; the node states and user state follow. */
    static byte[] pushPullHeader(boolean join, int nodes, int userStateLen) {
        MsgpackWriter w = typed(PUSH_PULL).writeMapHeader(3);
        w.writeKey("Join").writeBool(join);
        w.writeKey("Nodes").writeInt(nodes);
        w.writeKey("UserStateLen").writeInt(userStateLen);
        return w.toByteArray();
    }

    /** One pushNodeState (no type byte: it follows the header). */
    static byte[] nodeState(String name, byte[] addr, int port, long incarnation, int state) {
        MsgpackWriter w = MsgpackWriter.gossip().writeMapHeader(7);
        w.writeKey("Addr").writeBytes(addr);
        w.writeKey("Incarnation").writeInt(incarnation);
        w.writeKey("Meta").writeNil();
        w.writeKey("Name").writeString(name);
        w.writeKey("Port").writeInt(port);
        w.writeKey("State").writeInt(state);
        w.writeKey("Vsn").writeBytes(VSN);
        return w.toByteArray();
    }

    /** compound (7): 1..127 non-empty parts, lengths as u16 BE. */
    static byte[] compound(List<byte[]> parts) {
        if (parts.isEmpty() || parts.size() > 127) {
            throw new IllegalArgumentException("a compound holds 1..127 parts, not " + parts.size());
        }
        int size = 2 + 2 * parts.size() + parts.stream().mapToInt(p -> p.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).put((byte) COMPOUND).put((byte) parts.size());
        for (byte[] part : parts) {
            if (part.length == 0 || part.length > 0xffff) {
                throw new IllegalArgumentException("compound part of " + part.length + " bytes");
            }
            out.putShort((short) part.length);
        }
        parts.forEach(out::put);
        return out.array();
    }

    /** compress (9) around an LZW stream (whose first decoded byte is the inner message's type). */
    static byte[] compress(byte[] lzw) {
        MsgpackWriter w = typed(COMPRESS).writeMapHeader(2);
        w.writeKey("Algo").writeInt(0);
        w.writeKey("Buf").writeBytes(lzw);
        return w.toByteArray();
    }

    /** The 5-byte header of an encrypted stream (10): type and the blob length it declares. */
    static byte[] encryptedStreamHeader(int declaredLength) {
        return ByteBuffer.allocate(5).put((byte) ENCRYPT).putInt(declaredLength).array();
    }

    private static MsgpackWriter typed(int type) {
        return MsgpackWriter.gossip().writeByte(type);
    }
}
