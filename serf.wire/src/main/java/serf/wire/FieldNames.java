package serf.wire;

/**
 * The encoded form of the Go struct field names {@link MsgpackWriter#writeKey(String)} has written:
 * a short ASCII name is a fixstr in both encodings, and encoding it again for every struct (a member
 * list of 128 entries writes 1,400 names) was over a third of an RPC reply's CPU under the
 * interpreter, where the JDK's per-character loops run as bytecode. A fixed table indexed by the
 * name's hash, first come first kept; an entry is an immutable record, so a slot written by one
 * thread and read by another without a lock is either null or whole (final fields), which at worst
 * costs a miss.
 */
final class FieldNames {
    private FieldNames() {
    }

    private static final int SLOTS = 512;
    private static final Entry[] TABLE = new Entry[SLOTS];

    private record Entry(String name, byte[] encoded) {
    }

    /** The fixstr bytes of the name (shared: not to be changed), or null for a name that is long or not ASCII. */
    static byte[] encoded(String name) {
        if (name == null) {
            return null;
        }
        int slot = name.hashCode() & (SLOTS - 1);
        Entry e = TABLE[slot];
        if (e != null && (e.name == name || e.name.equals(name))) {
            return e.encoded;
        }
        int n = name.length();
        if (n >= 32) {
            return null;
        }
        byte[] b = new byte[n + 1];
        b[0] = (byte) (0xa0 | n);
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            b[i + 1] = (byte) c;
        }
        if (e == null) {
            TABLE[slot] = new Entry(name, b);
        }
        return b;
    }
}
