package serf.snapshot;

import java.util.List;

/**
 * What the snapshotter records, one value per Serf event it sees. Every member event (of any
 * kind) also makes the snapshotter check the member clock and write a {@code clock:} line if it
 * advanced.
 */
public sealed interface SnapshotEvent {

    /**
     * A member-join event: one {@code alive:} line per member (no deduplication, as in Go).
     *
     * @param members the members that joined (or were alive at a push/pull)
     */
    record MemberJoin(List<KnownNode> members) implements SnapshotEvent {
        /** Copies the member list. */
        public MemberJoin {
            members = List.copyOf(members);
        }

        /**
         * {@return an event for these members}
         *
         * @param members the members that joined
         */
        public static MemberJoin of(KnownNode... members) {
            return new MemberJoin(List.of(members));
        }
    }

    /**
     * A member-leave or member-failed event: one {@code not-alive:} line per member name.
     *
     * @param names the names of the members that left or failed
     */
    record MemberGone(List<String> names) implements SnapshotEvent {
        /** Copies the name list. */
        public MemberGone {
            names = List.copyOf(names);
        }

        /**
         * {@return an event for these names}
         *
         * @param names the names of the members that left or failed
         */
        public static MemberGone of(String... names) {
            return new MemberGone(List.of(names));
        }
    }

    /** A member-update or member-reap event: no member line, only the clock check. */
    record MemberOther() implements SnapshotEvent {
    }

    /**
     * A user event: {@code event-clock:} when its LTime is above the last one recorded.
     *
     * @param lamportTime the event's Lamport time
     */
    record UserEvent(long lamportTime) implements SnapshotEvent {
    }

    /**
     * A delivered query: {@code query-clock:} when its LTime is above the last one recorded.
     *
     * @param lamportTime the query's Lamport time
     */
    record Query(long lamportTime) implements SnapshotEvent {
    }
}
