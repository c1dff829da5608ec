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
import serf.memberlist.internal.msg.Message.Suspect;
import serf.wire.DecodeException;
import serf.wire.MsgpackReader;

/**
 * The decoding half of {@link MessageCodec}: each body read as Go reads it (keys in any order,
 * unknown keys skipped, missing keys zero, the positional array form in Go's declaration order),
 * with the {@code Vsn} rule the codec describes; also the stream headers and the compress body.
 */
final class MessageReader {
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

    private MessageReader() {
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

    static IndirectPing readIndirectPing(MsgpackReader r) {
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

    static Nack readNack(MsgpackReader r) {
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

    static Suspect readSuspect(MsgpackReader r) {
        Accusation a = readAccusation(r, "suspect");
        return new Suspect(a.incarnation(), a.node(), a.from());
    }

    static Dead readDead(MsgpackReader r) {
        Accusation a = readAccusation(r, "dead");
        return new Dead(a.incarnation(), a.node(), a.from());
    }

    static Alive readAlive(MsgpackReader r) {
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
