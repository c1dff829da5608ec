package serf.memberlist;

/** Told when another node claims a name already held by a live node at another address. */
@FunctionalInterface
public interface ConflictDelegate {
    /**
     * Called when {@code other} claims the name of {@code existing} from another address; the claim is refused.
     *
     * @param existing the member as this node knows it
     * @param other the node that claims the same name
     */
    void notifyConflict(Node existing, Node other);
}
