package serf.memberlist;

/** A member's state as memberlist sees it; {@link #code()} is the wire value in push/pull. */
public enum NodeState {
    /** Answers probes (or has not been found failing yet). */
    ALIVE(0),
    /** Missed a probe; declared dead unless it refutes the suspicion in time. */
    SUSPECT(1),
    /** Declared failed. */
    DEAD(2),
    /** Left the cluster gracefully. */
    LEFT(3);

    private final int code;

    NodeState(int code) {
        this.code = code;
    }

    /** {@return the state's number on the wire} */
    public int code() {
        return code;
    }

    /**
     * {@return the state for a wire value; unknown values are treated as {@link #DEAD}, the safe reading}
     *
     * @param code the state's number on the wire
     */
    public static NodeState fromCode(int code) {
        return switch (code) {
            case 0 -> ALIVE;
            case 1 -> SUSPECT;
            case 3 -> LEFT;
            default -> DEAD;
        };
    }
}
