package serf.api;

/** A member's status as Serf sees it; {@link #code()} is Go's MemberStatus value (as in conflict responses). */
public enum MemberStatus {
    NONE(0, "none"), ALIVE(1, "alive"), LEAVING(2, "leaving"), LEFT(3, "left"), FAILED(4, "failed");

    private final int code;
    private final String text;

    MemberStatus(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The lower-case name Go prints ("alive", "failed", …). */
    @Override
    public String toString() {
        return text;
    }

    public static MemberStatus fromCode(int code) {
        for (MemberStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return NONE;
    }
}
