package serf.memberlist;

/**
 * A message in a {@link TransmitLimitedQueue}, and its node in the queue's {@link BroadcastTree}.
 * {@code transmits}, {@code length} and {@code id} are the order's key and change only while the
 * item is out of the tree.
 */
final class QueuedBroadcast {
    int transmits;
    final int length;
    final long id;
    final Broadcast broadcast;
    /** Set for a {@link NamedBroadcast} with a non-empty name. */
    final String name;
    /** The treap's heap priority: a hash of the id. */
    final int priority;
    QueuedBroadcast left;
    QueuedBroadcast right;

    QueuedBroadcast(int transmits, long id, Broadcast broadcast, String name) {
        this.transmits = transmits;
        this.length = broadcast.message().length;
        this.id = id;
        this.broadcast = broadcast;
        this.name = name;
        this.priority = mix(id);
    }

    /** A 64-bit finalizer (as in SplitMix64), folded to an int. */
    private static int mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z = z ^ (z >>> 31);
        return (int) (z ^ (z >>> 32));
    }

    @Override
    public String toString() {
        return "QueuedBroadcast[transmits=" + transmits + ", length=" + length + ", id=" + id + "]";
    }
}
