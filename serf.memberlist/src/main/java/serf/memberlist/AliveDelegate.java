package serf.memberlist;

/** May veto an alive message about a node (e.g. wrong cluster). */
@FunctionalInterface
public interface AliveDelegate {
    /** Returns null to accept the node, or the reason to ignore the alive. */
    String notifyAlive(Node peer);
}
