package serf.memberlist;

/** Told about membership changes, in order, from memberlist's state machine (keep it quick). */
public interface EventDelegate {
    void notifyJoin(Node node);

    void notifyLeave(Node node);

    void notifyUpdate(Node node);
}
