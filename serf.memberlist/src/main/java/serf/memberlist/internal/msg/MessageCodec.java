package serf.memberlist.internal.msg;

import java.util.Arrays;

import serf.memberlist.internal.msg.Message.Ack;
import serf.memberlist.internal.msg.Message.Alive;
import serf.memberlist.internal.msg.Message.Dead;
import serf.memberlist.internal.msg.Message.Err;
import serf.memberlist.internal.msg.Message.IndirectPing;
import serf.memberlist.internal.msg.Message.Nack;
import serf.memberlist.internal.msg.Message.Ping;
import serf.memberlist.internal.msg.Message.PushNodeState;
import serf.memberlist.internal.msg.Message.PushPull;
import serf.memberlist.internal.msg.Message.Suspect;
import serf.memberlist.internal.msg.Message.User;
import serf.wire.DecodeException;
import serf.wire.DecodeLimits;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * One memberlist message: type byte plus msgpack body (docs/protocol/memberlist-wire.md §1).
 *
 * <p>Encoding writes exactly what Go 0.2.2 writes: struct fields as a map in ascending key order,
 * the {@code Source*} fields of ping and indirect ping left out when empty or zero, raw strings,
 * smallest integers, nil for null byte arrays. It refuses (IllegalArgumentException) any value that
 * does not fit its Go type or that would crash a Go 0.2.2 peer (Trap 1): a {@code Vsn} that is not
 * exactly 6 bytes, a negative or oversized count, a push/pull node state outside 0..3.
 *
 * <p>Decoding accepts what Go accepts (§0.3): keys in any order, unknown keys skipped, missing keys
 * zero, str8 and bin for byte fields, {@code Vsn} as bytes or as an array, bool as 0/1, any integer
 * width whose value fits. A msgpack body ends where its value ends; trailing bytes are ignored, as
 * Go ignores them. <b>Vsn rule:</b> a {@code Vsn} of 1..5 bytes is refused here with a
 * DecodeException (it crashes Go; no sane peer sends it); a longer one is cut to its first 6 bytes
 * (all Go ever reads); an empty or nil one is kept as sent (null or empty), and means "all versions 0".
 * So every decoded {@code vsn} is null, empty, or exactly 6 bytes.
 */
public final class MessageCodec {

    /** Limits for message bodies: lengths are also bounded by the bytes present. */
    static final DecodeLimits LIMITS = new DecodeLimits(32, 32 * 1024 * 1024, 1 << 20);

    private static final byte[] NONE = new byte[0];

    // Go field declaration orders, for the (never sent, but accepted) positional array form.
    private static final String[] PING_FIELDS = {"SeqNo", "Node", "SourceAddr", "SourcePort", "SourceNode"};
    private static final String[] INDIRECT_FIELDS =
            {"SeqNo", "Target", "Port", "Node", "Nack", "SourceAddr", "SourcePort", "SourceNode"};
    private static final String[] ACK_FIELDS = {"SeqNo", "Payload"};
    private static final String[] NACK_FIELDS = {"SeqNo"};
    private static final String[] ERR_FIELDS = {"Error"};
    private static final String[] SUSPECT_FIELDS = {"Incarnation", "Node", "From"};
    private static final String[] ALIVE_FIELDS = {"Incarnation", "Node", "Addr", "Port", "Meta", "Vsn"};
    private static final String[] PUSH_PULL_HEADER_FIELDS = {"Nodes", "UserStateLen", "Join"};
    private static final String[] USER_HEADER_FIELDS = {"UserMsgLen"};
    private static final String[] NODE_STATE_FIELDS = {"Name", "Addr", "Port", "Meta", "Incarnation", "State", "Vsn"};
    private static final String[] COMPRESS_FIELDS = {"Algo", "Buf"};

    private MessageCodec() {
    }

    // =============================================================================================
    // Encoding
    // =============================================================================================

    /**
     * Type byte + body. {@code User} is the packet form ({@code 08} + payload; the stream form is
     * {@link StreamCodec#encodeUserStream}); {@code PushPull} is the whole stream message
     * ({@link StreamCodec#encodePushPull}).
     *
     * @throws IllegalArgumentException for values Go cannot represent or that would crash a Go peer
     */
    public static byte[] encode(Message m) {
        MsgpackWriter w = MsgpackWriter.gossip();
        w.writeByte(m.type().code());
        switch (m) {
            case Ping p -> writePing(w, p);
            case IndirectPing p -> writeIndirectPing(w, p);
            case Ack a -> {
                checkUint32("SeqNo", a.seqNo());
                w.writeMapHeader(2);
                w.writeKey("Payload").writeBytes(a.payload());
                w.writeKey("SeqNo").writeInt(a.seqNo());
            }
            case Nack n -> {
                checkUint32("SeqNo", n.seqNo());
                w.writeMapHeader(1);
                w.writeKey("SeqNo").writeInt(n.seqNo());
            }
            case Suspect s -> writeAccusation(w, s.from(), s.incarnation(), s.node());
            case Dead d -> writeAccusation(w, d.from(), d.incarnation(), d.node());
            case Alive a -> writeAlive(w, a);
            case PushPull p -> {
                return StreamCodec.encodePushPull(p);
            }
            case User u -> {
                if (u.payload() != null) {
                    w.writeRaw(u.payload());
                }
            }
            case Err e -> {
                w.writeMapHeader(1);
                w.writeKey("Error").writeString(e.error());
            }
        }
        return w.toByteArray();
    }

    private static void writePing(MsgpackWriter w, Ping p) {
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

    private static void writeIndirectPing(MsgpackWriter w, IndirectPing p) {
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

    private static void writeAccusation(MsgpackWriter w, String from, long incarnation, String node) {
        checkUint32("Incarnation", incarnation);
        w.writeMapHeader(3);
        w.writeKey("From").writeString(from);
        w.writeKey("Incarnation").writeInt(incarnation);
        w.writeKey("Node").writeString(node);
    }

    private static void writeAlive(MsgpackWriter w, Alive a) {
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

    /** The compress message (type 9) around already LZW-compressed bytes. */
    static byte[] encodeCompress(byte[] lzw) {
        MsgpackWriter w = new MsgpackWriter(serf.wire.StringEncoding.GOSSIP_RAW, lzw.length + 24, Integer.MAX_VALUE - 16);
        w.writeByte(MessageType.COMPRESS.code());
        w.writeMapHeader(2);
        w.writeKey("Algo").writeInt(0);
        w.writeKey("Buf").writeBytes(lzw);
        return w.toByteArray();
    }

    private static void checkUint32(String field, long v) {
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

    // =============================================================================================
    // Decoding
    // =============================================================================================

    /**
     * Decodes one message that starts with its type byte: ping, indirect ping, ack, nack, suspect,
     * alive, dead, user (packet form: the payload is everything after the type byte) or err.
     * Framing types (compound, compress, encrypt, CRC, label) and push/pull are refused: the packet
     * and stream codecs handle those. Offsets in exceptions count from {@code off}.
     */
    public static Message decode(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IllegalArgumentException("range " + off + "+" + len + " outside " + buf.length);
        }
        if (len == 0) {
            throw DecodeException.truncated("empty message, no type byte", 0);
        }
        int code = buf[off] & 0xff;
        MessageType type = MessageType.of(code);
        if (type == MessageType.USER) {
            return new User(Arrays.copyOfRange(buf, off + 1, off + len));
        }
        MsgpackReader r = new MsgpackReader(buf, off, len, LIMITS);
        r.readFixed(1);
        if (type == null) {
            throw new DecodeException("msg type (" + code + ") not supported", 0);
        }
        return switch (type) {
            case PING -> readPing(r);
            case INDIRECT_PING -> readIndirectPing(r);
            case ACK -> readAck(r);
            case NACK -> readNack(r);
            case SUSPECT -> readSuspect(r);
            case ALIVE -> readAlive(r);
            case DEAD -> readDead(r);
            case ERR -> readErr(r);
            case USER -> throw new AssertionError("handled above");
            case PUSH_PULL, COMPOUND, COMPRESS, ENCRYPT, HAS_CRC, HAS_LABEL ->
                    throw new DecodeException("msg type (" + code + ") not supported here: "
                            + type + " is not a single packet message", 0);
        };
    }

    /** Decodes a ping body (after the type byte). */
    static Ping readPing(MsgpackReader r) {
        var f = new Object() {
            long seqNo;
            String node = "";
            byte[] sourceAddr;
            int sourcePort;
            String sourceNode = "";
        };
        GoFields.readStruct(r, "ping", PING_FIELDS, (k, v) -> {
            switch (k) {
                case "SeqNo" -> f.seqNo = GoFields.uint32(v);
                case "Node" -> f.node = GoFields.string(v);
                case "SourceAddr" -> f.sourceAddr = GoFields.bytes(v);
                case "SourcePort" -> f.sourcePort = GoFields.uint16(v);
                case "SourceNode" -> f.sourceNode = GoFields.string(v);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Ping(f.seqNo, f.node, f.sourceAddr, f.sourcePort, f.sourceNode);
    }

    private static IndirectPing readIndirectPing(MsgpackReader r) {
        var f = new Object() {
            long seqNo;
            byte[] target;
            int port;
            String node = "";
            boolean nack;
            byte[] sourceAddr;
            int sourcePort;
            String sourceNode = "";
        };
        GoFields.readStruct(r, "indirectPing", INDIRECT_FIELDS, (k, v) -> {
            switch (k) {
                case "SeqNo" -> f.seqNo = GoFields.uint32(v);
                case "Target" -> f.target = GoFields.bytes(v);
                case "Port" -> f.port = GoFields.uint16(v);
                case "Node" -> f.node = GoFields.string(v);
                case "Nack" -> f.nack = GoFields.bool(v);
                case "SourceAddr" -> f.sourceAddr = GoFields.bytes(v);
                case "SourcePort" -> f.sourcePort = GoFields.uint16(v);
                case "SourceNode" -> f.sourceNode = GoFields.string(v);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new IndirectPing(f.seqNo, f.target, f.port, f.node, f.nack, f.sourceAddr, f.sourcePort, f.sourceNode);
    }

    /** Decodes an ack body (after the type byte). */
    static Ack readAck(MsgpackReader r) {
        var f = new Object() {
            long seqNo;
            byte[] payload;
        };
        GoFields.readStruct(r, "ackResp", ACK_FIELDS, (k, v) -> {
            switch (k) {
                case "SeqNo" -> f.seqNo = GoFields.uint32(v);
                case "Payload" -> f.payload = GoFields.bytes(v);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Ack(f.seqNo, f.payload);
    }

    private static Nack readNack(MsgpackReader r) {
        long[] seq = {0};
        GoFields.readStruct(r, "nackResp", NACK_FIELDS, (k, v) -> {
            if (k.equals("SeqNo")) {
                seq[0] = GoFields.uint32(v);
                return true;
            }
            return false;
        });
        return new Nack(seq[0]);
    }

    /** Decodes an err body (after the type byte). */
    static Err readErr(MsgpackReader r) {
        String[] error = {""};
        GoFields.readStruct(r, "errResp", ERR_FIELDS, (k, v) -> {
            if (k.equals("Error")) {
                error[0] = GoFields.string(v);
                return true;
            }
            return false;
        });
        return new Err(error[0]);
    }

    /** suspect and dead share their fields. */
    private record Accusation(long incarnation, String node, String from) {
    }

    private static Accusation readAccusation(MsgpackReader r, String what) {
        var f = new Object() {
            long incarnation;
            String node = "";
            String from = "";
        };
        GoFields.readStruct(r, what, SUSPECT_FIELDS, (k, v) -> {
            switch (k) {
                case "Incarnation" -> f.incarnation = GoFields.uint32(v);
                case "Node" -> f.node = GoFields.string(v);
                case "From" -> f.from = GoFields.string(v);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Accusation(f.incarnation, f.node, f.from);
    }

    private static Suspect readSuspect(MsgpackReader r) {
        Accusation a = readAccusation(r, "suspect");
        return new Suspect(a.incarnation(), a.node(), a.from());
    }

    private static Dead readDead(MsgpackReader r) {
        Accusation a = readAccusation(r, "dead");
        return new Dead(a.incarnation(), a.node(), a.from());
    }

    private static Alive readAlive(MsgpackReader r) {
        var f = new Object() {
            long incarnation;
            String node = "";
            byte[] addr;
            int port;
            byte[] meta;
            byte[] vsn;
        };
        GoFields.readStruct(r, "alive", ALIVE_FIELDS, (k, v) -> {
            switch (k) {
                case "Incarnation" -> f.incarnation = GoFields.uint32(v);
                case "Node" -> f.node = GoFields.string(v);
                case "Addr" -> f.addr = GoFields.bytes(v);
                case "Port" -> f.port = GoFields.uint16(v);
                case "Meta" -> f.meta = GoFields.bytes(v);
                case "Vsn" -> f.vsn = readVsn(v);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Alive(f.incarnation, f.node, f.addr, f.port, f.meta, f.vsn);
    }

    /** Vsn: nil/empty kept, 1..5 bytes refused (crashes Go), longer cut to the 6 bytes Go reads. */
    private static byte[] readVsn(MsgpackReader r) {
        int at = r.position();
        byte[] vsn = GoFields.bytes(r);
        if (vsn == null || vsn.length == 0 || vsn.length == 6) {
            return vsn;
        }
        if (vsn.length < 6) {
            throw new DecodeException("Vsn of " + vsn.length + " bytes (must be 6; this would crash a Go 0.2.2 node)", at);
        }
        return Arrays.copyOf(vsn, 6);
    }

    /** The push/pull header: {@code Nodes} and {@code UserStateLen} are Go ints, possibly negative. */
    record PushPullHeader(boolean join, long nodes, long userStateLen) {
    }

    static PushPullHeader readPushPullHeader(MsgpackReader r) {
        var f = new Object() {
            boolean join;
            long nodes;
            long userStateLen;
        };
        GoFields.readStruct(r, "pushPullHeader", PUSH_PULL_HEADER_FIELDS, (k, v) -> {
            switch (k) {
                case "Join" -> f.join = GoFields.bool(v);
                case "Nodes" -> f.nodes = GoFields.int64(v);
                case "UserStateLen" -> f.userStateLen = GoFields.int64(v);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new PushPullHeader(f.join, f.nodes, f.userStateLen);
    }

    /** One pushNodeState; {@code State} is a Go int, kept as sent when it fits an int. */
    static PushNodeState readPushNodeState(MsgpackReader r) {
        var f = new Object() {
            String name = "";
            byte[] addr;
            int port;
            byte[] meta;
            long incarnation;
            int state;
            byte[] vsn;
        };
        GoFields.readStruct(r, "pushNodeState", NODE_STATE_FIELDS, (k, v) -> {
            switch (k) {
                case "Name" -> f.name = GoFields.string(v);
                case "Addr" -> f.addr = GoFields.bytes(v);
                case "Port" -> f.port = GoFields.uint16(v);
                case "Meta" -> f.meta = GoFields.bytes(v);
                case "Incarnation" -> f.incarnation = GoFields.uint32(v);
                case "State" -> f.state = (int) v.readLong(Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "Vsn" -> f.vsn = readVsn(v);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new PushNodeState(f.name, f.addr, f.port, f.meta, f.incarnation, f.state, f.vsn);
    }

    /** The stream user message header: {@code UserMsgLen}, a Go int. */
    static long readUserMsgLen(MsgpackReader r) {
        long[] len = {0};
        GoFields.readStruct(r, "userMsgHeader", USER_HEADER_FIELDS, (k, v) -> {
            if (k.equals("UserMsgLen")) {
                len[0] = GoFields.int64(v);
                return true;
            }
            return false;
        });
        return len[0];
    }

    /** The compress message body: the algorithm and the compressed bytes. */
    record Compressed(int algo, byte[] buf) {
    }

    static Compressed readCompress(MsgpackReader r) {
        var f = new Object() {
            int algo;
            byte[] buf;
        };
        GoFields.readStruct(r, "compress", COMPRESS_FIELDS, (k, v) -> {
            switch (k) {
                case "Algo" -> f.algo = GoFields.uint8(v);
                case "Buf" -> f.buf = GoFields.bytes(v);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Compressed(f.algo, f.buf == null ? NONE : f.buf);
    }
}
