package serf.wire;

import java.util.Arrays;

/**
 * The byte cursor under {@link MsgpackReader}: the range being read, the position in it, the
 * fixed-width operands and the container, string and ext headers, each checked against what remains
 * and against the {@link DecodeLimits}, and the skipping of whole values. {@link MsgpackReader} turns
 * this framing into typed Go values.
 */
final class MsgpackInput {
    final byte[] data;
    final int start;
    final int end;
    final DecodeLimits limits;
    int pos;

    MsgpackInput(byte[] data, int start, int end, DecodeLimits limits) {
        this.data = data;
        this.start = start;
        this.end = end;
        this.pos = start;
        this.limits = limits;
    }

    /** Offset of the next byte relative to the start of the range. */
    int position() {
        return pos - start;
    }

    /** Copies the next {@code n} bytes, already known to be present, and moves past them. */
    byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    // ---- operands ------------------------------------------------------------------------------

    void need(long n, String what) {
        if (n > end - pos) {
            throw DecodeException.truncated(what + " needs " + n + " bytes, " + (end - pos) + " left", position());
        }
    }

    int u8() {
        need(1, "byte");
        return data[pos++] & 0xff;
    }

    int u16() {
        need(2, "uint16");
        int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    long u32() {
        need(4, "uint32");
        long v = ((long) (data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16)
                | ((data[pos + 2] & 0xff) << 8) | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    long u64() {
        need(8, "uint64"); // all or nothing, so a truncation is reported at the operand's start
        long hi = u32();
        long lo = u32();
        return (hi << 32) | lo;
    }

    int peekByte() {
        need(1, "value");
        return data[pos] & 0xff;
    }

    /** True when a next byte exists and equals {@code lead}. */
    boolean nextIs(int lead) {
        return pos < end && (data[pos] & 0xff) == lead;
    }

    DecodeException wrongType(String wanted, int lead, int at) {
        return new DecodeException("expected " + wanted + ", found " + MsgpackFormat.of(lead)
                + String.format(" (0x%02x)", lead), at - start);
    }

    // ---- headers -------------------------------------------------------------------------------

    /** Length of a str/raw/bin header at the current position, or -1 for nil; consumes the header. */
    int stringHeader(String wanted) {
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

    /** Element count of an array header, or -1 for nil; consumes the header. */
    int arrayHeader() {
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

    /** Entry count of a map header, or -1 for nil; consumes the header. */
    int mapHeader() {
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

    /** Consumes an ext header and its type byte; returns the payload length, already checked to be present. */
    int extHeader() {
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

    // ---- whole values --------------------------------------------------------------------------

    /** Skips one complete value; {@code depth} = number of arrays/maps around it. */
    void skip(int depth) {
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
                int n = arrayHeader();
                for (int i = 0; i < n; i++) {
                    skip(depth + 1);
                }
            }
            case MAP -> {
                enter(depth);
                int n = mapHeader();
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
    void enter(int depth) {
        if (depth >= limits.maxDepth()) {
            throw new DecodeException("nesting deeper than " + limits.maxDepth(), position());
        }
    }
}
