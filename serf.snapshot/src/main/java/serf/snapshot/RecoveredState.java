package serf.snapshot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What replaying a snapshot file found.
 *
 * <p>Lamport times are unsigned 64-bit values held in {@code long}s (compare them with
 * {@link Long#compareUnsigned}). Go serf restores its clocks from them like this: the member
 * clock witnesses {@code lastClock} (so it becomes {@code lastClock + 1} when that is at least 1),
 * the event and query clocks likewise, and user events / queries with an LTime at or below
 * {@code lastEventClock} / {@code lastQueryClock} are never delivered again.
 *
 * @param aliveNodes     nodes last known alive, to rejoin, in the order of their first {@code alive:}
 *                       line (Go shuffles them before rejoining: see {@link #shuffledAliveNodes})
 * @param lastClock      last {@code clock:} value (the member clock minus one), 0 if none
 * @param lastEventClock last {@code event-clock:} value, 0 if none
 * @param lastQueryClock last {@code query-clock:} value, 0 if none
 * @param lastCoordinate text of the last {@code coordinate:} line, if any; Go 0.9.4 ignores it
 * @param leaveRecorded  a {@code leave} line was found. Unless rejoin-after-leave was set it
 *                       cleared the alive nodes and reset the three clocks to 0 (lines after it
 *                       still apply); with rejoin-after-leave it was ignored.
 * @param skippedLines   lines skipped with a warning (unrecognized, unparsable, too long)
 * @param tornTailBytes  length of an unterminated last line (a crash mid-write), which is ignored
 */
public record RecoveredState(
        List<KnownNode> aliveNodes,
        long lastClock,
        long lastEventClock,
        long lastQueryClock,
        Optional<String> lastCoordinate,
        boolean leaveRecorded,
        long skippedLines,
        long tornTailBytes) {

    /** The state of a missing or empty file. */
    public static final RecoveredState EMPTY =
            new RecoveredState(List.of(), 0, 0, 0, Optional.empty(), false, 0, 0);

    /** Copies the node list and checks {@code lastCoordinate} is not null. */
    public RecoveredState {
        aliveNodes = List.copyOf(aliveNodes);
        Objects.requireNonNull(lastCoordinate, "lastCoordinate");
    }

    /**
     * {@return the alive nodes in random order, as Go serf tries them when it rejoins}
     *
     * @param random the source of the shuffle
     */
    public List<KnownNode> shuffledAliveNodes(RandomGenerator random) {
        List<KnownNode> copy = new ArrayList<>(aliveNodes);
        for (int i = copy.size() - 1; i > 0; i--) {
            Collections.swap(copy, i, random.nextInt(i + 1));
        }
        return copy;
    }
}
