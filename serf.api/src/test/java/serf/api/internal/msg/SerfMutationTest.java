package serf.api.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import serf.api.coordinate.CoordinateCodec;
import serf.wire.DecodeException;

/**
 * Seeded mutation of every vector (messages, meta, filters, ack payloads): whatever the bytes, the
 * decoders raise DecodeException and nothing else, Tags.decodeMeta and Filters.matches never throw,
 * and whatever decodes re-encodes to something that decodes to the same message.
 */
class SerfMutationTest {

    private static final int MUTANTS = 60_000;
    private static final int[] INTERESTING = {0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2,
        0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd3, 0xd4, 0xd9, 0xda, 0xdb,
        0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff};
    private static final Map<String, String> TAGS = Map.of("role", "web", "dc", "east");

    @Test
    void onlyDecodeExceptionEscapesAndMetaAndFiltersNeverThrow() {
        List<byte[]> seeds = seeds();
        Random rnd = new Random(20240611L);
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] in = mutate(seeds, rnd);
            String what = HexFormat.of().formatHex(in);
            try {
                SerfMessage m = SerfCodec.decode(in, 0, in.length);
                decoded++;
                byte[] again = SerfCodec.encode(m);
                assertThat(SerfVectors.canon(SerfCodec.decode(again, 0, again.length))).as(what).isEqualTo(SerfVectors.canon(m));
            } catch (DecodeException e) {
                refused++;
            } catch (Throwable t) {
                throw new AssertionError("SerfCodec.decode threw " + t + " on " + what, t);
            }
            onlyDecodeException(() -> SerfCodec.decodeKeyRequestPayload(in), "decodeKeyRequestPayload", what);
            onlyDecodeException(() -> CoordinateCodec.decode(in), "CoordinateCodec.decode", what);
            onlyDecodeException(() -> Filters.encode(Filters.decode(in)), "Filters.decode", what);
            neverThrows(() -> Tags.decodeMeta(in), "Tags.decodeMeta", what);
            neverThrows(() -> Filters.matches(List.of(in), "web-1", TAGS), "Filters.matches", what);
            // inner payloads of a query, as a receiver would see them
            neverThrows(() -> Filters.matches(Arrays.asList(in, null), "web-1", null), "Filters.matches(null)", what);
        }
        // the mutations must exercise both paths, not just break the type byte
        assertThat(decoded).isGreaterThan(MUTANTS / 10);
        assertThat(refused).isGreaterThan(MUTANTS / 10);
    }

    @Test
    void hugeDeclaredLengthsAreRefusedWithoutAllocating() {
        for (String hex : List.of("02dfffffffff", "02dd7fffffff", "0481a75061796c6f6164dbffffffff", "0481a746696c74657273ddffffffff",
                "0281a64576656e7473dcffff" + "c0".repeat(10), "0981a844657374416464728fc0")) {
            byte[] in = HexFormat.of().parseHex(hex);
            onlyDecodeException(() -> SerfCodec.decode(in, 0, in.length), "decode", hex);
        }
        byte[] meta = HexFormat.of().parseHex("ffdfffffffff");
        assertThat(Tags.decodeMeta(meta)).isEmpty();
    }

    @Test
    void deepNestingInUnknownFieldsIsRefusedNotOverflowed() {
        byte[] deep = new byte[200_000];
        int p = 0;
        deep[p++] = 0; // leave
        deep[p++] = (byte) 0x81;
        deep[p++] = (byte) 0xa1;
        deep[p++] = 'X';
        while (p < deep.length) {
            deep[p++] = (byte) 0x91; // [[[[...
        }
        onlyDecodeException(() -> SerfCodec.decode(deep, 0, deep.length), "decode", "deep array");
        byte[] meta = Arrays.copyOf(deep, deep.length);
        meta[0] = (byte) 0xff;
        neverThrows(() -> Tags.decodeMeta(meta), "decodeMeta", "deep");
    }

    private static void onlyDecodeException(Runnable r, String what, String input) {
        try {
            r.run();
        } catch (DecodeException e) {
            // expected for malformed input
        } catch (Throwable t) {
            throw new AssertionError(what + " threw " + t + " on " + input, t);
        }
    }

    private static void neverThrows(Runnable r, String what, String input) {
        try {
            r.run();
        } catch (Throwable t) {
            throw new AssertionError(what + " threw " + t + " on " + input, t);
        }
    }

    /** Every byte string the vectors hold: messages, payloads, meta, filters, and a query's filters. */
    private static List<byte[]> seeds() {
        List<byte[]> out = new ArrayList<>();
        for (Map<String, Object> v : SerfVectors.messages()) {
            byte[] raw = SerfVectors.bytes(v);
            out.add(raw);
            if (v.get("kind").equals("serf-message")) {
                SerfMessage m = SerfCodec.decode(raw, 0, raw.length);
                if (m instanceof SerfMessage.Query q) {
                    if (q.filters() != null) {
                        out.addAll(q.filters());
                    }
                    if (q.payload() != null && q.payload().length > 0) {
                        out.add(q.payload());
                    }
                } else if (m instanceof SerfMessage.QueryResponse r && r.payload() != null && r.payload().length > 0) {
                    out.add(r.payload());
                }
            }
        }
        assertThat(out).hasSizeGreaterThan(60);
        return out;
    }

    private static byte[] mutate(List<byte[]> seeds, Random r) {
        byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds; k++) {
            b = switch (r.nextInt(9)) {
                case 0 -> {
                    if (b.length > 0) {
                        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                    yield b;
                }
                case 1 -> {
                    if (b.length > 0) {
                        b[r.nextInt(b.length)] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
                    }
                    yield b;
                }
                case 2 -> Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
                case 3 -> {
                    int at = r.nextInt(b.length + 1);
                    byte[] ins = new byte[1 + r.nextInt(4)];
                    r.nextBytes(ins);
                    yield splice(b, at, at, ins);
                }
                case 4 -> {
                    if (b.length < 2) {
                        yield b;
                    }
                    int from = r.nextInt(b.length);
                    int to = Math.min(b.length, from + 1 + r.nextInt(8));
                    yield splice(b, from, to, new byte[0]);
                }
                case 5 -> {
                    if (b.length < 2) {
                        yield b;
                    }
                    int from = r.nextInt(b.length);
                    int to = Math.min(b.length, from + 1 + r.nextInt(16));
                    yield splice(b, to, to, Arrays.copyOfRange(b, from, to));
                }
                case 6 -> {
                    if (b.length > 0) {
                        b[0] = (byte) r.nextInt(12);
                    }
                    yield b;
                }
                case 7 -> {
                    byte[] other = seeds.get(r.nextInt(seeds.size()));
                    int cut = r.nextInt(b.length + 1);
                    int from = r.nextInt(other.length + 1);
                    yield splice(Arrays.copyOf(b, cut), cut, cut, Arrays.copyOfRange(other, from, other.length));
                }
                default -> {
                    if (b.length > 4) {
                        int at = r.nextInt(b.length - 3);
                        Arrays.fill(b, at, at + 4, (byte) (r.nextBoolean() ? 0xff : 0x7f));
                    }
                    yield b;
                }
            };
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] ins) {
        byte[] out = new byte[b.length - (to - from) + ins.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(ins, 0, out, from, ins.length);
        System.arraycopy(b, to, out, from + ins.length, b.length - to);
        return out;
    }
}
