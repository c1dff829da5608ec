package serf.wire;

import java.nio.charset.StandardCharsets;

/**
 * Decoded strings kept for reuse, for the strings a decoder meets over and over (struct field names,
 * node names): reading one that is cached returns the cached instance instead of a new string, so a
 * busy node does not allocate the same names for every message it decodes, and the instance it gets
 * has its hash code already computed. Lossy and bounded: a fixed table of slots indexed by the
 * string's hash, a newer string replacing an older one in its slot; only ASCII strings up to a length
 * are kept. Thread-safe: strings are immutable, so a slot read while another thread replaces it gives
 * either string.
 */
public final class StringCache {
    private final String[] slots;
    private final int mask;
    private final int maxLength;

    /**
     * A cache of {@code slots} entries (rounded up to a power of two) for strings of up to {@code maxLength} bytes.
     *
     * @param slots how many strings it can hold at most (1..65536 after rounding)
     * @param maxLength the longest string it keeps, in bytes
     * @throws IllegalArgumentException when {@code slots} is not in 1..65536 or {@code maxLength} is negative
     */
    public StringCache(int slots, int maxLength) {
        if (slots < 1 || slots > 65536 || maxLength < 0) {
            throw new IllegalArgumentException("slots " + slots + ", maxLength " + maxLength);
        }
        int size = Integer.highestOneBit(slots - 1 == 0 ? 1 : (slots - 1) << 1);
        this.slots = new String[size];
        this.mask = size - 1;
        this.maxLength = maxLength;
    }

    /**
     * The UTF-8 string in {@code data[off, off + n)}: the cached instance when there is one, else a new
     * string (cached if it is short ASCII).
     *
     * @param data the bytes
     * @param off where the string starts
     * @param n its length in bytes
     * @return the decoded string (invalid UTF-8 replaced, as {@link String#String(byte[], int, int, java.nio.charset.Charset)} does)
     */
    public String get(byte[] data, int off, int n) {
        if (n > maxLength) {
            return new String(data, off, n, StandardCharsets.UTF_8);
        }
        int h = 0;
        for (int i = off, end = off + n; i < end; i++) {
            byte b = data[i];
            if (b < 0) {
                return new String(data, off, n, StandardCharsets.UTF_8);
            }
            h = 31 * h + b; // String.hashCode of the same ASCII text
        }
        int slot = (h ^ (h >>> 16)) & mask;
        String s = slots[slot];
        if (s != null && s.length() == n && s.hashCode() == h && sameAscii(s, data, off, n)) {
            return s;
        }
        s = new String(data, off, n, StandardCharsets.ISO_8859_1);
        slots[slot] = s;
        return s;
    }

    private static boolean sameAscii(String s, byte[] data, int off, int n) {
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != data[off + i]) {
                return false;
            }
        }
        return true;
    }
}
