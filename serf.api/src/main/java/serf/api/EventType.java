package serf.api;

/** The kinds of {@link Event}, with the names the agent and event handlers use. */
public enum EventType {
    MEMBER_JOIN("member-join"), MEMBER_LEAVE("member-leave"), MEMBER_FAILED("member-failed"),
    MEMBER_UPDATE("member-update"), MEMBER_REAP("member-reap"), USER("user"), QUERY("query");

    private final String text;

    EventType(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
