package serf.hostile;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The LZW that memberlist's compress message carries (Go compress/lzw, LSB order, literal width 8;
 * docs/protocol/memberlist-wire.md §2.3), written here to build decompression bombs: a long run of
 * one byte compresses about 1,400:1 (a code per run one byte longer than the last, up to 4,095
 * codes between clears). The project's own Lzw is internal to serf.memberlist.
 */
final class LzwEncoder {
    private static final int CLEAR = 256;
    private static final int EOF = 257;
    private static final int MAX_CODE = 4095;

    /** Dictionary: (prefix code << 8 | next byte) to its code, 0 when absent. */
    private final int[] table = new int[(MAX_CODE + 1) << 8];
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long bits;
    private int bitCount;
    private int width = 9;
    private int hi = EOF;
    private int overflow = 1 << 9;

    private LzwEncoder() {
    }

    /** The LZW stream of {@code count} copies of {@code value}: the decompression bomb. */
    static byte[] run(int value, long count) {
        LzwEncoder e = new LzwEncoder();
        e.emit(CLEAR);
        int code = value & 0xff;
        for (long i = 1; i < count; i++) {
            code = e.next(code, value & 0xff);
        }
        return e.finish(count > 0 ? code : -1);
    }

    /** The LZW stream of {@code data}, as Go's writer makes it. */
    static byte[] encode(byte[] data) {
        LzwEncoder e = new LzwEncoder();
        e.emit(CLEAR);
        if (data.length == 0) {
            return e.finish(-1);
        }
        int code = data[0] & 0xff;
        for (int i = 1; i < data.length; i++) {
            code = e.next(code, data[i] & 0xff);
        }
        return e.finish(code);
    }

    /** Extends the current match by {@code literal}, or emits it and starts a new one. */
    private int next(int code, int literal) {
        int key = code << 8 | literal;
        if (table[key] != 0) {
            return table[key];
        }
        emit(code);
        if (incrementHi()) {
            table[key] = hi;
        }
        return literal;
    }

    /** Go's incHi: widen at 2^width, clear the dictionary at 4095; false when it cleared. */
    private boolean incrementHi() {
        hi++;
        if (hi == overflow) {
            width++;
            overflow <<= 1;
        }
        if (hi == MAX_CODE) {
            emit(CLEAR);
            width = 9;
            hi = EOF;
            overflow = 1 << 9;
            Arrays.fill(table, 0);
            return false;
        }
        return true;
    }

    private byte[] finish(int pending) {
        if (pending >= 0) {
            emit(pending);
            incrementHi();
        }
        emit(EOF);
        if (bitCount > 0) {
            out.write((int) bits);
        }
        return out.toByteArray();
    }

    private void emit(int code) {
        bits |= (long) code << bitCount;
        bitCount += width;
        while (bitCount >= 8) {
            out.write((int) bits);
            bits >>>= 8;
            bitCount -= 8;
        }
    }
}
