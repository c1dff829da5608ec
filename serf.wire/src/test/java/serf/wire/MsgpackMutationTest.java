package serf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static serf.wire.TestBytes.hex;
import static serf.wire.TestBytes.toHex;
import static serf.wire.Vectors.list;
import static serf.wire.Vectors.map;
import static serf.wire.Vectors.str;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: every vector body, truncated at every offset and mutated at random (bit flips,
 * interesting bytes, inflated lengths, insertions, deletions, splices), plus pathological nesting.
 * Every decoding entry point may only ever throw {@link DecodeException}, and readValue, skip,
 * readEncodedValue and measure must agree with each other on every input.
 */
class MsgpackMutationTest {
    private static final long FIXED_SEED = 0x6d75_7461_7465L;
    private static final long RUN_SEED = Long.getLong("serf.fuzz.seed", System.nanoTime());
    private static final int MUTATIONS_PER_SEED = 60_000;

    private static final DecodeLimits TIGHT = new DecodeLimits(3, 40, 6);
    private static final int[] INTERESTING = {0xdb, 0xdd, 0xdf, 0xc6, 0xc9, 0xc5, 0xc8, 0xda, 0xdc, 0xde, 0xc4, 0xc7,
            0xd9, 0xcf, 0xd3, 0xcb, 0xca, 0xc1, 0xc0, 0x9f, 0x8f, 0xbf, 0x91, 0x81, 0xd8, 0xd4, 0xff, 0x00, 0x7f, 0x80};

    private long inputs;

    @Test
    void vectorsMutatedAndTruncated() {
        List<byte[]> seeds = Corpus.SEEDS;
        assertThat(seeds).hasSizeGreaterThan(500);

        // Every truncation of every seed (deterministic).
        for (byte[] s : seeds) {
            for (int cut = 0; cut < s.length; cut++) {
                check(Arrays.copyOf(s, cut), "truncation", 0, new SplittableRandom(cut));
            }
        }
        for (long seed : new long[] {FIXED_SEED, RUN_SEED}) {
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int i = 0; i < MUTATIONS_PER_SEED; i++) {
                byte[] s = seeds.get(rnd.nextInt(seeds.size()));
                check(mutate(s, seeds, rnd), "mutation #" + i, seed, rnd);
            }
        }
        assertThat(inputs).as("inputs tried").isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void pathologicalNesting() {
        for (int lead : new int[] {0x91, 0x81, 0xd9}) {
            byte[] deep = MsgpackEncodingTableTest.filled(100_000, lead);
            check(deep, "100,000 x " + Integer.toHexString(lead), 0, new SplittableRandom(1));
        }
        byte[] alternating = new byte[100_000];
        for (int i = 0; i < alternating.length; i++) {
            alternating[i] = (byte) (i % 2 == 0 ? 0x91 : 0x81);
        }
        check(alternating, "alternating 91/81", 0, new SplittableRandom(2));
        byte[] wideAndDeep = new byte[99_999];
        for (int i = 0; i + 2 < wideAndDeep.length; i += 3) {
            wideAndDeep[i] = (byte) 0xdc;
            wideAndDeep[i + 1] = 0;
            wideAndDeep[i + 2] = 1;
        }
        check(wideAndDeep, "100,000 x dc0001", 0, new SplittableRandom(3));
    }

    /** A million nested arrays is refused with DecodeException, not a StackOverflowError. */
    @Test
    void millionDeepNestingIsRefused() {
        byte[] deep = MsgpackEncodingTableTest.filled(1_000_000, 0x91);
        for (DecodeLimits limits : List.of(DecodeLimits.DEFAULT, new DecodeLimits(DecodeLimits.MAX_DEPTH, 1, Integer.MAX_VALUE))) {
            for (Runnable op : List.<Runnable>of(
                    () -> new MsgpackReader(deep, limits).readValue(),
                    () -> new MsgpackReader(deep, limits).skip(),
                    () -> new MsgpackReader(deep, limits).readEncodedValue(),
                    () -> MsgpackReader.measure(deep, 0, deep.length, limits))) {
                try {
                    op.run();
                    fail("a million nested arrays were accepted");
                } catch (DecodeException e) {
                    assertThat(e.isTruncated()).isFalse();
                    assertThat(e.getMessage()).contains("nesting");
                    assertThat(e.offset()).isEqualTo(limits.maxDepth());
                }
            }
        }
    }

    // ---- the checks -------------------------------------------------------------------------------

    private void check(byte[] input, String what, long seed, SplittableRandom rnd) {
        inputs++;
        try {
            for (DecodeLimits limits : List.of(DecodeLimits.DEFAULT, TIGHT)) {
                checkConsistency(input, limits);
                try {
                    typedWalk(new MsgpackReader(input, limits), 0, rnd);
                } catch (DecodeException expected) {
                    // bad input, or a type the walker chose that does not fit: both fine
                }
                try {
                    randomCalls(new MsgpackReader(input, limits), rnd);
                } catch (DecodeException expected) {
                    // wrong types are supposed to end here
                }
            }
            checkSameInsideALargerBuffer(input, rnd);
        } catch (AssertionError e) {
            throw new AssertionError(describe(input, what, seed) + ": " + e.getMessage(), e);
        } catch (Throwable t) {
            throw new AssertionError(describe(input, what, seed) + ": escaped " + t, t);
        }
    }

    private static String describe(byte[] input, String what, long seed) {
        String h = toHex(input);
        return what + " (seed " + seed + ", rerun with -Dserf.fuzz.seed=" + seed + ") on " + input.length + " bytes "
                + (h.length() > 400 ? h.substring(0, 400) + "..." : h);
    }

    /** readValue, skip, readEncodedValue and measure see the same value, or fail the same way. */
    private static void checkConsistency(byte[] input, DecodeLimits limits) {
        Outcome value = outcome(input, limits, r -> r.readValue());
        Outcome skip = outcome(input, limits, r -> {
            r.skip();
            return null;
        });
        Outcome encoded = outcome(input, limits, MsgpackReader::readEncodedValue);
        assertThat(skip.length).as("skip vs readValue length").isEqualTo(value.length);
        assertThat(encoded.length).as("readEncodedValue vs readValue length").isEqualTo(value.length);
        assertThat(skip.truncated).as("truncated flags").isEqualTo(value.truncated);
        assertThat(skip.errorOffset).as("error offsets").isEqualTo(value.errorOffset);
        if (value.errorOffset >= 0) {
            assertThat(value.errorOffset).as("error offset within the input").isLessThanOrEqualTo(input.length);
        }

        Integer measured;
        try {
            measured = MsgpackReader.measure(input, 0, input.length, limits);
        } catch (DecodeException e) {
            measured = null;
        }
        if (value.length >= 0) {
            assertThat(measured).as("measure of a complete value").isEqualTo(value.length);
            assertThat((byte[]) encoded.result).isEqualTo(Arrays.copyOf(input, value.length));
            // A decoded tree re-encodes canonically: reading and writing that again changes nothing.
            // (Not equal to the tree itself: a positive d0-d3 integer comes back flagged unsigned.)
            MsgValue tree = (MsgValue) value.result;
            byte[] again = MsgpackWriter.rpc().writeValue(tree).toByteArray();
            MsgValue reread = new MsgpackReader(again, limits).readValue();
            assertThat(MsgpackWriter.rpc().writeValue(reread).toByteArray()).isEqualTo(again);
        } else if (value.truncated) {
            assertThat(measured).as("measure of a truncated value").isEqualTo(-1);
        } else {
            assertThat(measured).as("measure of a malformed value").isNull();
        }
    }

    /** The same bytes inside a larger array, read through an offset range: identical results. */
    private static void checkSameInsideALargerBuffer(byte[] input, SplittableRandom rnd) {
        int before = rnd.nextInt(4);
        byte[] padded = new byte[before + input.length + 4];
        Arrays.fill(padded, (byte) (rnd.nextBoolean() ? 0x00 : 0xc3)); // padding that would complete a value
        System.arraycopy(input, 0, padded, before, input.length);
        Outcome plain = outcome(input, TIGHT, MsgpackReader::readValue);
        Outcome ranged = outcome(padded, before, input.length, TIGHT, MsgpackReader::readValue);
        assertThat(ranged.length).as("ranged length").isEqualTo(plain.length);
        assertThat(ranged.errorOffset).as("ranged error offset").isEqualTo(plain.errorOffset);
        assertThat(ranged.result).as("ranged value").isEqualTo(plain.result);
    }

    private record Outcome(int length, boolean truncated, int errorOffset, Object result) {
    }

    private interface Op {
        Object apply(MsgpackReader r);
    }

    private static Outcome outcome(byte[] input, DecodeLimits limits, Op op) {
        return outcome(input, 0, input.length, limits, op);
    }

    private static Outcome outcome(byte[] data, int off, int len, DecodeLimits limits, Op op) {
        MsgpackReader r = new MsgpackReader(data, off, len, limits);
        try {
            Object result = op.apply(r);
            return new Outcome(r.position(), false, -1, result);
        } catch (DecodeException e) {
            return new Outcome(-1, e.isTruncated(), e.offset(), null);
        }
    }

    /** Walks the value with the typed methods a struct decoder would pick for what it sees. */
    private static void typedWalk(MsgpackReader r, int depth, SplittableRandom rnd) {
        if (depth > 40) {
            r.skip(); // the walker itself must not recurse without bound; skip enforces the limits
            return;
        }
        int b = r.peekByte();
        switch (MsgpackFormat.of(b)) {
            case NIL -> {
                switch (rnd.nextInt(5)) {
                    case 0 -> r.readNil();
                    case 1 -> r.readBool();
                    case 2 -> r.readLong();
                    case 3 -> r.readString();
                    default -> assertThat(r.readBytes()).isNull();
                }
            }
            case BOOLEAN -> r.readBool();
            case INTEGER -> {
                switch (rnd.nextInt(8)) {
                    case 0 -> r.readLong();
                    case 1 -> r.readUint64();
                    case 2 -> r.readInt();
                    case 3 -> r.readUint8();
                    case 4 -> r.readUint16();
                    case 5 -> r.readUint32();
                    case 6 -> r.readDouble();
                    default -> r.readBool();
                }
            }
            case FLOAT -> r.readDouble();
            case STRING, BINARY -> {
                if (rnd.nextBoolean()) {
                    r.readString();
                } else {
                    r.readBytes();
                }
            }
            case ARRAY -> {
                if (rnd.nextInt(4) == 0) {
                    r.readBytes();
                } else {
                    int n = r.readArrayHeader();
                    for (int i = 0; i < n; i++) {
                        typedWalk(r, depth + 1, rnd);
                    }
                }
            }
            case MAP -> {
                int n = r.readMapHeader();
                for (int i = 0; i < n; i++) {
                    if (rnd.nextBoolean()) {
                        r.readString();
                    } else {
                        typedWalk(r, depth + 1, rnd);
                    }
                    typedWalk(r, depth + 1, rnd);
                }
            }
            case EXTENSION -> r.readExt();
            case NEVER_USED -> r.readValue();
        }
    }

    /** Any method on anything: wrong types must be DecodeException too. */
    private static void randomCalls(MsgpackReader r, SplittableRandom rnd) {
        for (int i = 0; i < 6 && r.hasRemaining(); i++) {
            switch (rnd.nextInt(16)) {
                case 0 -> r.readLong();
                case 1 -> r.readUint64();
                case 2 -> r.readUint32();
                case 3 -> r.readInt();
                case 4 -> r.readDouble();
                case 5 -> r.readBool();
                case 6 -> r.readString();
                case 7 -> r.readBytes();
                case 8 -> r.readArrayHeader();
                case 9 -> r.readMapHeader();
                case 10 -> r.readExt();
                case 11 -> r.readNil();
                case 12 -> r.readFixed(rnd.nextInt(8));
                case 13 -> r.readValue();
                case 14 -> r.skip();
                default -> r.readEncodedValue();
            }
        }
    }

    // ---- mutations --------------------------------------------------------------------------------

    private static byte[] mutate(byte[] s, List<byte[]> seeds, SplittableRandom rnd) {
        byte[] out = s.length == 0 ? new byte[] {(byte) 0x91} : s.clone();
        int rounds = 1 + rnd.nextInt(3);
        for (int k = 0; k < rounds; k++) {
            if (out.length == 0) {
                out = new byte[] {(byte) INTERESTING[rnd.nextInt(INTERESTING.length)]};
            }
            int at = rnd.nextInt(out.length);
            switch (rnd.nextInt(8)) {
                case 0 -> out[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> { // an interesting lead byte followed by 0xff length bytes
                    out[at] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
                    int ffs = rnd.nextInt(9);
                    for (int i = 1; i <= ffs && at + i < out.length; i++) {
                        out[at + i] = (byte) 0xff;
                    }
                }
                case 2 -> out = inflateLength(out, rnd);
                case 3 -> { // insertion
                    byte[] ins = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(ins);
                    if (rnd.nextBoolean()) {
                        ins[0] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
                    }
                    out = TestBytes.concat(Arrays.copyOf(out, at), ins, Arrays.copyOfRange(out, at, out.length));
                }
                case 4 -> { // deletion
                    int n = 1 + rnd.nextInt(Math.min(8, out.length - at));
                    out = TestBytes.concat(Arrays.copyOf(out, at), Arrays.copyOfRange(out, at + n, out.length));
                }
                case 5 -> { // splice with another seed
                    byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                    int from = other.length == 0 ? 0 : rnd.nextInt(other.length);
                    out = TestBytes.concat(Arrays.copyOf(out, at), Arrays.copyOfRange(other, from, other.length));
                }
                case 6 -> { // duplicate a slice in place
                    int n = 1 + rnd.nextInt(Math.min(16, out.length - at));
                    byte[] slice = Arrays.copyOfRange(out, at, at + n);
                    out = TestBytes.concat(Arrays.copyOf(out, at + n), slice, Arrays.copyOfRange(out, at + n, out.length));
                }
                default -> out[at] = (byte) rnd.nextInt(256);
            }
        }
        if (rnd.nextInt(4) == 0 && out.length > 0) {
            out = Arrays.copyOf(out, rnd.nextInt(out.length)); // and truncate
        }
        return out;
    }

    /** Finds a length-bearing header and makes its length huge, slightly too big, or off by one. */
    private static byte[] inflateLength(byte[] out, SplittableRandom rnd) {
        int start = rnd.nextInt(out.length);
        for (int i = 0; i < out.length; i++) {
            int at = (start + i) % out.length;
            int b = out[at] & 0xff;
            int width = switch (b) {
                case 0xc4, 0xc7, 0xd9 -> 1;
                case 0xc5, 0xc8, 0xda, 0xdc, 0xde -> 2;
                case 0xc6, 0xc9, 0xdb, 0xdd, 0xdf -> 4;
                default -> 0;
            };
            if (width == 0) {
                if ((b >= 0x80 && b <= 0xbf) && rnd.nextBoolean()) { // fixmap/fixarray/fixstr: bump the count
                    int mask = b >= 0xa0 ? 0x1f : 0x0f;
                    out[at] = (byte) ((b & ~mask) | ((b + 1 + rnd.nextInt(3)) & mask));
                    return out;
                }
                continue;
            }
            for (int k = 1; k <= width && at + k < out.length; k++) {
                out[at + k] = switch (rnd.nextInt(3)) {
                    case 0 -> (byte) 0xff;
                    case 1 -> (byte) (out[at + k] + 1);
                    default -> (byte) 0x7f;
                };
            }
            return out;
        }
        out[rnd.nextInt(out.length)] = (byte) 0xdb;
        return out;
    }

    // ---- the corpus -------------------------------------------------------------------------------

    /** Built once, on first use. */
    private static final class Corpus {
        static final List<byte[]> SEEDS = build();
    }

    /** Every msgpack body of the vector files (and the bytes around them), plus some random trees. */
    private static List<byte[]> build() {
        List<byte[]> out = new ArrayList<>();
        for (Map<String, Object> v : Vectors.memberlistMessages()) {
            addMessage(out, hex(str(v, "wire_hex")));
            if (v.containsKey("plaintext_hex")) {
                addMessage(out, hex(str(v, "plaintext_hex")));
            }
            if (v.containsKey("parts_hex")) {
                for (Object p : list(v, "parts_hex")) {
                    addMessage(out, hex((String) p));
                }
            }
        }
        for (Map<String, Object> v : Vectors.serfMessages()) {
            addMessage(out, hex(str(v, "hex")));
        }
        for (Map<String, Object> p : Vectors.probes()) {
            out.add(hex(str(p, "input_hex")));
        }
        for (Object c : list(Vectors.load("memberlist/malformed.json"), "cases")) {
            addMessage(out, hex(str(c, "wire_hex")));
        }
        for (Path file : Vectors.agentFiles()) {
            Object doc = Vectors.load(file);
            for (String direction : List.of("c2s", "s2c")) {
                Map<String, Object> stream = map(map(doc, "streams"), direction);
                for (Object o : list(stream, "objects")) {
                    out.add(hex(str(o, "hex")));
                }
                byte[] all = hex(str(stream, "all_hex"));
                out.add(Arrays.copyOf(all, Math.min(all.length, 2048)));
            }
        }
        SplittableRandom rnd = new SplittableRandom(42);
        RandomTrees trees = new RandomTrees(rnd, 5);
        for (int i = 0; i < 200; i++) {
            out.add(new MsgpackWriter(i % 2 == 0 ? StringEncoding.GOSSIP_RAW : StringEncoding.RPC_STR_BIN)
                    .writeValue(trees.next(1 + rnd.nextInt(40))).toByteArray());
        }
        return List.copyOf(out);
    }

    /** A message as it is (type byte first) and its msgpack body (without the type byte or a CRC header). */
    private static void addMessage(List<byte[]> out, byte[] msg) {
        out.add(msg);
        if (msg.length > 1) {
            out.add(Arrays.copyOfRange(msg, 1, msg.length));
        }
        if (msg.length > 5 && msg[0] == 12) {
            out.add(Arrays.copyOfRange(msg, 6, msg.length));
        }
    }
}
