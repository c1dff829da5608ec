package serf.memberlist.internal.msg;

/** The first byte of every memberlist message (docs/protocol/memberlist-wire.md §1.1). */
public enum MessageType {
    PING(0), INDIRECT_PING(1), ACK(2), SUSPECT(3), ALIVE(4), DEAD(5), PUSH_PULL(6), COMPOUND(7),
    USER(8), COMPRESS(9), ENCRYPT(10), NACK(11), HAS_CRC(12), ERR(13),
    /** memberlist ≥ 0.3 cluster label header ({@code f4 len label}); unknown to 0.2.2 peers. */
    HAS_LABEL(244);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a code, or null if the code is not a memberlist message type. */
    public static MessageType of(int code) {
        return BY_CODE[code & 0xff];
    }

    /** Indexed by wire code: looked up for every message received, so no values() copy per call. */
    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }
}
