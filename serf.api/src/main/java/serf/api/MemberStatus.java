package serf.api;

/** A member's status as Serf sees it; {@link #code()} is Go's MemberStatus value (as in conflict responses). */
public enum MemberStatus {
    /** Not known (Go's {@code StatusNone}); also how the merge delegate sees nodes not yet members. */
    NONE(0, "none"),
    /** Alive. */
    ALIVE(1, "alive"),
    /** Announced a leave, not yet confirmed by memberlist. */
    LEAVING(2, "leaving"),
    /** Left gracefully. */
    LEFT(3, "left"),
    /** Stopped answering probes. */
    FAILED(4, "failed");

    private final int code;
    private final String text;

    MemberStatus(int code, String text) {
        this.code = code;
        this.text = text;
    }

    /** {@return Go's numeric value of this status} */
    public int code() {
        return code;
    }

    /** {@return the lower-case name Go prints ("alive", "failed", …)} */
    @Override
    public String toString() {
        return text;
    }

    /**
     * The status with Go's numeric value {@code code}.
     *
     * @param code Go's value, 0 to 4
     * @return the status, {@link #NONE} for an unknown value
     */
    public static MemberStatus fromCode(int code) {
        for (MemberStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return NONE;
    }
}
