package serf.api.internal.msg;

import serf.api.internal.msg.SerfMessage.KeyRequest;
import serf.wire.DecodeException;
import serf.wire.DecodeLimits;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * Serf messages on the wire (docs/protocol/serf-messages.md §3): one type byte, then the msgpack of the Go struct.
 *
 * <p>Encoding reproduces Go's bytes exactly: fields in ascending name order, strings and byte
 * slices as raw, integers in their smallest unsigned form, null byte arrays/filters/keys/slots as nil.
 * Go maps (StatusLTimes, member tags) are written in sorted key order, so equal messages give equal
 * bytes; Go itself writes them in random order. A relay is {@code 09}, the header, and the inner
 * message bytes verbatim.
 *
 * <p>Decoding accepts what Go accepts: keys in any order, unknown keys skipped, missing keys zero,
 * structs sent as arrays, nil for any string/bytes/collection, any integer width, and bytes after the
 * value (Go's decoder stops after one value). Collections Go never sends as nil (StatusLTimes,
 * LeftMembers, Events, a slot's events, member tags) decode from nil as empty; those where nil is
 * meaningful (payloads, addresses, Filters, Keys, ring slots) decode as null. Every failure is a
 * {@link DecodeException} whose offset counts from the type byte. All methods are stateless and
 * thread-safe.
 */
public final class SerfCodec {

    private static final DecodeLimits LIMITS = DecodeLimits.DEFAULT;

    private SerfCodec() {
    }

    /**
     * Type byte + msgpack, byte for byte as Go's {@code encodeMessage} writes it.
     *
     * @throws IllegalArgumentException if a field is outside its Go type's range (e.g. a port above 65535)
     */
    public static byte[] encode(SerfMessage m) {
        MsgpackWriter w = MsgpackWriter.gossip();
        w.writeByte(m.type().code());
        SerfWriter.write(w, m);
        return w.toByteArray();
    }

    /**
     * Decodes one message: {@code buf[off]} is the type byte. Bytes after the msgpack value are
     * ignored, except for a relay, where they are the inner message.
     *
     * @throws DecodeException for an empty buffer, an unknown type, or a malformed body
     */
    public static SerfMessage decode(byte[] buf, int off, int len) {
        MsgpackReader r = new MsgpackReader(buf, off, len, LIMITS);
        if (!r.hasRemaining()) {
            throw DecodeException.truncated("empty serf message", 0);
        }
        int code = r.readFixed(1)[0] & 0xff;
        SerfMessageType type = SerfMessageType.of(code);
        if (type == null) {
            throw new DecodeException("unknown serf message type " + code, 0);
        }
        return SerfReader.read(r, type);
    }

    /**
     * Decodes a key query payload as Go's key handlers do: {@code payload[1:]} as a keyRequest,
     * whatever byte 0 holds.
     *
     * @throws DecodeException if the payload is empty or its body malformed
     */
    public static KeyRequest decodeKeyRequestPayload(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw DecodeException.truncated("empty key request payload", 0);
        }
        MsgpackReader r = new MsgpackReader(payload, 0, payload.length, LIMITS);
        r.readFixed(1); // not checked, as in Go
        return SerfReader.readKeyRequest(r);
    }
}
