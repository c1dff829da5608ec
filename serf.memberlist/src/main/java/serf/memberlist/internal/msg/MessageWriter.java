package serf.memberlist.internal.msg;

import serf.memberlist.internal.msg.Message.Alive;
import serf.memberlist.internal.msg.Message.IndirectPing;
import serf.memberlist.internal.msg.Message.Nack;
import serf.memberlist.internal.msg.Message.Ping;
import serf.memberlist.internal.msg.Message.PushNodeState;
import serf.wire.MsgpackWriter;

/**
 * The encoding half of {@link MessageCodec}: each body as Go 0.2.2 writes it (fields in ascending
 * key order, empty {@code Source*} fields left out), refusing values Go cannot represent or that
 * would crash a Go peer.
 */
final class MessageWriter {
    private MessageWriter() {
    }

    static void writePing(MsgpackWriter w, Ping p) {
        checkUint32("SeqNo", p.seqNo());
        checkPort("SourcePort", p.sourcePort());
        boolean addr = notEmpty(p.sourceAddr());
        boolean node = notEmpty(p.sourceNode());
        boolean port = p.sourcePort() != 0;
        w.writeMapHeader(2 + count(addr, node, port));
        w.writeKey("Node").writeString(p.node());
        w.writeKey("SeqNo").writeInt(p.seqNo());
        writeSource(w, p.sourceAddr(), p.sourceNode(), p.sourcePort());
    }

    static void writeIndirectPing(MsgpackWriter w, IndirectPing p) {
        checkUint32("SeqNo", p.seqNo());
        checkPort("Port", p.port());
        checkPort("SourcePort", p.sourcePort());
        boolean addr = notEmpty(p.sourceAddr());
        boolean node = notEmpty(p.sourceNode());
        boolean port = p.sourcePort() != 0;
        w.writeMapHeader(5 + count(addr, node, port));
        w.writeKey("Nack").writeBool(p.nack());
        w.writeKey("Node").writeString(p.node());
        w.writeKey("Port").writeInt(p.port());
        w.writeKey("SeqNo").writeInt(p.seqNo());
        writeSource(w, p.sourceAddr(), p.sourceNode(), p.sourcePort());
        w.writeKey("Target").writeBytes(p.target());
    }

    /** The omitempty Source* fields, in key order, each only when set. */
    private static void writeSource(MsgpackWriter w, byte[] addr, String node, int port) {
        if (notEmpty(addr)) {
            w.writeKey("SourceAddr").writeBytes(addr);
        }
        if (notEmpty(node)) {
            w.writeKey("SourceNode").writeString(node);
        }
        if (port != 0) {
            w.writeKey("SourcePort").writeInt(port);
        }
    }

    static void writeAccusation(MsgpackWriter w, String from, long incarnation, String node) {
        checkUint32("Incarnation", incarnation);
        w.writeMapHeader(3);
        w.writeKey("From").writeString(from);
        w.writeKey("Incarnation").writeInt(incarnation);
        w.writeKey("Node").writeString(node);
    }

    static void writeAlive(MsgpackWriter w, Alive a) {
        checkUint32("Incarnation", a.incarnation());
        checkPort("Port", a.port());
        checkVsn(a.vsn());
        w.writeMapHeader(6);
        w.writeKey("Addr").writeBytes(a.addr());
        w.writeKey("Incarnation").writeInt(a.incarnation());
        w.writeKey("Meta").writeBytes(a.meta());
        w.writeKey("Node").writeString(a.node());
        w.writeKey("Port").writeInt(a.port());
        w.writeKey("Vsn").writeBytes(a.vsn());
    }

    /** pushPullHeader: {Join, Nodes, UserStateLen}. */
    static void writePushPullHeader(MsgpackWriter w, boolean join, int nodes, int userStateLen) {
        if (nodes < 0 || userStateLen < 0) {
            throw new IllegalArgumentException("negative push/pull count: Nodes " + nodes + ", UserStateLen " + userStateLen);
        }
        w.writeMapHeader(3);
        w.writeKey("Join").writeBool(join);
        w.writeKey("Nodes").writeInt(nodes);
        w.writeKey("UserStateLen").writeInt(userStateLen);
    }

    /** pushNodeState: {Addr, Incarnation, Meta, Name, Port, State, Vsn}. */
    static void writePushNodeState(MsgpackWriter w, PushNodeState s) {
        checkUint32("Incarnation", s.incarnation());
        checkPort("Port", s.port());
        checkVsn(s.vsn());
        if (s.state() < 0 || s.state() > 3) {
            throw new IllegalArgumentException("node state " + s.state() + " is not 0..3");
        }
        w.writeMapHeader(7);
        w.writeKey("Addr").writeBytes(s.addr());
        w.writeKey("Incarnation").writeInt(s.incarnation());
        w.writeKey("Meta").writeBytes(s.meta());
        w.writeKey("Name").writeString(s.name());
        w.writeKey("Port").writeInt(s.port());
        w.writeKey("State").writeInt(s.state());
        w.writeKey("Vsn").writeBytes(s.vsn());
    }

    /** userMsgHeader: {UserMsgLen}. */
    static void writeUserMsgHeader(MsgpackWriter w, int len) {
        w.writeMapHeader(1);
        w.writeKey("UserMsgLen").writeInt(len);
    }

    static void checkUint32(String field, long v) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException(field + " " + v + " does not fit a Go uint32");
        }
    }

    private static void checkPort(String field, int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(field + " " + v + " does not fit a Go uint16");
        }
    }

    private static void checkVsn(byte[] vsn) {
        if (vsn == null || vsn.length != 6) {
            throw new IllegalArgumentException("Vsn must be exactly 6 bytes (a shorter one crashes Go 0.2.2), got "
                    + (vsn == null ? "null" : vsn.length + " bytes"));
        }
    }

    private static boolean notEmpty(byte[] b) {
        return b != null && b.length > 0;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static int count(boolean... present) {
        int n = 0;
        for (boolean p : present) {
            if (p) {
                n++;
            }
        }
        return n;
    }
}
