package serf.memberlist;

/** A member's state as memberlist sees it; {@link #code()} is the wire value in push/pull. */
public enum NodeState {
    ALIVE(0), SUSPECT(1), DEAD(2), LEFT(3);

    private final int code;

    NodeState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The state for a wire value; unknown values are treated as {@link #DEAD}, the safe reading. */
    public static NodeState fromCode(int code) {
        return switch (code) {
            case 0 -> ALIVE;
            case 1 -> SUSPECT;
            case 3 -> LEFT;
            default -> DEAD;
        };
    }
}
