package serf.wire;

/** The kind of the next msgpack value, as seen from its first byte. */
public enum MsgpackFormat {
    /** nil: {@code c0}. */
    NIL,
    /** false or true: {@code c2}, {@code c3}. */
    BOOLEAN,
    /** Any integer form: positive and negative fixint, {@code cc..d3}. */
    INTEGER,
    /** float32 or float64: {@code ca}, {@code cb}. */
    FLOAT,
    /** fixstr, str8/raw16/raw32: {@code a0..bf}, {@code d9..db} (the old spec's raw is a string here). */
    STRING,
    /** bin8/16/32: {@code c4..c6}. */
    BINARY,
    /** fixarray, array16, array32. */
    ARRAY,
    /** fixmap, map16, map32. */
    MAP,
    /** fixext and ext: {@code d4..d8}, {@code c7..c9}. */
    EXTENSION,
    /** {@code c1}, which msgpack never uses. */
    NEVER_USED;

    /**
     * Classifies a msgpack lead byte.
     *
     * @param lead the first byte of an encoded value, 0 to 255
     * @return the family that byte starts
     */
    public static MsgpackFormat of(int lead) {
        int b = lead & 0xff;
        if (b <= 0x7f || b >= 0xe0) {
            return INTEGER;
        }
        if (b <= 0x8f) {
            return MAP;
        }
        if (b <= 0x9f) {
            return ARRAY;
        }
        if (b <= 0xbf) {
            return STRING;
        }
        return switch (b) {
            case 0xc0 -> NIL;
            case 0xc2, 0xc3 -> BOOLEAN;
            case 0xc4, 0xc5, 0xc6 -> BINARY;
            case 0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> EXTENSION;
            case 0xca, 0xcb -> FLOAT;
            case 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3 -> INTEGER;
            case 0xd9, 0xda, 0xdb -> STRING;
            case 0xdc, 0xdd -> ARRAY;
            case 0xde, 0xdf -> MAP;
            default -> NEVER_USED; // 0xc1
        };
    }
}
