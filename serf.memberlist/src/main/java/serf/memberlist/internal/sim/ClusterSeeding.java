package serf.memberlist.internal.sim;

import java.util.List;
import java.util.Objects;
import serf.memberlist.Memberlist;

/**
 * For the simulator only (exported to {@code serf.sim} alone): seeding nodes with each other's state
 * as a cluster long past its joins would hold it. Memberlist opens the door when its class is
 * initialized; the state it reaches stays package-private to {@code serf.memberlist}.
 */
public final class ClusterSeeding {
    /** What memberlist lets the simulator do. */
    public interface Door {
        /**
         * {@return node {@code m}'s own state as a push/pull would carry it (opaque to the caller)}
         *
         * @param m a running node
         */
        Object selfState(Memberlist m);

        /**
         * Merges {@code states} (from {@link #selfState}) into {@code m} as a push/pull's states are merged
         * (its own among them changes nothing), without gossiping what they teach, then empties its
         * broadcast queue.
         *
         * @param m a running node
         * @param states other nodes' states
         */
        void learn(Memberlist m, List<Object> states);
    }

    private static volatile Door door;

    private ClusterSeeding() {
    }

    /**
     * Called once, by memberlist's own initialization.
     *
     * @param d the door
     */
    public static void open(Door d) {
        if (door != null) {
            throw new IllegalStateException("already open");
        }
        door = Objects.requireNonNull(d);
    }

    /** {@return the door; memberlist's class is initialized first so it is open} */
    public static Door door() {
        try {
            Class.forName(Memberlist.class.getName(), true, Memberlist.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return door;
    }
}
