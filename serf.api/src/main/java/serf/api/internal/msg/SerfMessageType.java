package serf.api.internal.msg;

/** The first byte of every Serf message (docs/protocol/serf-messages.md §3). */
public enum SerfMessageType {
    LEAVE(0), JOIN(1), PUSH_PULL(2), USER_EVENT(3), QUERY(4), QUERY_RESPONSE(5), CONFLICT_RESPONSE(6),
    KEY_REQUEST(7), KEY_RESPONSE(8), RELAY(9);

    private final int code;

    SerfMessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a code, or null if unknown. */
    public static SerfMessageType of(int code) {
        int c = code & 0xff;
        SerfMessageType[] all = values();
        return c < all.length ? all[c] : null;
    }
}
