package serf.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    private final byte[] data;
    private final int start;
    private final int end;
    private final DecodeLimits limits;
    private int pos;

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
        this.data = data;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
        this.limits = limits;
    }

    /**
     * Offset of the next byte, relative to the start of the range this reader was given.
     *
     * @return the offset of the next byte to read
     */
    public int position() {
        return pos - start;
    }

    /** {@return how many bytes of the range are left} */
    public int remaining() {
        return end - pos;
    }

    /** {@return true while bytes are left} */
    public boolean hasRemaining() {
        return pos < end;
    }

    /** {@return the bounds this reader applies} */
    public DecodeLimits limits() {
        return limits;
    }

    /** {@return the bytes after the current position (e.g. the rest of a packet after a msgpack header)} */
    public byte[] remainingBytes() {
        return Arrays.copyOfRange(data, pos, end);
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
        need(n, "fixed bytes");
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** Fails unless every byte has been consumed. */
    public void expectEnd() {
        if (pos != end) {
            throw new DecodeException(remaining() + " unexpected trailing bytes", position());
        }
    }

    // ---- primitive access -------------------------------------------------------------------

    private void need(long n, String what) {
        if (n > end - pos) {
            throw DecodeException.truncated(what + " needs " + n + " bytes, " + (end - pos) + " left", position());
        }
    }

    private int u8() {
        need(1, "byte");
        return data[pos++] & 0xff;
    }

    private int u16() {
        need(2, "uint16");
        int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    private long u32() {
        need(4, "uint32");
        long v = ((long) (data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16)
                | ((data[pos + 2] & 0xff) << 8) | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    private long u64() {
        need(8, "uint64"); // all or nothing, so a truncation is reported at the operand's start
        long hi = u32();
        long lo = u32();
        return (hi << 32) | lo;
    }

    private DecodeException wrongType(String wanted, int lead, int at) {
        return new DecodeException("expected " + wanted + ", found " + MsgpackFormat.of(lead)
                + String.format(" (0x%02x)", lead), at - start);
    }

    /**
     * Format of the next value without consuming it.
     *
     * @return the family of the next value, without consuming it
     */
    public MsgpackFormat peekFormat() {
        need(1, "value");
        return MsgpackFormat.of(data[pos]);
    }

    /** {@return the lead byte of the next value without consuming it} */
    public int peekByte() {
        need(1, "value");
        return data[pos] & 0xff;
    }

    // ---- scalars ------------------------------------------------------------------------------

    /**
     * Consumes a nil if one is next.
     *
     * @return true (and the nil consumed) when the next value is nil
     */
    public boolean tryReadNil() {
        if (pos < end && (data[pos] & 0xff) == 0xc0) {
            pos++;
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
        int at = pos;
        int b = u8();
        if (b != 0xc0) {
            throw wrongType("nil", b, at);
        }
    }

    /** {@return a bool; like Go, fixint 0 and 1 are accepted as false and true, and nil as false} */
    public boolean readBool() {
        int at = pos;
        int b = u8();
        return switch (b) {
            case 0xc2, 0x00, 0xc0 -> false;
            case 0xc3, 0x01 -> true;
            default -> throw wrongType("bool", b, at);
        };
    }

    /**
     * Any integer form as a signed long. A uint64 above {@link Long#MAX_VALUE} is refused; nil
     * reads as 0 (Go leaves the field zero).
     *
     * @return the integer, whichever integer form carried it
     */
    public long readLong() {
        int at = pos;
        int b = u8();
        if (b <= 0x7f) {
            return b;
        }
        if (b >= 0xe0) {
            return (byte) b;
        }
        return switch (b) {
            case 0xc0 -> 0;
            case 0xcc -> u8();
            case 0xcd -> u16();
            case 0xce -> u32();
            case 0xcf -> {
                long v = u64();
                if (v < 0) {
                    throw new DecodeException("uint64 value overflows int64", at - start);
                }
                yield v;
            }
            case 0xd0 -> (byte) u8();
            case 0xd1 -> (short) u16();
            case 0xd2 -> (int) u32();
            case 0xd3 -> u64();
            default -> throw wrongType("integer", b, at);
        };
    }

    /** {@return a Go uint64: any non-negative integer; the result holds the unsigned bits} */
    public long readUint64() {
        int at = pos;
        if (pos < end && (data[pos] & 0xff) == 0xcf) {
            pos++;
            return u64();
        }
        long v = readLong();
        if (v < 0) {
            throw new DecodeException("negative value " + v + " for an unsigned field", at - start);
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
        int at = pos;
        long v = readLong();
        if (v < min || v > max) {
            throw new DecodeException("integer " + v + " outside [" + min + ", " + max + "]", at - start);
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
        int at = pos;
        int b = peekByte();
        if (b == 0xca) {
            pos++;
            return Float.intBitsToFloat((int) u32());
        }
        if (b == 0xcb) {
            pos++;
            return Double.longBitsToDouble(u64());
        }
        if (b == 0xcf) {
            // A uint64 beyond Long.MAX_VALUE is still a number; Go would wrap it negative, we keep its value.
            pos++;
            long v = u64();
            return v >= 0 ? v : Double.parseDouble(Long.toUnsignedString(v));
        }
        if (MsgpackFormat.of(b) == MsgpackFormat.INTEGER || b == 0xc0) {
            return readLong();
        }
        throw wrongType("float", b, at);
    }

    // ---- strings and bytes --------------------------------------------------------------------

    /** Length of a str/raw/bin header at the current position, or -1 for nil; consumes the header. */
    private int stringHeader(String wanted) {
        int at = pos;
        int b = u8();
        long n;
        if (b >= 0xa0 && b <= 0xbf) {
            n = b & 0x1f;
        } else {
            n = switch (b) {
                case 0xc0 -> -1;
                case 0xd9, 0xc4 -> u8();
                case 0xda, 0xc5 -> u16();
                case 0xdb, 0xc6 -> u32();
                default -> throw wrongType(wanted, b, at);
            };
        }
        if (n > limits.maxStringBytes()) {
            throw new DecodeException(wanted + " of " + n + " bytes exceeds the limit of " + limits.maxStringBytes(), at - start);
        }
        if (n > 0) {
            need(n, wanted);
        }
        return (int) n;
    }

    /** {@return a Go string: str, raw, str8 or bin; nil reads as ""} Invalid UTF-8 is replaced, never fatal. */
    public String readString() {
        int n = stringHeader("string");
        if (n <= 0) {
            return "";
        }
        String s = new String(data, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /**
     * {@link #readString()} through a cache: a string the cache holds comes back as the cached instance.
     *
     * @param cache the strings to reuse
     * @return the string, as {@link #readString()} reads it
     */
    public String readString(StringCache cache) {
        int n = stringHeader("string");
        if (n <= 0) {
            return "";
        }
        String s = cache.get(data, pos, n);
        pos += n;
        return s;
    }

    /**
     * {@return a Go []byte: raw, str or bin; nil reads as null, empty as a zero-length array} Like Go, an array
     * of integers 0..255 (nil elements read as 0) is accepted too ({@code Vsn} sent as an array).
     */
    public byte[] readBytes() {
        int at = pos;
        if (pos < end && MsgpackFormat.of(data[pos]) == MsgpackFormat.ARRAY) {
            int n = readArrayHeader();
            if (n > limits.maxStringBytes()) {
                throw new DecodeException("bytes of " + n + " elements exceed the limit of " + limits.maxStringBytes(), at - start);
            }
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) readUint8();
            }
            return out;
        }
        int n = stringHeader("bytes");
        if (n < 0) {
            return null;
        }
        if (n == 0) {
            return EMPTY.clone();
        }
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    // ---- collections --------------------------------------------------------------------------

    /** {@return number of elements of the array that follows, or -1 for nil (so a counting loop reads none)} */
    public int readArrayHeader() {
        int at = pos;
        int b = u8();
        long n;
        if (b >= 0x90 && b <= 0x9f) {
            n = b & 0x0f;
        } else {
            n = switch (b) {
                case 0xc0 -> -1;
                case 0xdc -> u16();
                case 0xdd -> u32();
                default -> throw wrongType("array", b, at);
            };
        }
        return checkCount(n, 1, "array", at);
    }

    /** {@return number of entries of the map that follows, or -1 for nil (so a counting loop reads none)} */
    public int readMapHeader() {
        int at = pos;
        int b = u8();
        long n;
        if (b >= 0x80 && b <= 0x8f) {
            n = b & 0x0f;
        } else {
            n = switch (b) {
                case 0xc0 -> -1;
                case 0xde -> u16();
                case 0xdf -> u32();
                default -> throw wrongType("map", b, at);
            };
        }
        return checkCount(n, 2, "map", at);
    }

    /** Every element needs at least one byte, so a count larger than what remains is a lie. */
    private int checkCount(long n, int minBytesEach, String what, int at) {
        if (n > limits.maxEntries()) {
            throw new DecodeException(what + " of " + n + " entries exceeds the limit of " + limits.maxEntries(), at - start);
        }
        if (n * minBytesEach > end - pos) {
            throw DecodeException.truncated(what + " of " + n + " entries", at - start);
        }
        return (int) n;
    }

    /** {@return an ext value (fixext or ext 8/16/32)} */
    public MsgValue.Ext readExt() {
        int n = extHeader();
        int type = data[pos - 1];
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return new MsgValue.Ext(type, out);
    }

    /** Consumes an ext header and its type byte; returns the payload length, already checked to be present. */
    private int extHeader() {
        int at = pos;
        int b = u8();
        long n = switch (b) {
            case 0xd4 -> 1;
            case 0xd5 -> 2;
            case 0xd6 -> 4;
            case 0xd7 -> 8;
            case 0xd8 -> 16;
            case 0xc7 -> u8();
            case 0xc8 -> u16();
            case 0xc9 -> u32();
            default -> throw wrongType("ext", b, at);
        };
        if (n > limits.maxStringBytes()) {
            throw new DecodeException("ext of " + n + " bytes exceeds the limit of " + limits.maxStringBytes(), at - start);
        }
        u8(); // the type byte
        need(n, "ext data");
        return (int) n;
    }

    // ---- whole values -------------------------------------------------------------------------

    /** Skips one complete value of any type, nested no deeper than the limit. */
    public void skip() {
        skip(0);
    }

    /** {@code depth} = number of arrays/maps around the value at the current position. */
    private void skip(int depth) {
        int b = peekByte();
        switch (MsgpackFormat.of(b)) {
            case NIL, BOOLEAN, INTEGER, FLOAT -> {
                int size = scalarSize(b);
                pos++; // then the operand, so a truncation is reported where readValue reports it
                need(size - 1, "scalar");
                pos += size - 1;
            }
            case STRING, BINARY -> {
                int n = stringHeader("string");
                pos += Math.max(n, 0);
            }
            case ARRAY -> {
                enter(depth);
                int n = readArrayHeader();
                for (int i = 0; i < n; i++) {
                    skip(depth + 1);
                }
            }
            case MAP -> {
                enter(depth);
                int n = readMapHeader();
                for (int i = 0; i < n; i++) {
                    skip(depth + 1);
                    skip(depth + 1);
                }
            }
            case EXTENSION -> {
                int n = extHeader(); // not "pos += extHeader()": that would add to the old pos
                pos += n;
            }
            case NEVER_USED -> throw new DecodeException("reserved byte 0xc1", position());
        }
    }

    /** Encoded size, lead byte included, of a nil, bool, integer or float. */
    private static int scalarSize(int lead) {
        return switch (lead) {
            case 0xcc, 0xd0 -> 2;
            case 0xcd, 0xd1 -> 3;
            case 0xca, 0xce, 0xd2 -> 5;
            case 0xcb, 0xcf, 0xd3 -> 9;
            default -> 1; // nil, bools, fixints
        };
    }

    /** Refuses to open one more array/map when {@code depth} of them already enclose it. */
    private void enter(int depth) {
        if (depth >= limits.maxDepth()) {
            throw new DecodeException("nesting deeper than " + limits.maxDepth(), position());
        }
    }

    /** {@return the encoded bytes of the next value, consumed (to pass a value through untouched)} */
    public byte[] readEncodedValue() {
        int from = pos;
        skip();
        return Arrays.copyOfRange(data, from, pos);
    }

    /** {@return the next value as a tree} */
    public MsgValue readValue() {
        return readValue(0);
    }

    private MsgValue readValue(int depth) {
        int b = peekByte();
        return switch (MsgpackFormat.of(b)) {
            case NIL -> {
                pos++;
                yield MsgValue.Nil.INSTANCE;
            }
            case BOOLEAN -> new MsgValue.Bool(readBool());
            case INTEGER -> {
                boolean unsigned = b <= 0x7f || (b >= 0xcc && b <= 0xcf);
                yield new MsgValue.Int(unsigned ? readUint64() : readLong(), unsigned);
            }
            case FLOAT -> new MsgValue.Float(readDouble(), b == 0xca);
            case STRING -> new MsgValue.Str(readBytes());
            case BINARY -> new MsgValue.Bin(readBytes());
            case ARRAY -> {
                enter(depth);
                int n = readArrayHeader();
                List<MsgValue> items = new ArrayList<>(Math.min(n, 64));
                for (int i = 0; i < n; i++) {
                    items.add(readValue(depth + 1));
                }
                yield new MsgValue.Array(items);
            }
            case MAP -> {
                enter(depth);
                int n = readMapHeader();
                List<MsgValue.Entry> entries = new ArrayList<>(Math.min(n, 64));
                for (int i = 0; i < n; i++) {
                    MsgValue k = readValue(depth + 1);
                    MsgValue v = readValue(depth + 1);
                    entries.add(new MsgValue.Entry(k, v));
                }
                yield new MsgValue.Map(entries);
            }
            case EXTENSION -> readExt();
            case NEVER_USED -> throw new DecodeException("reserved byte 0xc1", position());
        };
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
