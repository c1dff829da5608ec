package serf.memberlist.internal.msg;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import serf.crypto.DecryptionException;
import serf.crypto.Encryption;
import serf.wire.DecodeException;
import serf.wire.InputBudget;
import serf.wire.InputRefusedException;
import serf.wire.MsgpackReader;

/**
 * UDP packet framing (docs/protocol/memberlist-wire.md §2, §3.3): compound (7), compress (9), CRC (12),
 * encryption without a type byte, and the memberlist ≥ 0.3 label header.
 *
 * <p>Send: {@link #compound} if several messages, then {@link #seal}. Receive: {@link #open}
 * (label, decryption) then {@link #decode} (CRC, then the wrappers, recursively).
 */
public final class PacketCodec {
    /** Go writes the part count in one byte and misparses 128 or more parts (Trap 1). */
    public static final int MAX_COMPOUND_PARTS = 127;
    /**
     * Total bytes LZW may produce while decoding one packet, over all its compress layers: 1 MiB. A
     * datagram carries at most 64 KiB and Go senders compress messages of about a UDP buffer (1400
     * bytes by default), so honest output is far below this; it bounds what a small bomb can make.
     * With a budget, the output is also reserved before it is produced.
     */
    public static final int MAX_DECOMPRESSED_BYTES = 1024 * 1024;
    /** Deepest nesting of compound/compress wrappers accepted in one packet. */
    public static final int MAX_NESTING = 8;
    /** Most messages taken from one packet (a 10 MiB decompressed compound could hold millions). */
    public static final int MAX_MESSAGES = 65536;
    /** Most problems listed for one packet; later ones are counted in a final entry. */
    public static final int MAX_PROBLEMS = 32;

    private static final int CRC_HEADER = 5;

    private PacketCodec() {
    }

    // =============================================================================================
    // Sending
    // =============================================================================================

    /**
     * {@code 07 | N | N × u16 BE length | parts}.
     *
     * @throws IllegalArgumentException unless 2..127 parts, each 1..65535 bytes
     */
    public static byte[] compound(List<byte[]> messages) {
        int n = messages.size();
        if (n < 2 || n > MAX_COMPOUND_PARTS) {
            throw new IllegalArgumentException("a compound needs 2.." + MAX_COMPOUND_PARTS + " parts, not " + n);
        }
        int total = 2 + 2 * n;
        for (byte[] m : messages) {
            if (m.length < 1 || m.length > 0xffff) {
                throw new IllegalArgumentException("compound part of " + m.length + " bytes (must be 1..65535)");
            }
            total += m.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) MessageType.COMPOUND.code()).put((byte) n);
        for (byte[] m : messages) {
            b.putShort((short) m.length);
        }
        for (byte[] m : messages) {
            b.put(m);
        }
        return b.array();
    }

    /**
     * The datagram for one message (single or compound), following Go's send pipeline: LZW if
     * enabled and strictly shorter, then the CRC wrapper if {@code addCrc}, then encryption with the
     * primary key if enabled and {@code gossipVerifyOutgoing}, then the label header if one is set.
     *
     * @throws IllegalArgumentException for an empty message
     */
    public static byte[] seal(byte[] message, WireOptions o, boolean addCrc) {
        return seal(message, o, addCrc, null);
    }

    /** {@link #seal} with a fixed nonce (tests reproduce Go's vectors); null = random. */
    static byte[] seal(byte[] message, WireOptions o, boolean addCrc, byte[] nonce) {
        if (message.length == 0) {
            throw new IllegalArgumentException("an empty message would crash a Go peer");
        }
        byte[] msg = message;
        if (o.compression()) {
            byte[] compressed = MessageCodec.encodeCompress(Lzw.compress(msg));
            if (compressed.length < msg.length) {
                msg = compressed;
            }
        }
        if (addCrc) {
            msg = withCrc(msg);
        }
        if (o.encryptionEnabled() && o.gossipVerifyOutgoing()) {
            byte[] key = o.keyring().primaryKey();
            if (key == null) {
                throw new IllegalStateException("keyring lost its keys");
            }
            byte[] aad = o.labelOrEmpty();
            msg = nonce == null
                    ? Encryption.encrypt(o.encryptionVersion(), key, msg, aad)
                    : Encryption.encrypt(o.encryptionVersion(), key, nonce, msg, aad);
        }
        if (o.hasLabel()) {
            byte[] header = LabelHeader.of(o);
            byte[] out = Arrays.copyOf(header, header.length + msg.length);
            System.arraycopy(msg, 0, out, header.length, msg.length);
            msg = out;
        }
        return msg;
    }

    /** {@code 0c | CRC-32 (IEEE) of the message, BE | message}. */
    static byte[] withCrc(byte[] msg) {
        CRC32 crc = new CRC32();
        crc.update(msg);
        return ByteBuffer.allocate(CRC_HEADER + msg.length)
                .put((byte) MessageType.HAS_CRC.code()).putInt((int) crc.getValue()).put(msg).array();
    }

    // =============================================================================================
    // Receiving
    // =============================================================================================

    /**
     * Undoes the label and the encryption of a received datagram and returns the plaintext for
     * {@link #decode}. Label rules are memberlist ≥ 0.3's: with a label configured, an unlabeled
     * packet is refused unless {@code skipInboundLabelCheck}; a different label is refused; without
     * one configured, a labeled packet is refused. With encryption on, a packet that no key
     * decrypts is refused if {@code gossipVerifyIncoming}, else taken as plaintext.
     *
     * @throws DecodeException when the packet must be dropped (the message says why)
     */
    public static byte[] open(byte[] datagram, WireOptions o) {
        if (datagram.length == 0) {
            throw DecodeException.truncated("UDP packet too short (0 bytes)", 0);
        }
        LabelHeader.Split split = LabelHeader.parse(datagram, 0, datagram.length);
        String[] problem = new String[1];
        byte[] aad = LabelHeader.accept(split.label(), o, problem);
        if (aad == null) {
            throw new DecodeException(problem[0], 0);
        }
        int off = split.restOffset();
        int len = datagram.length - off;
        if (o.encryptionEnabled()) {
            try {
                return Encryption.decrypt(o.keyring().keys(), datagram, off, len, aad);
            } catch (DecryptionException e) {
                if (o.gossipVerifyIncoming()) {
                    throw new DecodeException("Decrypt packet failed: " + e.getMessage(), off);
                }
                // Not verifying: the sender may not encrypt yet (cluster migrating to encryption).
            }
        }
        return Arrays.copyOfRange(datagram, off, off + len);
    }

    /**
     * The messages of one packet plus what went wrong with the parts that could not be used;
     * {@code budgetRefused} when decompression was refused by the input budget (drop the packet).
     */
    public record Decoded(List<Message> messages, List<String> problems, boolean budgetRefused) {
        public Decoded(List<Message> messages, List<String> problems) {
            this(messages, problems, false);
        }

        public Decoded {
            messages = List.copyOf(messages);
            problems = List.copyOf(problems);
        }

        public boolean hasProblems() {
            return !problems.isEmpty();
        }
    }

    /** {@link #open} then {@link #decode}. */
    public static Decoded receive(byte[] datagram, WireOptions o) {
        return decode(open(datagram, o));
    }

    /**
     * Decodes a plaintext packet: checks and strips an outermost CRC wrapper (a mismatch drops the
     * whole packet), then unwraps compound and compress messages recursively. Like Go, the
     * complete parts of a truncated compound are still used, and one bad part does not spoil the
     * others: each failure becomes an entry of {@code problems} saying what and where.
     *
     * @throws DecodeException for an empty packet or a CRC mismatch (the whole packet is dropped)
     */
    public static Decoded decode(byte[] plaintext) {
        return decode(plaintext, null);
    }

    /**
     * {@link #decode(byte[])} that reserves LZW output from {@code r} before producing it (when not
     * null): on return {@code r} holds the decompressed bytes; the caller closes it once the messages
     * have been handled. If the budget refuses, decoding stops and {@link Decoded#budgetRefused()}
     * is set: the packet is to be dropped.
     */
    public static Decoded decode(byte[] plaintext, InputBudget.Reservation r) {
        if (plaintext.length == 0) {
            throw DecodeException.truncated("empty packet", 0);
        }
        int off = 0;
        int len = plaintext.length;
        String where = "packet";
        if (len >= CRC_HEADER && (plaintext[0] & 0xff) == MessageType.HAS_CRC.code()) {
            CRC32 crc = new CRC32();
            crc.update(plaintext, CRC_HEADER, len - CRC_HEADER);
            long expected = ByteBuffer.wrap(plaintext, 1, 4).getInt() & 0xffffffffL;
            if (crc.getValue() != expected) {
                throw new DecodeException(String.format("Got invalid checksum for UDP packet: %x, %x",
                        crc.getValue(), expected), 1);
            }
            off = CRC_HEADER;
            len -= CRC_HEADER;
            where = "packet/crc";
        }
        Walk walk = new Walk(r);
        walk.dispatch(plaintext, off, len, 0, where, off);
        if (walk.droppedProblems > 0) {
            walk.problems.add(walk.droppedProblems + " more problems not listed");
        }
        return new Decoded(walk.messages, walk.problems, walk.refused);
    }

    /**
     * Where in a packet a part is, e.g. {@code packet/crc/lzw/compound[3/14]}: spelled out only when a
     * problem is reported, so that decoding a good packet builds no text.
     */
    private record Where(Object parent, String step, int index, int count) {
        @Override
        public String toString() {
            return parent + step + (count > 0 ? "[" + index + "/" + count + "]" : "");
        }
    }

    /** State of one packet's decoding: results and the budgets shared by all its layers. */
    private static final class Walk {
        final List<Message> messages = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        int droppedProblems;
        int decompressBudget = MAX_DECOMPRESSED_BYTES;
        final InputBudget.Reservation reservation;
        boolean refused;

        Walk(InputBudget.Reservation reservation) {
            this.reservation = reservation;
        }

        void problem(Object where, int at, String what) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(where + " (byte " + at + "): " + what);
            } else {
                droppedProblems++;
            }
        }

        /**
         * Handles one message in {@code buf[off, off+len)}; {@code at} is its offset in the outermost
         * buffer this layer came from (for problem reports; decompressed layers restart at 0).
         */
        void dispatch(byte[] buf, int off, int len, int depth, Object where, int at) {
            if (refused) {
                return;
            }
            if (len == 0) {
                // Go 0.2.2 panics indexing the type byte of an empty message (Trap 1).
                problem(where, at, "empty message");
                return;
            }
            if (messages.size() >= MAX_MESSAGES) {
                problem(where, at, "more than " + MAX_MESSAGES + " messages in one packet, rest ignored");
                return;
            }
            int code = buf[off] & 0xff;
            if (code == MessageType.COMPOUND.code()) {
                if (depth >= MAX_NESTING) {
                    problem(where, at, "compound nested deeper than " + MAX_NESTING);
                    return;
                }
                compound(buf, off, len, depth + 1, where, at);
            } else if (code == MessageType.COMPRESS.code()) {
                if (depth >= MAX_NESTING) {
                    problem(where, at, "compress nested deeper than " + MAX_NESTING);
                    return;
                }
                decompress(buf, off, len, depth + 1, where, at);
            } else {
                try {
                    messages.add(MessageCodec.decode(buf, off, len));
                } catch (DecodeException e) {
                    problem(where, at, e.getMessage());
                }
            }
        }

        private void compound(byte[] buf, int off, int len, int depth, Object where, int at) {
            int end = off + len;
            int p = off + 1;
            if (p >= end) {
                problem(where, at, "missing compound length byte");
                return;
            }
            int n = buf[p++] & 0xff;
            if (end - p < 2 * n) {
                problem(where, at, "truncated len slice: " + n + " parts declared, " + (end - p) + " bytes left");
                return;
            }
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = ((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff);
                p += 2;
            }
            for (int i = 0; i < n; i++) {
                if (end - p < lengths[i]) {
                    problem(where, at, "compound had " + (n - i) + " truncated of " + n + " messages");
                    return;
                }
                dispatch(buf, p, lengths[i], depth, new Where(where, "/compound", i + 1, n), at + (p - off));
                p += lengths[i];
            }
        }

        private void decompress(byte[] buf, int off, int len, int depth, Object where, int at) {
            byte[] inner;
            try {
                MsgpackReader r = new MsgpackReader(buf, off, len, MessageCodec.LIMITS);
                r.readFixed(1);
                MessageReader.Compressed c = MessageReader.readCompress(r);
                if (c.algo() != 0) {
                    problem(where, at, "Cannot decompress unknown algorithm " + c.algo());
                    return;
                }
                inner = Lzw.decompress(c.buf(), 0, c.buf().length, decompressBudget, reservation);
            } catch (DecodeException e) {
                problem(where, at, "Failed to decompress payload: " + e.getMessage());
                return;
            } catch (InputRefusedException e) {
                refused = true;
                problem(where, at, "decompression refused: " + e.getMessage());
                return;
            }
            decompressBudget -= inner.length;
            if (inner.length == 0) {
                // Go 0.2.2 panics on this (Trap 1).
                problem(where, at, "decompressed message is empty");
                return;
            }
            dispatch(inner, 0, inner.length, depth, new Where(where, "/lzw", 0, 0), 0);
        }
    }
}
