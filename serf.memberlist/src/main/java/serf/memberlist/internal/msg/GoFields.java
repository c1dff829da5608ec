package serf.memberlist.internal.msg;

import serf.wire.DecodeException;
import serf.wire.MsgpackReader;

/**
 * Reads msgpack values into Go-typed struct fields the way go-msgpack 0.5.5's default handle does
 * (docs/protocol/memberlist-wire.md §0.3, decoder table): strings from the raw/str family only (bin is refused,
 * as Go refuses it), byte slices from raw/str/bin or an array of small integers, integers of any
 * width when the value fits the Go type, bools from c2/c3 or fixint 0/1, nil as the zero value.
 * Structs come as maps keyed by field name (any order, unknown keys skipped) or, as Go also accepts,
 * as arrays in declaration order.
 */
final class GoFields {

    /** A struct being decoded: takes one field by name, or returns false to have the value skipped. */
    interface Struct {
        boolean set(String field, MsgpackReader r);
    }

    private GoFields() {
    }

    /**
     * Reads one struct value into {@code s}.
     *
     * @param declared the Go field names in declaration order, for the positional (array) form
     */
    static void readStruct(MsgpackReader r, String what, String[] declared, Struct s) {
        int at = r.position();
        int lead = r.peekByte();
        if (lead == 0xc0) {
            r.readNil();
            return;
        }
        if (isMap(lead)) {
            int n = r.readMapHeader();
            for (int i = 0; i < n; i++) {
                String key = string(r);
                if (!s.set(key, r)) {
                    r.skip();
                }
            }
        } else if (isArray(lead)) {
            int n = r.readArrayHeader();
            for (int i = 0; i < n; i++) {
                if (i >= declared.length || !s.set(declared[i], r)) {
                    r.skip();
                }
            }
        } else {
            throw new DecodeException(what + ": expected a map, found byte 0x" + Integer.toHexString(lead), at);
        }
    }

    private static boolean isMap(int b) {
        return (b >= 0x80 && b <= 0x8f) || b == 0xde || b == 0xdf;
    }

    private static boolean isArray(int b) {
        return (b >= 0x90 && b <= 0x9f) || b == 0xdc || b == 0xdd;
    }

    private static boolean isStr(int b) {
        return (b >= 0xa0 && b <= 0xbf) || b == 0xd9 || b == 0xda || b == 0xdb;
    }

    private static boolean isBin(int b) {
        return b == 0xc4 || b == 0xc5 || b == 0xc6;
    }

    /** A Go {@code string}: str/raw family or nil (""); bin is refused like Go refuses it. */
    static String string(MsgpackReader r) {
        int at = r.position();
        int lead = r.peekByte();
        if (lead == 0xc0) {
            r.readNil();
            return "";
        }
        if (!isStr(lead)) {
            throw new DecodeException("expected a string, found byte 0x" + Integer.toHexString(lead), at);
        }
        return r.readString(NAMES);
    }

    /**
     * Field and node names, shared by every decoder of the process: each message repeats its field
     * names and a cluster's few thousand node names, which would otherwise be new strings every time.
     */
    private static final serf.wire.StringCache NAMES = new serf.wire.StringCache(8192, 64);

    /** A Go {@code []byte}: str/raw, bin, nil (null) or an array of integers 0..255. */
    static byte[] bytes(MsgpackReader r) {
        int at = r.position();
        int lead = r.peekByte();
        if (lead == 0xc0) {
            r.readNil();
            return null;
        }
        if (isStr(lead) || isBin(lead)) {
            return r.readBytes();
        }
        if (isArray(lead)) {
            int n = r.readArrayHeader();
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) r.readLong(0, 0xff);
            }
            return out;
        }
        throw new DecodeException("expected bytes, found byte 0x" + Integer.toHexString(lead), at);
    }

    /** Go {@code uint32}. */
    static long uint32(MsgpackReader r) {
        return r.readLong(0, 0xffffffffL);
    }

    /** Go {@code uint16}. */
    static int uint16(MsgpackReader r) {
        return (int) r.readLong(0, 0xffff);
    }

    /** Go {@code uint8}. */
    static int uint8(MsgpackReader r) {
        return (int) r.readLong(0, 0xff);
    }

    /** Go {@code int} (64-bit on the platforms Serf runs on). */
    static long int64(MsgpackReader r) {
        return r.readLong();
    }

    /** Go {@code bool}: c2/c3, fixint 0/1, or nil. */
    static boolean bool(MsgpackReader r) {
        return r.readBool();
    }
}
