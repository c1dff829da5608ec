package serf.memberlist;

/** Told when another node claims a name already held by a live node at another address. */
@FunctionalInterface
public interface ConflictDelegate {
    void notifyConflict(Node existing, Node other);
}
