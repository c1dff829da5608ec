package serf.memberlist;

/** May veto an alive message about a node (e.g. wrong cluster). */
@FunctionalInterface
public interface AliveDelegate {
    /**
     * {@return null to accept the node, or the reason to ignore the alive}
     *
     * @param peer the node the alive message is about
     */
    String notifyAlive(Node peer);
}
