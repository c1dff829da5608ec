package serf.memberlist.internal.msg;

import java.util.Arrays;

import serf.memberlist.internal.msg.Message.Ack;
import serf.memberlist.internal.msg.Message.Alive;
import serf.memberlist.internal.msg.Message.Dead;
import serf.memberlist.internal.msg.Message.Err;
import serf.memberlist.internal.msg.Message.IndirectPing;
import serf.memberlist.internal.msg.Message.Nack;
import serf.memberlist.internal.msg.Message.Ping;
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

    private MessageCodec() {
    }

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
            case Ping p -> MessageWriter.writePing(w, p);
            case IndirectPing p -> MessageWriter.writeIndirectPing(w, p);
            case Ack a -> {
                MessageWriter.checkUint32("SeqNo", a.seqNo());
                w.writeMapHeader(2);
                w.writeKey("Payload").writeBytes(a.payload());
                w.writeKey("SeqNo").writeInt(a.seqNo());
            }
            case Nack n -> {
                MessageWriter.checkUint32("SeqNo", n.seqNo());
                w.writeMapHeader(1);
                w.writeKey("SeqNo").writeInt(n.seqNo());
            }
            case Suspect s -> MessageWriter.writeAccusation(w, s.from(), s.incarnation(), s.node());
            case Dead d -> MessageWriter.writeAccusation(w, d.from(), d.incarnation(), d.node());
            case Alive a -> MessageWriter.writeAlive(w, a);
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

    /** The compress message (type 9) around already LZW-compressed bytes. */
    static byte[] encodeCompress(byte[] lzw) {
        MsgpackWriter w = new MsgpackWriter(serf.wire.StringEncoding.GOSSIP_RAW, lzw.length + 24, Integer.MAX_VALUE - 16);
        w.writeByte(MessageType.COMPRESS.code());
        w.writeMapHeader(2);
        w.writeKey("Algo").writeInt(0);
        w.writeKey("Buf").writeBytes(lzw);
        return w.toByteArray();
    }


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
            case PING -> MessageReader.readPing(r);
            case INDIRECT_PING -> MessageReader.readIndirectPing(r);
            case ACK -> MessageReader.readAck(r);
            case NACK -> MessageReader.readNack(r);
            case SUSPECT -> MessageReader.readSuspect(r);
            case ALIVE -> MessageReader.readAlive(r);
            case DEAD -> MessageReader.readDead(r);
            case ERR -> MessageReader.readErr(r);
            case USER -> throw new AssertionError("handled above");
            case PUSH_PULL, COMPOUND, COMPRESS, ENCRYPT, HAS_CRC, HAS_LABEL ->
                    throw new DecodeException("msg type (" + code + ") not supported here: "
                            + type + " is not a single packet message", 0);
        };
    }
}
