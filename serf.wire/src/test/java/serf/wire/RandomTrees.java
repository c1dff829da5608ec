package serf.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random {@link MsgValue} trees of bounded depth and size, biased towards the encoding boundaries.
 * Integers are normalised the way the reader reports them (non-negative values flagged unsigned),
 * so a written-then-read tree compares equal to the original.
 */
final class RandomTrees {
    private static final long[] INT_EDGES = {0, 1, 31, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0xffffffffL,
            0x1_0000_0000L, Long.MAX_VALUE, -1, -31, -32, -33, -127, -128, -129, -32767, -32768, -32769,
            Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, Long.MIN_VALUE, Integer.MAX_VALUE};
    private static final int[] LENGTH_EDGES = {0, 1, 15, 16, 31, 32, 33, 255, 256};
    private static final double[] DOUBLE_EDGES = {0.0, -0.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1e-5};

    private final RandomGenerator rnd;
    private final int maxDepth;
    private int budget;

    /** {@code maxDepth} levels of containers at most; roughly {@code maxNodes} values per tree at most. */
    RandomTrees(RandomGenerator rnd, int maxDepth) {
        this.rnd = rnd;
        this.maxDepth = maxDepth;
    }

    MsgValue next(int maxNodes) {
        budget = maxNodes;
        return value(0);
    }

    private MsgValue value(int depth) {
        budget--;
        boolean container = depth < maxDepth && budget > 0 && rnd.nextInt(3) == 0;
        if (container) {
            int n = collectionSize();
            if (rnd.nextBoolean()) {
                List<MsgValue> items = new ArrayList<>();
                for (int i = 0; i < n && budget > 0; i++) {
                    items.add(value(depth + 1));
                }
                return new MsgValue.Array(items);
            }
            List<MsgValue.Entry> entries = new ArrayList<>();
            for (int i = 0; i < n && budget > 0; i++) {
                entries.add(new MsgValue.Entry(value(depth + 1), value(depth + 1)));
            }
            return new MsgValue.Map(entries);
        }
        return switch (rnd.nextInt(9)) {
            case 0 -> MsgValue.Nil.INSTANCE;
            case 1 -> new MsgValue.Bool(rnd.nextBoolean());
            case 2 -> integer();
            case 3 -> rnd.nextBoolean()
                    ? new MsgValue.Float(rnd.nextBoolean() ? (double) Float.intBitsToFloat(rnd.nextInt()) : 0.25f, true)
                    : new MsgValue.Float(rnd.nextBoolean() ? DOUBLE_EDGES[rnd.nextInt(DOUBLE_EDGES.length)]
                            : Double.longBitsToDouble(rnd.nextLong()), false);
            case 4, 5 -> new MsgValue.Str(text());
            case 6 -> new MsgValue.Bin(bytes(length()));
            case 7 -> new MsgValue.Ext(rnd.nextInt(256) - 128, bytes(rnd.nextBoolean() ? 1 << rnd.nextInt(5) : length()));
            default -> integer();
        };
    }

    private MsgValue.Int integer() {
        long v = switch (rnd.nextInt(4)) {
            case 0 -> INT_EDGES[rnd.nextInt(INT_EDGES.length)];
            case 1 -> rnd.nextLong();
            case 2 -> rnd.nextInt(256) - 64;
            default -> rnd.nextLong() >> rnd.nextInt(64);
        };
        // A uint64 above Long.MAX_VALUE (negative bits, flagged unsigned) now and then.
        boolean bigUnsigned = v < 0 && rnd.nextInt(8) == 0;
        return new MsgValue.Int(v, v >= 0 || bigUnsigned);
    }

    private int collectionSize() {
        return switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 15 + rnd.nextInt(3);
            default -> 1 + rnd.nextInt(4);
        };
    }

    private int length() {
        return rnd.nextInt(3) == 0 ? LENGTH_EDGES[rnd.nextInt(LENGTH_EDGES.length)] : rnd.nextInt(12);
    }

    private byte[] text() {
        if (rnd.nextInt(4) == 0) {
            return bytes(length()); // arbitrary bytes, not necessarily UTF-8
        }
        StringBuilder sb = new StringBuilder();
        int n = length();
        for (int i = 0; i < n; i++) {
            sb.append(rnd.nextInt(10) == 0 ? 'é' : (char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
