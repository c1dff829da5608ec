package serf.memberlist.internal.msg;

import java.util.Arrays;

import serf.wire.DecodeException;
import serf.wire.InputBudget;
import serf.wire.InputRefusedException;

/**
 * LZW as Go's {@code compress/lzw} writes and reads it with LSB bit order and 8-bit literals (the GIF
 * flavour), which is what memberlist's compress message (type 9) carries. The writer reproduces Go's
 * output byte for byte (docs/protocol/memberlist-wire.md §2.3): a clear code first, 9..12-bit codes, a clear code
 * when the next free code reaches 4095, the pending code and EOF on close, LSB packing.
 *
 * <p>The reader is the standard decoder with Go's widening rule. It accepts a stream without the
 * leading clear code and ignores bytes after EOF, as Go does; a stream that ends before its EOF code
 * is an error. Its output is capped, so a small input that would expand enormously fails instead of
 * allocating.
 */
public final class Lzw {
    private static final int LIT_WIDTH = 8;
    private static final int CLEAR = 1 << LIT_WIDTH;   // 256
    private static final int EOF = CLEAR + 1;          // 257
    private static final int MAX_WIDTH = 12;
    private static final int MAX_CODE = (1 << MAX_WIDTH) - 1; // 4095: the writer clears on reaching it

    // Writer dictionary: open addressing over (prefix code << 8 | byte) -> code, like Go's table.
    private static final int TABLE_SIZE = 4 << MAX_WIDTH;

    private Lzw() {
    }

    /** Compresses {@code in} exactly as Go's {@code lzw.NewWriter(w, lzw.LSB, 8)} followed by Close. */
    public static byte[] compress(byte[] in) {
        Encoder e = ENCODERS.take();
        if (e == null) {
            e = new Encoder();
        }
        try {
            e.start(in.length);
            e.emit(CLEAR);
            if (in.length > 0) {
                // The dictionary probe is written out here rather than called: the agent runs
                // interpreted, where a call per input byte was a fifth of the time.
                int[] table = e.table;
                int mask = e.mask; // fixed for the whole input (a reset clears the table, not its size)
                int code = in[0] & 0xff;
                for (int i = 1; i < in.length; i++) {
                    int literal = in[i] & 0xff;
                    int key = code << 8 | literal;
                    int h = ((key >>> 12) ^ key) & mask;
                    int t;
                    while ((t = table[h]) != 0 && t >>> 12 != key) {
                        h = (h + 1) & mask;
                    }
                    if (t != 0) {
                        code = t & MAX_CODE;
                        continue;
                    }
                    e.emit(code);
                    code = literal;
                    if (e.incHi()) {
                        table[h] = key << 12 | e.hi; // h: the free slot the probe above ended on
                    }
                }
                e.emit(code);
                e.incHi();
            }
            e.emit(EOF);
            return e.finish();
        } finally {
            e.trim();
            ENCODERS.give(e);
        }
    }

    /**
     * Encoders and decoder tables kept between calls: a node compresses and decompresses every packet
     * it sends and receives, and a fresh dictionary each time (16-64 KiB) was a third of all the bytes
     * a busy process allocated. Few are ever in use at once (the work is CPU-bound and never blocks), so
     * a handful of slots serve a whole process; when they are all taken a call makes its own.
     */
    private static final ScratchPool<Encoder> ENCODERS = new ScratchPool<>(8);
    private static final ScratchPool<DecoderTables> DECODERS = new ScratchPool<>(8);

    /** Output a pooled encoder keeps between calls; a larger one (a big stream) is let go after use. */
    private static final int KEPT_OUTPUT_BYTES = 256 * 1024;

    /** Writer state: bit accumulator, code width and the dictionary, reset for each input. */
    private static final class Encoder {
        private byte[] out = new byte[4096];
        private int len;
        private long bits;
        private int nBits;
        private int width;
        private int hi;
        private int overflow;
        // The dictionary: entries are key << 12 | code, key = prefix code << 8 | byte, probed linearly
        // from ((key >>> 12) ^ key) & mask (in compress's loop); 0 is never a valid entry.
        private final int[] table = new int[TABLE_SIZE];
        private int mask;

        /**
         * Prepares for an input of {@code inputLength} bytes. At most one dictionary entry goes in per
         * input byte, so a table of 4 × that (a power of two, at most Go's 16 Ki entries) stays at most
         * a quarter full; only that part is cleared. Every code takes at most 12 bits and there is at
         * most one per input byte (plus the clear codes and EOF): two bytes per code is room enough, so
         * emitting needs no bounds check of its own.
         */
        void start(int inputLength) {
            int size = Math.min(TABLE_SIZE, Integer.highestOneBit(Math.max(16, inputLength)) * 4);
            Arrays.fill(table, 0, size, 0);
            mask = size - 1;
            long room = 2L * inputLength + 64;
            if (room > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("input too large to compress: " + inputLength + " bytes");
            }
            if (out.length < room) {
                out = new byte[(int) room];
            }
            len = 0;
            bits = 0;
            nBits = 0;
            width = LIT_WIDTH + 1;
            hi = EOF;
            overflow = 1 << (LIT_WIDTH + 1);
        }

        /** Lets go of an output buffer grown for a large input, before the encoder is kept. */
        void trim() {
            if (out.length > KEPT_OUTPUT_BYTES) {
                out = new byte[4096];
            }
        }

        void emit(int code) {
            bits |= (long) code << nBits;
            nBits += width;
            if (nBits >= 32) {
                byte[] o = out;
                int l = len;
                o[l] = (byte) bits;
                o[l + 1] = (byte) (bits >>> 8);
                o[l + 2] = (byte) (bits >>> 16);
                o[l + 3] = (byte) (bits >>> 24);
                len = l + 4;
                bits >>>= 32;
                nBits -= 32;
            }
        }

        /**
         * Advances the next free code after a code was emitted. Returns false when the table filled
         * up: a clear code has then been emitted and the dictionary reset, so nothing is inserted.
         */
        boolean incHi() {
            hi++;
            if (hi == overflow) {
                width++;
                overflow <<= 1;
            }
            if (hi == MAX_CODE) {
                emit(CLEAR);
                width = LIT_WIDTH + 1;
                hi = EOF;
                overflow = 1 << (LIT_WIDTH + 1);
                Arrays.fill(table, 0, mask + 1, 0);
                return false;
            }
            return true;
        }

        /** The whole bytes written plus the last partial one, LSB first, as a new array. */
        byte[] finish() {
            while (nBits > 0) {
                out[len++] = (byte) bits;
                bits >>>= 8;
                nBits -= 8;
            }
            return Arrays.copyOf(out, len);
        }
    }

    /** The decoder's dictionary (suffix byte and prefix code per entry) and its expansion stack. */
    private static final class DecoderTables {
        final byte[] suffix = new byte[1 << MAX_WIDTH];
        final short[] prefix = new short[1 << MAX_WIDTH];
        final byte[] stack = new byte[1 << MAX_WIDTH];
    }

    /**
     * Decompresses {@code in[off, off+len)}.
     *
     * @param maxOutput the most bytes the result may hold; more is an error, not an allocation
     * @throws DecodeException on an invalid code, a stream without EOF code, or output past {@code maxOutput}
     */
    public static byte[] decompress(byte[] in, int off, int len, int maxOutput) {
        try {
            return decompress(in, off, len, maxOutput, null);
        } catch (InputRefusedException e) {
            throw new IllegalStateException("no budget, no refusal", e);
        }
    }

    /** Memory the decoder holds besides its output: the dictionary and the expansion stack. */
    static final int DECODER_OVERHEAD = 4 << MAX_WIDTH;

    /**
     * {@link #decompress(byte[], int, int, int)} that reserves what it allocates before allocating
     * it: the dictionary, and the output as it grows (the copy discarded at each doubling too). It
     * never holds more output than it reserved.
     *
     * @param r when not null, grown by exactly the length of the result on return; on failure it
     *          holds what it held before
     * @throws InputRefusedException when {@code r}'s budget cannot cover the next piece of output
     */
    public static byte[] decompress(byte[] in, int off, int len, int maxOutput, InputBudget.Reservation r)
            throws InputRefusedException {
        Charge charge = new Charge(r);
        boolean ok = false;
        try {
            charge.add(DECODER_OVERHEAD);
            byte[] out = decode(in, off, len, maxOutput, charge);
            charge.remove(DECODER_OVERHEAD);
            ok = true;
            return out;
        } finally {
            if (!ok) {
                charge.undo();
            }
        }
    }

    /** What one decompression took from a reservation, so that a failure gives it all back. */
    private static final class Charge {
        private final InputBudget.Reservation r;
        private long held;

        Charge(InputBudget.Reservation r) {
            this.r = r;
        }

        void add(long n) throws InputRefusedException {
            if (r != null) {
                r.grow(n);
                held += n;
            }
        }

        void remove(long n) {
            if (r != null) {
                r.shrink(n);
                held -= n;
            }
        }

        void undo() {
            remove(held);
        }
    }

    private static byte[] decode(byte[] in, int off, int len, int maxOutput, Charge charge) throws InputRefusedException {
        if (off < 0 || len < 0 || off > in.length - len || maxOutput < 0) {
            throw new IllegalArgumentException("bad range " + off + "+" + len + " of " + in.length + ", max " + maxOutput);
        }
        final int end = off + len;
        int pos = off;
        // Each code takes at least 9 bits and adds at most one entry, and an expansion is never
        // longer than the entries before it: the stack need not be deeper than the input allows.
        // The tables come from the pool with a previous stream's entries: see "written" below.
        int tableSize = (int) Math.min(1 << MAX_WIDTH, EOF + 2 + len * 8L / (LIT_WIDTH + 1));
        DecoderTables t = DECODERS.take();
        if (t == null) {
            t = new DecoderTables();
        }
        try {
            return decode(in, pos, end, maxOutput, charge, t.suffix, t.prefix, t.stack, tableSize, off);
        } finally {
            DECODERS.give(t);
        }
    }

    private static byte[] decode(byte[] in, int pos, int end, int maxOutput, Charge charge, byte[] suffix,
            short[] prefix, byte[] stackTable, int stackSize, int off) throws InputRefusedException {
        int len = end - pos;
        long bits = 0;
        int nBits = 0;
        int width = LIT_WIDTH + 1;
        int hi = EOF;
        int overflow = 1 << width;
        int last = -1;
        byte[] stack = stackTable;
        int stackTop = stackSize; // the stack grows down from here; reaching 0 means a corrupt chain
        // The tables are reused: the highest entry this stream wrote. The only entry a stream can read
        // before writing it is hi itself (a code equal to hi right after the table filled up), which a
        // fresh table holds as zeros: it is zeroed here when this stream never wrote it.
        int written = EOF;
        // Start small and double as output appears: hostile input never gets a large buffer for free.
        int first = (int) Math.min(maxOutput, Math.max(64L, Math.min(len * 3L, 1 << 20)));
        charge.add(first);
        byte[] out = new byte[first];
        int o = 0;

        while (true) {
            while (nBits < width) {
                if (pos >= end) {
                    throw DecodeException.truncated("lzw stream ended before its EOF code", pos - off);
                }
                bits |= (long) (in[pos++] & 0xff) << nBits;
                nBits += 8;
            }
            int code = (int) (bits & ((1L << width) - 1));
            bits >>>= width;
            nBits -= width;

            if (code == CLEAR) {
                width = LIT_WIDTH + 1;
                hi = EOF;
                overflow = 1 << width;
                last = -1;
                continue;
            }
            if (code == EOF) {
                if (o == out.length) {
                    return out;
                }
                charge.add(o); // the exact copy, then the larger buffer is let go
                byte[] exact = Arrays.copyOf(out, o);
                charge.remove(out.length);
                return exact;
            }
            if (code > hi) {
                throw new DecodeException("lzw: invalid code " + code + " (next free " + hi + ")", pos - off);
            }
            // Expand the code right to left into the stack; prefix[c] < c, so the walk ends.
            int i = stackTop;
            int c = code;
            if (code >= CLEAR) {
                if (code == hi && last < 0 && hi > written) {
                    suffix[hi] = 0;
                    prefix[hi] = 0;
                    written = hi;
                }
                if (code == hi && last >= 0) {
                    // KwKwK: the last expansion followed by its own first byte.
                    int head = last;
                    while (head >= CLEAR) {
                        head = prefix[head];
                    }
                    stack[--i] = (byte) head;
                    c = last;
                }
                while (c >= CLEAR) {
                    if (i == 0) {
                        throw new DecodeException("lzw: corrupt dictionary chain", pos - off);
                    }
                    stack[--i] = suffix[c];
                    c = prefix[c];
                }
            }
            if (i == 0) {
                throw new DecodeException("lzw: corrupt dictionary chain", pos - off);
            }
            stack[--i] = (byte) c;
            int n = stackTop - i;
            if (n > maxOutput - o) {
                throw new DecodeException("lzw output exceeds the limit of " + maxOutput + " bytes", pos - off);
            }
            if (o + n > out.length) {
                int bigger = (int) Math.min(maxOutput, Math.max((long) out.length * 2, o + n));
                charge.add(bigger); // both copies exist until the old one is let go
                int old = out.length;
                out = Arrays.copyOf(out, bigger);
                charge.remove(old);
            }
            System.arraycopy(stack, i, out, o, n);
            o += n;
            if (last >= 0) {
                // The entry at hi is the previous expansion plus this expansion's first byte.
                suffix[hi] = (byte) c;
                prefix[hi] = (short) last;
                written = Math.max(written, hi);
            }
            last = code;
            hi++;
            if (hi >= overflow) {
                if (width == MAX_WIDTH) {
                    // Table full and no clear code yet: stop adding entries, as Go's reader does.
                    last = -1;
                    hi--;
                } else {
                    width++;
                    overflow <<= 1;
                }
            }
        }
    }
}
