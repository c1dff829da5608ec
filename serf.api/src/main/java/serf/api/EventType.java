package serf.api;

/** The kinds of {@link Event}, with the names the agent and event handlers use. */
public enum EventType {
    /** Members joined, or came back alive. */
    MEMBER_JOIN("member-join"),
    /** Members left gracefully. */
    MEMBER_LEAVE("member-leave"),
    /** Members failed (stopped answering probes). */
    MEMBER_FAILED("member-failed"),
    /** Members changed their tags (or address). */
    MEMBER_UPDATE("member-update"),
    /** Failed or left members were forgotten after their timeout. */
    MEMBER_REAP("member-reap"),
    /** A user event ({@link Event.UserEvent}). */
    USER("user"),
    /** A query ({@link Query}). */
    QUERY("query");

    private final String text;

    EventType(String text) {
        this.text = text;
    }

    /** {@return the name the agent and event handlers use, e.g. {@code member-join}} */
    @Override
    public String toString() {
        return text;
    }
}
