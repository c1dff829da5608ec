package serf.memberlist.internal.msg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import serf.crypto.DecryptionException;
import serf.crypto.Encryption;
import serf.memberlist.internal.msg.Message.PushNodeState;
import serf.memberlist.internal.msg.Message.PushPull;
import serf.wire.DecodeException;
import serf.wire.InputBudget;
import serf.wire.InputRefusedException;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * TCP stream framing (docs/protocol/memberlist-wire.md §3.5, §4): one message per direction, optionally
 * LZW-compressed (always, when compression is on) and encrypted as {@code 0a | u32 len | blob} with
 * the 5 header bytes (plus the label, memberlist ≥ 0.3) as additional data, optionally preceded by
 * a label header. No CRC on streams.
 *
 * <p>Reading is bounded: the encrypted length is capped at 20 MiB like Go and at the caller's
 * stream cap, as are the body of a plain stream and the output of LZW; user state and user messages
 * at the caller's user bound, node states at {@link #MAX_PUSH_NODES}. Memory is reserved from an
 * {@link InputBudget} before it is allocated (see {@link #read(InputStream, WireOptions, int, long,
 * InputBudget.Reservation)}). Plain streams are read value by value straight from the connection,
 * never past the message, one byte at a time for headers: hand in a buffered stream.
 */
public final class StreamCodec {
    /** Go's {@code maxPushStateBytes}: the largest encrypted stream accepted. */
    public static final int MAX_ENCRYPTED_BYTES = 20 * 1024 * 1024;
    /** Most node states accepted in one push/pull. */
    public static final int MAX_PUSH_NODES = 1 << 18;

    /** How Go's refusal of an oversized stream begins: "Remote node state is larger than limit (N)". */
    public static final String TOO_LARGE = "Remote node state is larger than limit";

    private static final int ENCRYPT_HEADER = 5;

    private StreamCodec() {
    }

    // =============================================================================================
    // Sending
    // =============================================================================================

    /**
     * Writes one message as Go's {@code rawSendMsgStream} does: label header if set, then the
     * message LZW-compressed whenever compression is on (even if longer), then encrypted with the
     * primary key if encryption is on and {@code gossipVerifyOutgoing}; one write, then flush.
     *
     * @param message a complete stream message (type byte + body), e.g. {@link #encodePushPull}
     * @return the bytes written (for the {@code memberlist.tcp.sent} metric)
     */
    public static int write(OutputStream out, byte[] message, WireOptions o) throws IOException {
        byte[] framed = frame(message, o, null);
        out.write(framed);
        out.flush();
        return framed.length;
    }

    /** The bytes {@link #write} sends; {@code nonce} fixed for tests, null = random. */
    static byte[] frame(byte[] message, WireOptions o, byte[] nonce) {
        if (message.length == 0) {
            throw new IllegalArgumentException("an empty stream message would crash a Go peer");
        }
        byte[] msg = message;
        if (o.compression()) {
            msg = MessageCodec.encodeCompress(Lzw.compress(msg));
        }
        byte[] label = LabelHeader.of(o);
        if (o.encryptionEnabled() && o.gossipVerifyOutgoing()) {
            byte[] key = o.keyring().primaryKey();
            if (key == null) {
                throw new IllegalStateException("keyring lost its keys");
            }
            int version = o.encryptionVersion();
            int encLen = Encryption.encryptedLength(version, msg.length);
            byte[] header = ByteBuffer.allocate(ENCRYPT_HEADER)
                    .put((byte) MessageType.ENCRYPT.code()).putInt(encLen).array();
            byte[] aad = concat(header, o.labelOrEmpty());
            byte[] blob = nonce == null
                    ? Encryption.encrypt(version, key, msg, aad)
                    : Encryption.encrypt(version, key, nonce, msg, aad);
            if (blob.length != encLen) {
                throw new IllegalStateException("encrypted " + blob.length + " bytes, announced " + encLen);
            }
            return concat(label, header, blob);
        }
        return concat(label, msg);
    }

    /**
     * {@code 06 | pushPullHeader | Nodes × pushNodeState | user state}; {@code UserStateLen} is 0 and
     * nothing follows the states when {@code userState} is null.
     *
     * @throws IllegalArgumentException for a node state Go cannot take (Vsn not 6 bytes, state not 0..3, …)
     */
    public static byte[] encodePushPull(PushPull p) {
        MsgpackWriter w = MsgpackWriter.gossip();
        w.writeByte(MessageType.PUSH_PULL.code());
        byte[] user = p.userState();
        MessageWriter.writePushPullHeader(w, p.join(), p.nodes().size(), user == null ? 0 : user.length);
        for (PushNodeState s : p.nodes()) {
            MessageWriter.writePushNodeState(w, s);
        }
        if (user != null) {
            w.writeRaw(user);
        }
        return w.toByteArray();
    }

    /** The stream form of a user message: {@code 08 | {UserMsgLen: n} | n bytes}. */
    public static byte[] encodeUserStream(byte[] payload) {
        MsgpackWriter w = MsgpackWriter.gossip();
        w.writeByte(MessageType.USER.code());
        MessageWriter.writeUserMsgHeader(w, payload.length);
        w.writeRaw(payload);
        return w.toByteArray();
    }

    // =============================================================================================
    // Receiving
    // =============================================================================================

    /**
     * Reads the one message a peer sends on a stream with a private, unlimited budget (tests and
     * tools; a node uses {@link #read(InputStream, WireOptions, int, long, InputBudget.Reservation)}).
     *
     * @param maxStreamBytes bound for user state / user message lengths; every layer of the stream is
     *                       capped at {@code 2 × maxStreamBytes + 1 MiB}, the encrypted one also at
     *                       {@link #MAX_ENCRYPTED_BYTES}
     */
    public static Message read(InputStream in, WireOptions o, int maxStreamBytes)
            throws IOException, StreamRejectedException {
        if (maxStreamBytes <= 0) {
            throw new IllegalArgumentException("maxStreamBytes must be positive: " + maxStreamBytes);
        }
        long cap = Math.min(Integer.MAX_VALUE - 64, 2L * maxStreamBytes + (1 << 20));
        try (InputBudget.Reservation r = UNLIMITED.reserve(0)) {
            return read(in, o, maxStreamBytes, cap, r);
        }
    }

    private static final InputBudget UNLIMITED = InputBudget.ofBytes(Long.MAX_VALUE / 2);

    /**
     * What a decoded node state is charged on top of its encoded size: Java objects (the record, a
     * String, arrays and their headers) for the fields of one {@code pushNodeState}.
     */
    public static final int NODE_STATE_OVERHEAD = 256;
    /** A decoded node state is charged this many times its encoded size, plus {@link #NODE_STATE_OVERHEAD}. */
    public static final int NODE_STATE_FACTOR = 2;

    /**
     * Reads the one message a peer sends on a stream, as Go's {@code readStream} and the readers
     * after it do: ping, ack, err, user (stream form) or push/pull. Memory is reserved from
     * {@code r} before it is allocated, layer by layer, and what was only transient is given back:
     * the encrypted blob (its declared length is reserved before it is read, and read as it
     * arrives), the plaintext, the LZW output (grown as it is produced), the plain body as it is
     * consumed, raw bytes before they are read, and each decoded node state at
     * {@link #NODE_STATE_FACTOR} × its size + {@link #NODE_STATE_OVERHEAD}. On return {@code r} holds
     * about what the message holds; the caller keeps it until the message has been handled, then
     * closes it. On failure the caller closes it too.
     *
     * @param maxUserBytes   bound for user state / user message lengths
     * @param maxStreamBytes bound for every layer: the encrypted length (also capped at
     *                       {@link #MAX_ENCRYPTED_BYTES}, refused with Go's text before the body is
     *                       read), the bytes of a plain body, the LZW output
     * @param r              the reservation the stream's memory is taken from
     * @return the message, or null when the peer closed the connection before sending a byte
     * @throws StreamRejectedException for refusals Go answers with an {@code err} reply (its text),
     *                                 and for label mismatches (no reply; see the exception)
     * @throws InputRefusedException   when the budget cannot cover the stream (drop it, no reply)
     * @throws DecodeException         for a malformed or truncated message (Go closes without reply)
     * @throws IOException             for I/O errors and timeouts
     */
    public static Message read(InputStream in, WireOptions o, int maxUserBytes, long maxStreamBytes,
            InputBudget.Reservation r) throws IOException, StreamRejectedException {
        if (maxUserBytes <= 0 || maxStreamBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxUserBytes + ", " + maxStreamBytes);
        }
        long cap = Math.min(maxStreamBytes, Integer.MAX_VALUE - 64);
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int offset = 1;

        byte[] label = null;
        if (first == LabelHeader.TYPE) {
            int size = in.read();
            if (size < 0) {
                throw DecodeException.truncated("cannot decode label; stream has been truncated", 1);
            }
            if (size == 0) {
                throw new DecodeException("label header cannot be empty when present", 1);
            }
            label = in.readNBytes(size); // at most 255 bytes
            if (label.length != size) {
                throw DecodeException.truncated("cannot decode label; stream has been truncated", 2 + label.length);
            }
            offset += 1 + size;
        }
        String[] problem = new String[1];
        byte[] labelAad = LabelHeader.accept(label, o, problem);
        if (labelAad == null) {
            throw new StreamRejectedException(problem[0], false);
        }
        if (label != null) {
            first = in.read();
            if (first < 0) {
                return null; // Go: EOF after the label, closed without reply
            }
            offset++;
        }

        int type = first;
        StreamBody body;
        long held = 0; // what the buffered body holds in r
        StreamBody.Wire wire = null;
        if (type == MessageType.ENCRYPT.code()) {
            if (!o.encryptionEnabled()) {
                throw new StreamRejectedException("Remote state is encrypted and encryption is not configured", true);
            }
            byte[] plain = decrypt(in, o, labelAad, offset, cap, r);
            held = plain.length;
            if (plain.length == 0) {
                // Go 0.2.2 indexes the first byte and panics (Trap 1).
                throw new DecodeException("encrypted stream has an empty plaintext", offset);
            }
            offset += 4; // the length; the blob's own offsets restart at the plaintext
            type = plain[0] & 0xff;
            body = new StreamBody.Buffered(plain, 1, plain.length - 1, r);
        } else if (o.encryptionEnabled() && o.gossipVerifyIncoming()) {
            throw new StreamRejectedException("Encryption is configured but remote state is not encrypted", true);
        } else {
            wire = new StreamBody.Wire(in, offset, cap, r);
            body = wire;
        }

        if (type == MessageType.COMPRESS.code()) {
            // Only one level is unwrapped, as Go does; a nested compress is an invalid type below.
            MessageReader.Compressed c = compressed(body, r);
            // The source of the compressed bytes is no longer needed: one copy is kept.
            if (wire != null) {
                wire.release();
            } else {
                r.shrink(held);
            }
            body = null;
            if (c.algo() != 0) {
                throw new StreamRejectedException("Cannot decompress unknown algorithm " + c.algo(), true);
            }
            byte[] inner;
            try {
                inner = Lzw.decompress(c.buf(), 0, c.buf().length, (int) cap, r);
            } catch (DecodeException e) {
                if (e.isTruncated()) {
                    // Go's error here is "unexpected EOF", which it reports to the peer.
                    throw new StreamRejectedException("unexpected EOF", true);
                }
                throw new StreamRejectedException(e.getMessage(), true);
            }
            r.shrink(c.buf().length);
            if (inner.length == 0) {
                // Go 0.2.2 panics on this (Trap 1); later versions report it.
                throw new StreamRejectedException("decompressed message is empty", true);
            }
            type = inner[0] & 0xff;
            body = new StreamBody.Buffered(inner, 1, inner.length - 1, r);
        }

        MessageType t = MessageType.of(type);
        if (t == null) {
            throw new DecodeException("Received invalid msgType (" + type + ")", 0);
        }
        return switch (t) {
            case PING -> value(body, "ping", MessageReader::readPing, r);
            case ACK -> value(body, "ackResp", MessageReader::readAck, r);
            case ERR -> value(body, "errResp", MessageReader::readErr, r);
            case USER -> readUser(body, maxUserBytes, r);
            case PUSH_PULL -> readPushPull(body, maxUserBytes, r);
            default -> throw new DecodeException("Received invalid msgType (" + type + ")", 0);
        };
    }

    /**
     * The compress message: its {@code Buf} is a copy, reserved (with the decoder's transient
     * copy) before it is decoded; on return {@code r} holds the buffer's length for it.
     */
    private static MessageReader.Compressed compressed(StreamBody body, InputBudget.Reservation r) throws IOException {
        int at = body.offset();
        long transientCopies = 0;
        try {
            MsgpackReader reader = body.nextValue();
            transientCopies = 2L * body.valueSize(); // the generic value tree, then the Buf copy
            r.grow(transientCopies);
            MessageReader.Compressed c = MessageReader.readCompress(reader);
            r.shrink(transientCopies - c.buf().length);
            return c;
        } catch (DecodeException e) {
            r.shrink(transientCopies);
            throw new DecodeException("compress: " + e.getMessage(), at, e);
        }
    }

    /**
     * {@code 0a} has been read: the length (reserved before the blob is read), the blob, and its
     * decryption with header (+ label) as AAD. On return {@code r} holds the plaintext's length for
     * it; the blob has been let go.
     */
    private static byte[] decrypt(InputStream in, WireOptions o, byte[] labelAad, int offset, long cap,
            InputBudget.Reservation r) throws IOException, StreamRejectedException {
        byte[] lenBytes = in.readNBytes(4);
        if (lenBytes.length != 4) {
            throw DecodeException.truncated("stream ended inside the encryption header", offset + lenBytes.length);
        }
        long encLen = ByteBuffer.wrap(lenBytes).getInt() & 0xffffffffL;
        if (encLen > MAX_ENCRYPTED_BYTES || encLen > cap) {
            throw new StreamRejectedException(TOO_LARGE + " (" + encLen + ")", true);
        }
        int n = (int) encLen;
        r.grow(n);
        byte[] blob = ReservedBytes.read(in, n, r, offset + 4, "encrypted bytes");
        byte[] aad = concat(new byte[] {(byte) MessageType.ENCRYPT.code()}, lenBytes, labelAad);
        // The plaintext (at most the blob's size), and once more for the cipher's or the padding's copy.
        r.grow(2L * n);
        byte[] plain;
        try {
            plain = Encryption.decrypt(o.keyring().keys(), blob, aad);
        } catch (DecryptionException e) {
            r.shrink(3L * n);
            throw new StreamRejectedException(e.getMessage(), true);
        }
        r.shrink(3L * n - plain.length); // the blob and the transient copy are let go
        return plain;
    }

    /**
     * Decodes the next msgpack value of the body, charging {@code extra(size)} to {@code r} before
     * decoding; failures are reported at its place in the stream.
     */
    private static <T> T value(StreamBody body, String what, Function<MsgpackReader, T> decoder,
            InputBudget.Reservation r, long factor, long overhead) throws IOException {
        int at = body.offset();
        try {
            MsgpackReader reader = body.nextValue();
            r.grow(factor * body.valueSize() + overhead);
            return decoder.apply(reader);
        } catch (DecodeException e) {
            throw new DecodeException(what + ": " + e.getMessage(), at, e);
        }
    }

    /** A small value (header, ping, ack, err): charged once its size, with the same overhead as a node state. */
    private static <T> T value(StreamBody body, String what, Function<MsgpackReader, T> decoder,
            InputBudget.Reservation r) throws IOException {
        return value(body, what, decoder, r, 1, NODE_STATE_OVERHEAD);
    }

    private static Message readUser(StreamBody body, int maxUserBytes, InputBudget.Reservation r) throws IOException {
        int at = body.offset();
        long n = value(body, "userMsgHeader", MessageReader::readUserMsgLen, r);
        if (n > maxUserBytes) {
            throw new DecodeException("user message length (" + n + ") exceeds limit", at);
        }
        // Go 0.2.2 treats a length <= 0 as "nothing follows".
        return new Message.User(n <= 0 ? new byte[0] : body.raw((int) n));
    }

    private static Message readPushPull(StreamBody body, int maxUserBytes, InputBudget.Reservation r) throws IOException {
        int at = body.offset();
        MessageReader.PushPullHeader h = value(body, "pushPullHeader", MessageReader::readPushPullHeader, r);
        if (h.nodes() < 0 || h.nodes() > MAX_PUSH_NODES) {
            // A negative count crashes Go 0.2.2 (Trap 1); we refuse it.
            throw new DecodeException("number of nodes in header (" + h.nodes() + ") is outside 0.." + MAX_PUSH_NODES, at);
        }
        if (h.userStateLen() > maxUserBytes) {
            throw new DecodeException("user state length (" + h.userStateLen() + ") exceeds limit", at);
        }
        int n = (int) h.nodes();
        List<PushNodeState> nodes = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            nodes.add(value(body, "pushNodeState " + (i + 1) + " of " + n, MessageReader::readPushNodeState,
                    r, NODE_STATE_FACTOR, NODE_STATE_OVERHEAD));
        }
        if (body instanceof StreamBody.Wire w) {
            w.release(); // only raw bytes follow
        }
        byte[] user = h.userStateLen() > 0 ? body.raw((int) h.userStateLen()) : null;
        return new PushPull(h.join(), nodes, user);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
