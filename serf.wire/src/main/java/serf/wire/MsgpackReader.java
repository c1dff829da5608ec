package serf.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads msgpack from a byte range, accepting everything go-msgpack accepts: any integer width or
 * sign for integer fields, str/str8/raw and bin for strings and byte slices, nil for any string,
 * byte slice, array or map. Every length is checked against the bytes that remain and against
 * {@link DecodeLimits} before anything is allocated, and every failure is a {@link DecodeException}
 * carrying the offset.
 *
 * <p>A Go struct is read as a map keyed by field name:
 * <pre>{@code
 * int n = r.readMapHeader();
 * for (int i = 0; i < n; i++) {
 *     switch (r.readString()) {
 *         case "SeqNo" -> seq = r.readUint32();
 *         case "Node" -> node = r.readString();
 *         default -> r.skip();          // unknown keys are skipped, as Go does
 *     }
 * }
 * }</pre>
 *
 * <p>Deliberate differences from go-msgpack 0.5.5, all on input no Go encoder produces:
 * <ul>
 *   <li>bin is accepted for a Go {@code string} (Go's default handle refuses it; the RPC side needs it);</li>
 *   <li>a {@code cf} integer above {@link Long#MAX_VALUE} is refused for signed fields (Go wraps it to a
 *       negative int64) and read as its unsigned value by {@link #readDouble()};</li>
 *   <li>Go's container-length decoding matches fixstr/fixarray/fixmap by bit mask, so it takes e.g. a
 *       negative fixint {@code e1} as a 65-byte string; such bytes are refused here;</li>
 *   <li>a {@code []byte} is not read from a map (Go fills a byte slice from keys and values alternately).</li>
 * </ul>
 * Not thread-safe.
 */
public final class MsgpackReader {
    private static final byte[] EMPTY = new byte[0];

    private final MsgpackInput in;

    /**
     * A reader of the whole array with {@link DecodeLimits#DEFAULT}.
     *
     * @param data the input; not copied, so it must not change while read
     */
    public MsgpackReader(byte[] data) {
        this(data, 0, data.length, DecodeLimits.DEFAULT);
    }

    /**
     * A reader of the whole array.
     *
     * @param data the input; not copied, so it must not change while read
     * @param limits the bounds to apply
     */
    public MsgpackReader(byte[] data, DecodeLimits limits) {
        this(data, 0, data.length, limits);
    }

    /**
     * A reader of {@code data[offset, offset + length)}.
     *
     * @param data the input; not copied, so it must not change while read
     * @param offset where the range starts
     * @param length the range's length
     * @param limits the bounds to apply
     * @throws IllegalArgumentException when the range is outside the array
     */
    public MsgpackReader(byte[] data, int offset, int length, DecodeLimits limits) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(limits, "limits");
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + data.length);
        }
        this.in = new MsgpackInput(data, offset, offset + length, limits);
    }

    /**
     * Offset of the next byte, relative to the start of the range this reader was given.
     *
     * @return the offset of the next byte to read
     */
    public int position() {
        return in.position();
    }

    /** {@return how many bytes of the range are left} */
    public int remaining() {
        return in.end - in.pos;
    }

    /** {@return true while bytes are left} */
    public boolean hasRemaining() {
        return in.pos < in.end;
    }

    /** {@return the bounds this reader applies} */
    public DecodeLimits limits() {
        return in.limits;
    }

    /** {@return the bytes after the current position (e.g. the rest of a packet after a msgpack header)} */
    public byte[] remainingBytes() {
        return Arrays.copyOfRange(in.data, in.pos, in.end);
    }

    /**
     * Consumes exactly {@code n} raw bytes (not msgpack-framed).
     *
     * @param n how many bytes
     * @return a copy of the next {@code n} bytes
     */
    public byte[] readFixed(int n) {
        if (n < 0) {
            throw new DecodeException("negative length " + n, position());
        }
        in.need(n, "fixed bytes");
        return in.take(n);
    }

    /** Fails unless every byte has been consumed. */
    public void expectEnd() {
        if (in.pos != in.end) {
            throw new DecodeException(remaining() + " unexpected trailing bytes", position());
        }
    }

    /**
     * Format of the next value without consuming it.
     *
     * @return the family of the next value, without consuming it
     */
    public MsgpackFormat peekFormat() {
        in.need(1, "value");
        return MsgpackFormat.of(in.data[in.pos]);
    }

    /** {@return the lead byte of the next value without consuming it} */
    public int peekByte() {
        return in.peekByte();
    }

    // ---- scalars ------------------------------------------------------------------------------

    /**
     * Consumes a nil if one is next.
     *
     * @return true (and the nil consumed) when the next value is nil
     */
    public boolean tryReadNil() {
        if (in.nextIs(0xc0)) {
            in.pos++;
            return true;
        }
        return false;
    }

    /**
     * Reads a nil.
     *
     * @throws DecodeException when the next value is something else
     */
    public void readNil() {
        int at = in.pos;
        int b = in.u8();
        if (b != 0xc0) {
            throw in.wrongType("nil", b, at);
        }
    }

    /** {@return a bool; like Go, fixint 0 and 1 are accepted as false and true, and nil as false} */
    public boolean readBool() {
        int at = in.pos;
        int b = in.u8();
        return switch (b) {
            case 0xc2, 0x00, 0xc0 -> false;
            case 0xc3, 0x01 -> true;
            default -> throw in.wrongType("bool", b, at);
        };
    }

    /**
     * Any integer form as a signed long. A uint64 above {@link Long#MAX_VALUE} is refused; nil
     * reads as 0 (Go leaves the field zero).
     *
     * @return the integer, whichever integer form carried it
     */
    public long readLong() {
        int at = in.pos;
        int b = in.u8();
        if (b <= 0x7f) {
            return b;
        }
        if (b >= 0xe0) {
            return (byte) b;
        }
        return switch (b) {
            case 0xc0 -> 0;
            case 0xcc -> in.u8();
            case 0xcd -> in.u16();
            case 0xce -> in.u32();
            case 0xcf -> {
                long v = in.u64();
                if (v < 0) {
                    throw new DecodeException("uint64 value overflows int64", at - in.start);
                }
                yield v;
            }
            case 0xd0 -> (byte) in.u8();
            case 0xd1 -> (short) in.u16();
            case 0xd2 -> (int) in.u32();
            case 0xd3 -> in.u64();
            default -> throw in.wrongType("integer", b, at);
        };
    }

    /** {@return a Go uint64: any non-negative integer; the result holds the unsigned bits} */
    public long readUint64() {
        int at = in.pos;
        if (in.nextIs(0xcf)) {
            in.pos++;
            return in.u64();
        }
        long v = readLong();
        if (v < 0) {
            throw new DecodeException("negative value " + v + " for an unsigned field", at - in.start);
        }
        return v;
    }

    /**
     * {@return an integer that must lie in {@code [min, max]}}
     *
     * @param min the smallest value accepted
     * @param max the largest value accepted
     */
    public long readLong(long min, long max) {
        int at = in.pos;
        long v = readLong();
        if (v < min || v > max) {
            throw new DecodeException("integer " + v + " outside [" + min + ", " + max + "]", at - in.start);
        }
        return v;
    }

    /**
     * {@return an integer that must fit in an {@code int}}
     *
     * @throws DecodeException when it is not an integer or out of range
     */
    public int readInt() {
        return (int) readLong(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /**
     * {@return an integer from 0 to 255 (Go uint8)}
     *
     * @throws DecodeException when it is not an integer or out of range
     */
    public int readUint8() {
        return (int) readLong(0, 0xff);
    }

    /**
     * {@return an integer from 0 to 65535 (Go uint16)}
     *
     * @throws DecodeException when it is not an integer or out of range
     */
    public int readUint16() {
        return (int) readLong(0, 0xffff);
    }

    /**
     * {@return an integer from 0 to 2^32 - 1 (Go uint32)}
     *
     * @throws DecodeException when it is not an integer or out of range
     */
    public long readUint32() {
        return readLong(0, 0xffffffffL);
    }

    /**
     * float32 or float64 (integers are accepted too, as numbers).
     *
     * @return the number, widened to double when it was a float32
     */
    public double readDouble() {
        int at = in.pos;
        int b = peekByte();
        if (b == 0xca) {
            in.pos++;
            return Float.intBitsToFloat((int) in.u32());
        }
        if (b == 0xcb) {
            in.pos++;
            return Double.longBitsToDouble(in.u64());
        }
        if (b == 0xcf) {
            // A uint64 beyond Long.MAX_VALUE is still a number; Go would wrap it negative, we keep its value.
            in.pos++;
            long v = in.u64();
            return v >= 0 ? v : Double.parseDouble(Long.toUnsignedString(v));
        }
        if (MsgpackFormat.of(b) == MsgpackFormat.INTEGER || b == 0xc0) {
            return readLong();
        }
        throw in.wrongType("float", b, at);
    }

    // ---- strings and bytes --------------------------------------------------------------------

    /** {@return a Go string: str, raw, str8 or bin; nil reads as ""} Invalid UTF-8 is replaced, never fatal. */
    public String readString() {
        int n = in.stringHeader("string");
        if (n <= 0) {
            return "";
        }
        String s = new String(in.data, in.pos, n, StandardCharsets.UTF_8);
        in.pos += n;
        return s;
    }

    /**
     * {@link #readString()} through a cache: a string the cache holds comes back as the cached instance.
     *
     * @param cache the strings to reuse
     * @return the string, as {@link #readString()} reads it
     */
    public String readString(StringCache cache) {
        int n = in.stringHeader("string");
        if (n <= 0) {
            return "";
        }
        String s = cache.get(in.data, in.pos, n);
        in.pos += n;
        return s;
    }

    /**
     * {@return a Go []byte: raw, str or bin; nil reads as null, empty as a zero-length array} Like Go, an array
     * of integers 0..255 (nil elements read as 0) is accepted too ({@code Vsn} sent as an array).
     */
    public byte[] readBytes() {
        int at = in.pos;
        if (in.pos < in.end && MsgpackFormat.of(in.data[in.pos]) == MsgpackFormat.ARRAY) {
            int n = readArrayHeader();
            if (n > in.limits.maxStringBytes()) {
                throw new DecodeException("bytes of " + n + " elements exceed the limit of " + in.limits.maxStringBytes(), at - in.start);
            }
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) readUint8();
            }
            return out;
        }
        int n = in.stringHeader("bytes");
        if (n < 0) {
            return null;
        }
        if (n == 0) {
            return EMPTY.clone();
        }
        return in.take(n);
    }

    // ---- collections --------------------------------------------------------------------------

    /** {@return number of elements of the array that follows, or -1 for nil (so a counting loop reads none)} */
    public int readArrayHeader() {
        return in.arrayHeader();
    }

    /** {@return number of entries of the map that follows, or -1 for nil (so a counting loop reads none)} */
    public int readMapHeader() {
        return in.mapHeader();
    }

    /** {@return an ext value (fixext or ext 8/16/32)} */
    public MsgValue.Ext readExt() {
        int n = in.extHeader();
        int type = in.data[in.pos - 1];
        return new MsgValue.Ext(type, in.take(n));
    }

    // ---- whole values -------------------------------------------------------------------------

    /** Skips one complete value of any type, nested no deeper than the limit. */
    public void skip() {
        in.skip(0);
    }

    /** {@return the encoded bytes of the next value, consumed (to pass a value through untouched)} */
    public byte[] readEncodedValue() {
        int from = in.pos;
        skip();
        return Arrays.copyOfRange(in.data, from, in.pos);
    }

    /** {@return the next value as a tree} */
    public MsgValue readValue() {
        return MsgValueTree.read(this, in, 0);
    }

    /**
     * Length of the first complete msgpack value in {@code buf[off, off+len)}, or -1 when the bytes
     * end before it does (a streaming reader then waits for more). Malformed input still throws.
     *
     * @param buf the input
     * @param off where the value starts
     * @param len how many bytes of input are available
     * @param limits the nesting and length bounds
     * @return the encoded value's length in bytes
     */
    public static int measure(byte[] buf, int off, int len, DecodeLimits limits) {
        MsgpackReader r = new MsgpackReader(buf, off, len, limits);
        try {
            r.skip();
            return r.position();
        } catch (DecodeException e) {
            if (e.isTruncated()) {
                return -1;
            }
            throw e;
        }
    }
}
