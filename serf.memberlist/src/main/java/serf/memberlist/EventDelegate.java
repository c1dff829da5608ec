package serf.memberlist;

/** Told about membership changes, in order, from memberlist's state machine (keep it quick). */
public interface EventDelegate {
    /**
     * A member joined (or was learned of and is alive).
     *
     * @param node the member
     */
    void notifyJoin(Node node);

    /**
     * A member left or was declared dead.
     *
     * @param node the member, in its new state
     */
    void notifyLeave(Node node);

    /**
     * A member's metadata (or address) changed.
     *
     * @param node the member, as it is now
     */
    void notifyUpdate(Node node);
}
