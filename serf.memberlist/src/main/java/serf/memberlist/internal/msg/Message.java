package serf.memberlist.internal.msg;

import java.util.List;

/**
 * A decoded memberlist message. The framing wrappers (compound, compress, CRC, encrypt, label) are
 * not messages: the packet and stream codecs strip them and yield these. Byte-array components
 * are never mutated after construction; {@code null} stands for Go's nil.
 *
 * <p>Integers: Go uint32 fields ({@code SeqNo}, {@code Incarnation}) are {@code long} in [0, 2^32);
 * uint16 ports are {@code int} in [0, 65535].
 */
public sealed interface Message {

    MessageType type();

    /** ping (0). {@code node} empty means "whoever you are"; the Source* fields are omitted on the wire when empty/zero. */
    record Ping(long seqNo, String node, byte[] sourceAddr, int sourcePort, String sourceNode) implements Message {
        public MessageType type() {
            return MessageType.PING;
        }
    }

    /** indirectPing (1): "please ping {@code node} at {@code target}:{@code port} for me". */
    record IndirectPing(long seqNo, byte[] target, int port, String node, boolean nack,
                        byte[] sourceAddr, int sourcePort, String sourceNode) implements Message {
        public MessageType type() {
            return MessageType.INDIRECT_PING;
        }
    }

    /** ackResp (2). {@code payload} is the ping delegate's ack payload, or null. */
    record Ack(long seqNo, byte[] payload) implements Message {
        public MessageType type() {
            return MessageType.ACK;
        }
    }

    /** nackResp (11). */
    record Nack(long seqNo) implements Message {
        public MessageType type() {
            return MessageType.NACK;
        }
    }

    /** suspect (3). */
    record Suspect(long incarnation, String node, String from) implements Message {
        public MessageType type() {
            return MessageType.SUSPECT;
        }
    }

    /** alive (4). {@code vsn} is always 6 bytes when we send it: PMin PMax PCur DMin DMax DCur. */
    record Alive(long incarnation, String node, byte[] addr, int port, byte[] meta, byte[] vsn) implements Message {
        public MessageType type() {
            return MessageType.ALIVE;
        }
    }

    /** dead (5). {@code from.equals(node)} means the node left. */
    record Dead(long incarnation, String node, String from) implements Message {
        public MessageType type() {
            return MessageType.DEAD;
        }
    }

    /** pushPull (6), streams only. {@code userState} null when none was sent. */
    record PushPull(boolean join, List<PushNodeState> nodes, byte[] userState) implements Message {
        public PushPull {
            nodes = List.copyOf(nodes);
        }

        public MessageType type() {
            return MessageType.PUSH_PULL;
        }
    }

    /** One node in a push/pull; {@code state} 0 alive, 1 suspect, 2 dead, 3 left (other values are kept as sent). */
    record PushNodeState(String name, byte[] addr, int port, byte[] meta, long incarnation, int state, byte[] vsn) {
    }

    /** user (8): opaque delegate bytes (a Serf message), packet or stream. */
    record User(byte[] payload) implements Message {
        public MessageType type() {
            return MessageType.USER;
        }
    }

    /** err (13), a stream reply. */
    record Err(String error) implements Message {
        public MessageType type() {
            return MessageType.ERR;
        }
    }
}
