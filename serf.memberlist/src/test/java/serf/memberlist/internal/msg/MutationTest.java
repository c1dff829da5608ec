package serf.memberlist.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import serf.crypto.Keyring;
import serf.memberlist.internal.msg.Message.Alive;
import serf.memberlist.internal.msg.Message.PushNodeState;
import serf.memberlist.internal.msg.Message.PushPull;
import serf.memberlist.internal.msg.Message.User;
import serf.wire.DecodeException;

/**
 * Hostile input: mutated Go datagrams and streams (bit flips, special bytes, truncation, length
 * inflation, splices, nested compress/compound bombs). Only the documented exceptions may escape,
 * and nothing decoded may exceed the codecs' bounds. The timeout only guards against a hang.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MutationTest {
    private static final byte[] KEY = MsgVectors.hex("000102030405060708090a0b0c0d0e0f");
    private static final int[] SPECIAL = {0x00, 0x01, 0x07, 0x09, 0x0a, 0x0c, 0x7f, 0x80, 0x8f, 0x9f, 0xa0, 0xbf,
        0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd3, 0xd9, 0xda, 0xdb, 0xdc, 0xdd,
        0xde, 0xdf, 0xe0, 0xf4, 0xff};

    /** Plaintext packets from the vectors and captures, plus wrappers built around them. */
    private static List<byte[]> packetCorpus() {
        List<byte[]> out = new ArrayList<>();
        for (Map<String, Object> v : MsgVectors.messages().values()) {
            if (!"packet".equals(v.get("kind"))) {
                continue;
            }
            out.add(MsgVectors.hex(v.get(v.get("key_hex") != null ? "plaintext_hex" : "wire_hex")));
        }
        for (Path p : MsgVectors.captures()) {
            for (Object o : MsgVectors.list(MsgVectors.loadCapture(p).get("udp"))) {
                Map<String, Object> u = MsgVectors.map(o);
                out.add(MsgVectors.hex(u.get(u.get("plaintext_hex") != null ? "plaintext_hex" : "wire_hex")));
            }
        }
        for (Object o : MsgVectors.list(MsgVectors.map(MsgVectors.load("malformed.json")).get("cases"))) {
            out.add(MsgVectors.hex(MsgVectors.map(o).get("wire_hex")));
        }
        return out;
    }

    /** Whole stream byte sequences (plaintext or encrypted with {@link #streamKeys}). */
    private static List<byte[]> streamCorpus() {
        List<byte[]> out = new ArrayList<>();
        for (Map<String, Object> v : MsgVectors.messages().values()) {
            if ("stream".equals(v.get("kind")) && v.get("label") == null) {
                out.add(MsgVectors.hex(v.get("wire_hex")));
            }
        }
        for (Path p : MsgVectors.captures()) {
            for (Object o : MsgVectors.list(MsgVectors.loadCapture(p).get("tcp"))) {
                out.add(MsgVectors.hex(MsgVectors.map(o).get("wire_hex")));
            }
        }
        return out;
    }

    private static Keyring streamKeys() {
        List<byte[]> keys = new ArrayList<>();
        keys.add(KEY);
        keys.add(MsgVectors.hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        for (Path p : MsgVectors.captures()) {
            for (Object k : MsgVectors.list(MsgVectors.loadCapture(p).get("keys_hex"))) {
                keys.add(MsgVectors.hex(k));
            }
        }
        return Keyring.of(keys.subList(1, keys.size()), keys.get(0));
    }

    static byte[] mutate(byte[] in, Random rnd, List<byte[]> corpus) {
        byte[] b = in.clone();
        int rounds = 1 + rnd.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            if (b.length == 0) {
                b = new byte[] {(byte) rnd.nextInt(256)};
                continue;
            }
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(9)) {
                case 0, 1 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 2 -> b[at] = (byte) SPECIAL[rnd.nextInt(SPECIAL.length)];
                case 3 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                case 4 -> {
                    // Length inflation: a run of 0xff (or 0x7f) over a possible length field.
                    int n = 1 + rnd.nextInt(4);
                    for (int i = at; i < Math.min(b.length, at + n); i++) {
                        b[i] = (byte) (rnd.nextBoolean() ? 0xff : 0x7f);
                    }
                }
                case 5 -> {
                    // Duplicate a range.
                    int len = rnd.nextInt(Math.min(64, b.length - at) + 1);
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
                case 6 -> {
                    // Delete a range.
                    int len = rnd.nextInt(Math.min(16, b.length - at) + 1);
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 7 -> {
                    // Splice with another corpus entry.
                    byte[] o = corpus.get(rnd.nextInt(corpus.size()));
                    int from = o.length == 0 ? 0 : rnd.nextInt(o.length);
                    byte[] c = Arrays.copyOf(b, at + (o.length - from));
                    System.arraycopy(o, from, c, at, o.length - from);
                    b = c;
                }
                default -> b[at] = (byte) rnd.nextInt(256);
            }
        }
        return b;
    }

    /** Wraps hostile content in the wrappers a packet may carry, sometimes many levels deep. */
    private static byte[] wrap(byte[] inner, Random rnd) {
        byte[] p = inner.length == 0 ? new byte[] {8} : inner;
        int levels = rnd.nextInt(12);
        for (int i = 0; i < levels; i++) {
            if (rnd.nextBoolean()) {
                p = MessageCodec.encodeCompress(Lzw.compress(p));
            } else {
                List<byte[]> parts = new ArrayList<>();
                int n = 2 + rnd.nextInt(rnd.nextInt(10) == 0 ? 126 : 4);
                for (int k = 0; k < n; k++) {
                    parts.add(p);
                }
                if (parts.size() * (long) p.length > 60_000) {
                    break;
                }
                p = PacketCodec.compound(parts);
            }
        }
        return p;
    }

    private static void checkDecoded(PacketCodec.Decoded d, int inputLength) {
        assertThat(d.messages().size()).isLessThanOrEqualTo(PacketCodec.MAX_MESSAGES);
        assertThat(d.problems().size()).isLessThanOrEqualTo(PacketCodec.MAX_PROBLEMS + 1);
        long bytes = 0;
        for (Message m : d.messages()) {
            if (m instanceof User u) {
                bytes += u.payload().length;
            }
            if (m instanceof Alive a) {
                assertThat(a.vsn() == null || a.vsn().length == 0 || a.vsn().length == 6).isTrue();
            }
            try {
                byte[] again = MessageCodec.encode(m);
                assertThat(again.length).isPositive();
            } catch (IllegalArgumentException refusedToSend) {
                // e.g. an alive with an empty Vsn: accepted like Go, but we never send one
            }
        }
        assertThat(bytes).isLessThanOrEqualTo((long) inputLength + PacketCodec.MAX_DECOMPRESSED_BYTES);
    }

    @Test
    void mutatedDatagramsOnlyEverRaiseDecodeException() {
        Random rnd = new Random(20240601);
        List<byte[]> corpus = packetCorpus();
        Keyring ring = Keyring.of(List.of(), KEY);
        WireOptions enc = new WireOptions(false, ring, 1, true, true, null, false);
        WireOptions labeled = new WireOptions(false, ring, 1, false, true, "lbl".getBytes(), false);
        int decoded = 0;
        int refused = 0;
        int total = 120_000;
        for (int i = 0; i < total; i++) {
            byte[] base = corpus.get(rnd.nextInt(corpus.size()));
            byte[] m = mutate(base, rnd, corpus);
            int mode = rnd.nextInt(20);
            try {
                PacketCodec.Decoded d;
                if (mode == 0) {
                    // Bombs: nested compress/compound around mutated content.
                    byte[] bomb = wrap(m, rnd);
                    if (rnd.nextBoolean() && bomb.length > 0) {
                        bomb = PacketCodec.seal(bomb, WireOptions.plain(), true);
                    }
                    d = PacketCodec.decode(bomb);
                    checkDecoded(d, bomb.length);
                } else if (mode <= 3 && base.length > 0) {
                    // Mutated plaintext inside valid encryption (and sometimes a label), so the
                    // hostile bytes get past decryption.
                    WireOptions o = mode == 1 ? labeled : enc;
                    byte[] sealed = m.length == 0 ? mutate(PacketCodec.seal(base, o, false), rnd, corpus)
                            : PacketCodec.seal(m, o, rnd.nextBoolean());
                    d = PacketCodec.receive(sealed, o);
                    checkDecoded(d, sealed.length);
                } else if (mode == 4) {
                    byte[] sealed = mutate(PacketCodec.seal(base.length == 0 ? new byte[] {8} : base, enc, false), rnd, corpus);
                    d = PacketCodec.receive(sealed, enc);
                    checkDecoded(d, sealed.length);
                } else {
                    d = PacketCodec.receive(m, WireOptions.plain());
                    checkDecoded(d, m.length);
                }
                decoded++;
            } catch (DecodeException expected) {
                refused++;
            }
        }
        assertThat(decoded + refused).isEqualTo(total);
        // The mutations reach deep: most inputs get through the outer layers.
        assertThat(decoded).isGreaterThan(total / 2);
    }

    /** Counts what the reader takes from the stream, to show it never reads past its budget. */
    private static final class CountingInput extends ByteArrayInputStream {
        CountingInput(byte[] b) {
            super(b);
        }

        int consumed() {
            return pos;
        }
    }

    @Test
    void mutatedStreamsOnlyEverRaiseTheDocumentedExceptions() throws Exception {
        Random rnd = new Random(777);
        List<byte[]> corpus = streamCorpus();
        Keyring ring = streamKeys();
        int total = 8_000;
        int read = 0;
        int rejected = 0;
        int malformed = 0;
        for (int i = 0; i < total; i++) {
            byte[] base = corpus.get(rnd.nextInt(corpus.size()));
            int maxStream = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(4096) : 1 << 20;
            boolean compression = rnd.nextBoolean();
            boolean encrypted = rnd.nextBoolean();
            WireOptions o = new WireOptions(compression, encrypted ? ring : null, rnd.nextInt(2),
                    rnd.nextBoolean(), true, null, false);
            byte[] input;
            int mode = rnd.nextInt(4);
            if (mode == 0) {
                // Mutate a decrypted/decompressed message and re-frame it validly, so the hostile
                // bytes reach the body decoders through every wrapper.
                byte[] plain = innerMessage(base, ring);
                byte[] m = mutate(plain, rnd, corpus);
                input = m.length == 0 ? base : StreamCodec.frame(m, o, null);
            } else if (mode == 1) {
                input = mutate(StreamCodec.frame(innerMessage(base, ring), o, null), rnd, corpus);
            } else {
                input = mutate(base, rnd, corpus);
            }
            CountingInput in = new CountingInput(input);
            try {
                Message m = StreamCodec.read(in, o, maxStream);
                if (m instanceof PushPull p) {
                    assertThat(p.nodes().size()).isLessThanOrEqualTo(StreamCodec.MAX_PUSH_NODES);
                    assertThat(p.userState() == null ? 0 : p.userState().length).isLessThanOrEqualTo(maxStream);
                    for (PushNodeState s : p.nodes()) {
                        assertThat(s.vsn() == null || s.vsn().length == 0 || s.vsn().length == 6).isTrue();
                    }
                } else if (m instanceof User u) {
                    assertThat(u.payload().length).isLessThanOrEqualTo(maxStream);
                }
                read++;
            } catch (StreamRejectedException e) {
                assertThat(e.getMessage()).isNotBlank();
                rejected++;
            } catch (DecodeException e) {
                malformed++;
            } catch (IOException e) {
                throw new AssertionError("a byte array stream has no I/O errors", e);
            }
            long budget = 2L * maxStream + (1 << 20) + 300;
            assertThat((long) in.consumed()).isLessThanOrEqualTo(Math.max(budget, StreamCodec.MAX_ENCRYPTED_BYTES + 300L));
        }
        assertThat(read + rejected + malformed).isEqualTo(total);
        assertThat(read).isGreaterThan(total / 10);
        assertThat(malformed).isGreaterThan(total / 10);
    }

    /** The message inside a stream (decrypted with the known keys and decompressed), for re-framing. */
    private static byte[] innerMessage(byte[] stream, Keyring ring) {
        try {
            byte[] plain = stream;
            if (plain[0] == 0x0a) {
                plain = serf.crypto.Encryption.decrypt(ring.keys(), Arrays.copyOfRange(stream, 5, stream.length),
                        Arrays.copyOf(stream, 5));
            }
            if (plain[0] == 0x09) {
                serf.wire.MsgpackReader r = new serf.wire.MsgpackReader(plain, 1, plain.length - 1, MessageCodec.LIMITS);
                byte[] buf = MessageReader.readCompress(r).buf();
                plain = Lzw.decompress(buf, 0, buf.length, 1 << 24);
            }
            return plain;
        } catch (serf.crypto.DecryptionException e) {
            return stream; // the wrong-key capture: no key here opens it either
        }
    }

    @Test
    void streamsThatStopAnywhereNeverHangOrOverread() throws Exception {
        // Every prefix of every corpus stream: the reader sees EOF at each possible point.
        Keyring ring = streamKeys();
        int cases = 0;
        for (byte[] s : streamCorpus()) {
            for (int cut = 0; cut < s.length; cut += Math.max(1, s.length / 64)) {
                InputStream in = new ByteArrayInputStream(Arrays.copyOf(s, cut));
                WireOptions o = new WireOptions(false, s[0] == 0x0a ? ring : null, 1, true, true, null, false);
                try {
                    Message m = StreamCodec.read(in, o, 1 << 20);
                    assertThat(cut == 0 ? m == null : true).isTrue();
                } catch (DecodeException | StreamRejectedException expected) {
                    // fine
                }
                cases++;
            }
        }
        assertThat(cases).isGreaterThan(1_000);
    }
}
