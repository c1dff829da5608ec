package serf.snapshot;

import java.util.List;

/**
 * What the snapshotter records, one value per Serf event it sees. Every member event (of any
 * kind) also makes the snapshotter check the member clock and write a {@code clock:} line if it
 * advanced.
 */
public sealed interface SnapshotEvent {

    /** A member-join event: one {@code alive:} line per member (no deduplication, as in Go). */
    record MemberJoin(List<KnownNode> members) implements SnapshotEvent {
        public MemberJoin {
            members = List.copyOf(members);
        }

        public static MemberJoin of(KnownNode... members) {
            return new MemberJoin(List.of(members));
        }
    }

    /** A member-leave or member-failed event: one {@code not-alive:} line per member name. */
    record MemberGone(List<String> names) implements SnapshotEvent {
        public MemberGone {
            names = List.copyOf(names);
        }

        public static MemberGone of(String... names) {
            return new MemberGone(List.of(names));
        }
    }

    /** A member-update or member-reap event: no member line, only the clock check. */
    record MemberOther() implements SnapshotEvent {
    }

    /** A user event: {@code event-clock:} when its LTime is above the last one recorded. */
    record UserEvent(long lamportTime) implements SnapshotEvent {
    }

    /** A delivered query: {@code query-clock:} when its LTime is above the last one recorded. */
    record Query(long lamportTime) implements SnapshotEvent {
    }
}
