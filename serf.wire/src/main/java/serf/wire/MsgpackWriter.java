package serf.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes msgpack into a growable buffer, with the encoding choices of Go's go-msgpack 0.5.5:
 * integers in their smallest form (unsigned forms for non-negative values), nil for null byte
 * arrays, and strings/bytes as {@link StringEncoding} says. A Go struct is written as
 * {@link #writeMapHeader(int)} followed by key/value pairs whose keys are the Go field names in
 * ascending byte order ({@link #writeKey(String)}).
 *
 * <p>Not thread-safe; cheap to create. The buffer grows up to {@link #maxSize()} and refuses to grow
 * past it, so a runaway encoder cannot exhaust memory.
 */
public final class MsgpackWriter {
    private final StringEncoding encoding;
    private final int maxSize;
    private byte[] buf;
    private int len;

    /**
     * A writer with a small initial buffer and no size limit short of the array limit.
     *
     * @param encoding how strings and byte slices are written
     */
    public MsgpackWriter(StringEncoding encoding) {
        this(encoding, 64, Integer.MAX_VALUE - 16);
    }

    /**
     * A writer with a given buffer size and limit.
     *
     * @param encoding how strings and byte slices are written
     * @param initialCapacity the initial buffer size in bytes
     * @param maxSize the most bytes this writer may hold; writing beyond throws {@link IllegalStateException}
     */
    public MsgpackWriter(StringEncoding encoding, int initialCapacity, int maxSize) {
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        if (maxSize < 0) {
            throw new IllegalArgumentException("negative maxSize " + maxSize);
        }
        this.maxSize = maxSize;
        this.buf = new byte[Math.max(16, Math.min(initialCapacity, maxSize))];
    }

    /** {@return a writer in go-msgpack's default (memberlist/Serf gossip) mode} */
    public static MsgpackWriter gossip() {
        return new MsgpackWriter(StringEncoding.GOSSIP_RAW);
    }

    /** {@return a writer in the agent RPC mode (str8 and bin allowed)} */
    public static MsgpackWriter rpc() {
        return new MsgpackWriter(StringEncoding.RPC_STR_BIN);
    }

    /** {@return how this writer writes strings and byte slices} */
    public StringEncoding encoding() {
        return encoding;
    }

    /** {@return the most bytes this writer may hold} */
    public int maxSize() {
        return maxSize;
    }

    /** {@return number of bytes written so far} */
    public int size() {
        return len;
    }

    /** {@return a copy of the bytes written so far} */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Forgets everything written, keeping the buffer. */
    public void reset() {
        len = 0;
    }

    /** {@code more} is a long so that a header plus a payload near 2 GiB cannot overflow. */
    private void ensure(long more) {
        long need = len + more;
        if (need > maxSize) {
            throw new IllegalStateException("msgpack output would exceed " + maxSize + " bytes");
        }
        if (need > buf.length) {
            long grown = Math.max(need, (long) buf.length * 2);
            buf = Arrays.copyOf(buf, (int) Math.min(grown, maxSize));
        }
    }

    private void put(int b) {
        buf[len++] = (byte) b;
    }

    private void put16(int v) {
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void put32(int v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void put64(long v) {
        put32((int) (v >>> 32));
        put32((int) v);
    }

    /**
     * Appends bytes verbatim (already-encoded msgpack, or a type byte in front of a message).
     *
     * @param bytes the bytes, written as they are
     * @return this writer
     */
    public MsgpackWriter writeRaw(byte[] bytes) {
        return writeRaw(bytes, 0, bytes.length);
    }

    /**
     * Appends {@code n} bytes of {@code bytes} from {@code off} verbatim.
     *
     * @param bytes the source
     * @param off where to start in it
     * @param n how many bytes
     * @return this writer
     */
    public MsgpackWriter writeRaw(byte[] bytes, int off, int n) {
        Objects.checkFromIndexSize(off, n, bytes.length);
        ensure(n);
        System.arraycopy(bytes, off, buf, len, n);
        len += n;
        return this;
    }

    /**
     * Appends one byte verbatim (a message type byte).
     *
     * @param b the byte, 0 to 255
     * @return this writer
     */
    public MsgpackWriter writeByte(int b) {
        ensure(1);
        put(b);
        return this;
    }

    /**
     * Writes nil ({@code c0}).
     *
     * @return this writer
     */
    public MsgpackWriter writeNil() {
        ensure(1);
        put(0xc0);
        return this;
    }

    /**
     * Writes a boolean ({@code c2} or {@code c3}).
     *
     * @param v the value
     * @return this writer
     */
    public MsgpackWriter writeBool(boolean v) {
        ensure(1);
        put(v ? 0xc3 : 0xc2);
        return this;
    }

    /**
     * A signed integer in its smallest form; non-negative values use the unsigned forms
     * (fixint, cc, cd, ce, cf) as Go does for every integer type.
     *
     * @param v the value
     * @return this writer
     */
    public MsgpackWriter writeInt(long v) {
        ensure(9);
        if (v >= 0) {
            writeNonNegative(v);
        } else if (v >= -32) {
            put((int) v & 0xff);
        } else if (v >= Byte.MIN_VALUE) {
            put(0xd0);
            put((int) v);
        } else if (v >= Short.MIN_VALUE) {
            put(0xd1);
            put16((int) v);
        } else if (v >= Integer.MIN_VALUE) {
            put(0xd2);
            put32((int) v);
        } else {
            put(0xd3);
            put64(v);
        }
        return this;
    }

    /**
     * An unsigned 64-bit integer (Go uint64), {@code v} read as unsigned.
     *
     * @param v the value
     * @return this writer
     */
    public MsgpackWriter writeUint64(long v) {
        ensure(9);
        if (v < 0) {
            put(0xcf);
            put64(v);
        } else {
            writeNonNegative(v);
        }
        return this;
    }

    private void writeNonNegative(long v) {
        if (v <= 0x7f) {
            put((int) v);
        } else if (v <= 0xff) {
            put(0xcc);
            put((int) v);
        } else if (v <= 0xffff) {
            put(0xcd);
            put16((int) v);
        } else if (v <= 0xffffffffL) {
            put(0xce);
            put32((int) v);
        } else {
            put(0xcf);
            put64(v);
        }
    }

    /**
     * Writes a float32 ({@code ca}).
     *
     * @param v the value
     * @return this writer
     */
    public MsgpackWriter writeFloat32(float v) {
        ensure(5);
        put(0xca);
        put32(Float.floatToRawIntBits(v));
        return this;
    }

    /**
     * Writes a float64 ({@code cb}).
     *
     * @param v the value
     * @return this writer
     */
    public MsgpackWriter writeFloat64(double v) {
        ensure(9);
        put(0xcb);
        put64(Double.doubleToRawLongBits(v));
        return this;
    }

    /**
     * A Go {@code string}: null is written as the empty string, as Go has no null strings.
     *
     * @param s the string, null written as empty
     * @return this writer
     */
    public MsgpackWriter writeString(String s) {
        byte[] utf8 = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        return switch (encoding) {
            case GOSSIP_RAW -> writeRawFamily(utf8);
            case RPC_STR_BIN -> writeStr(utf8);
        };
    }

    /**
     * A struct field name: written like any Go string in this writer's encoding.
     *
     * @param fieldName the Go struct field name
     * @return this writer
     */
    public MsgpackWriter writeKey(String fieldName) {
        byte[] encoded = FieldNames.encoded(fieldName);
        if (encoded == null) {
            return writeString(fieldName);
        }
        ensure(4L + encoded.length); // as header() + payload() would: 5 + the name's bytes
        System.arraycopy(encoded, 0, buf, len, encoded.length);
        len += encoded.length;
        return this;
    }

    /**
     * A Go {@code []byte}: null is nil {@code c0}, empty is a zero-length raw/bin.
     *
     * @param b the bytes
     * @return this writer
     */
    public MsgpackWriter writeBytes(byte[] b) {
        if (b == null) {
            return writeNil();
        }
        return switch (encoding) {
            case GOSSIP_RAW -> writeRawFamily(b);
            case RPC_STR_BIN -> writeBin(b);
        };
    }

    /**
     * Old-spec raw: fixstr, raw16, raw32; never str8.
     *
     * @param b the bytes
     * @return this writer
     */
    public MsgpackWriter writeRawFamily(byte[] b) {
        return header(b.length, b.length, 0xa0, 32, NONE, 0xda, 0xdb).payload(b);
    }

    /**
     * New-spec str: fixstr, str8, str16, str32.
     *
     * @param utf8 the UTF-8 bytes of the string
     * @return this writer
     */
    public MsgpackWriter writeStr(byte[] utf8) {
        return header(utf8.length, utf8.length, 0xa0, 32, 0xd9, 0xda, 0xdb).payload(utf8);
    }

    /**
     * bin8, bin16, bin32.
     *
     * @param b the bytes
     * @return this writer
     */
    public MsgpackWriter writeBin(byte[] b) {
        return header(b.length, b.length, NONE, 0, 0xc4, 0xc5, 0xc6).payload(b);
    }

    /**
     * Writes an array header in its smallest form; the {@code n} elements follow.
     *
     * @param n the number of elements
     * @return this writer
     */
    public MsgpackWriter writeArrayHeader(int n) {
        checkCount(n);
        return header(n, 0, 0x90, 16, NONE, 0xdc, 0xdd);
    }

    /**
     * Writes a map header in its smallest form; {@code n} keys and values follow, alternating.
     *
     * @param n the number of entries
     * @return this writer
     */
    public MsgpackWriter writeMapHeader(int n) {
        checkCount(n);
        return header(n, 0, 0x80, 16, NONE, 0xde, 0xdf);
    }

    /** No such form in a {@link #header} family. */
    private static final int NONE = -1;

    /**
     * The smallest header of a length-prefixed family: the fix form (lead {@code fixBase | n}) below
     * {@code fixLimit}, else the 8-, 16- or 32-bit length form ({@link #NONE} where a family lacks one).
     * Room is reserved for {@code payloadBytes} following it (0 for array and map headers).
     */
    private MsgpackWriter header(int n, int payloadBytes, int fixBase, int fixLimit, int code8, int code16, int code32) {
        ensure(5 + (long) payloadBytes);
        if (fixBase != NONE && n < fixLimit) {
            put(fixBase | n);
        } else if (code8 != NONE && n <= 0xff) {
            put(code8);
            put(n);
        } else if (n <= 0xffff) {
            put(code16);
            put16(n);
        } else {
            put(code32);
            put32(n);
        }
        return this;
    }

    /** The bytes after a header written by {@link #header} (which reserved room for them). */
    private MsgpackWriter payload(byte[] b) {
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    /**
     * An extension value in the smallest fixext/ext form, as go-msgpack chooses it. {@code type} is
     * the signed ext type (-128..127); 128..255 are accepted as the same byte.
     *
     * @param type the extension type, -128 to 127
     * @param data the extension payload
     * @return this writer
     */
    public MsgpackWriter writeExt(int type, byte[] data) {
        if (type < Byte.MIN_VALUE || type > 0xff) {
            throw new IllegalArgumentException("ext type out of range: " + type);
        }
        int n = data.length;
        ensure(6 + (long) n);
        switch (n) {
            case 1 -> put(0xd4);
            case 2 -> put(0xd5);
            case 4 -> put(0xd6);
            case 8 -> put(0xd7);
            case 16 -> put(0xd8);
            default -> {
                if (n <= 0xff) {
                    put(0xc7);
                    put(n);
                } else if (n <= 0xffff) {
                    put(0xc8);
                    put16(n);
                } else {
                    put(0xc9);
                    put32(n);
                }
            }
        }
        put(type);
        System.arraycopy(data, 0, buf, len, n);
        len += n;
        return this;
    }

    /**
     * Writes a whole tree, faithfully: {@link MsgValue.Str} in this writer's string encoding (raw family
     * or str), {@link MsgValue.Bin} always as bin, integers in their smallest form (an unsigned
     * {@link MsgValue.Int} as a uint64), floats in the precision they carry, maps in their entry order.
     * So {@code reader.readValue()} gives back an equal tree, except that a non-negative signed
     * {@code Int} comes back flagged unsigned (Go's encoder makes the same choice). Iterative, so a
     * deep tree cannot overflow the stack.
     *
     * @param value the value to write
     * @return this writer
     */
    public MsgpackWriter writeValue(MsgValue value) {
        MsgValueTree.write(this, value);
        return this;
    }

    private static void checkCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative collection size " + n);
        }
    }
}
