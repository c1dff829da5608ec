package serf.snapshot.internal;

import java.util.OptionalLong;

/**
 * One line of a snapshot file, without its terminating {@code \n}: parsed with the same prefix
 * rules, in the same order, as Go serf's replay, and formatted byte for byte as Go serf writes it.
 */
public sealed interface SnapshotLine {

    /** {@code alive: <name> <addr>}: the address is the text after the last space. */
    record Alive(String name, String address) implements SnapshotLine {
    }

    /** {@code not-alive: <name>}. */
    record NotAlive(String name) implements SnapshotLine {
    }

    /** {@code clock: <n>}, the member Lamport clock minus one. */
    record Clock(long value) implements SnapshotLine {
    }

    /** {@code event-clock: <n>}. */
    record EventClock(long value) implements SnapshotLine {
    }

    /** {@code query-clock: <n>}. */
    record QueryClock(long value) implements SnapshotLine {
    }

    /** {@code coordinate: <text>}: written by Serf before 0.8; ignored by Go 0.9.4 on replay. */
    record Coordinate(String text) implements SnapshotLine {
    }

    /** {@code leave}. */
    record Leave() implements SnapshotLine {
    }

    /** {@code #...}. */
    record Comment(String text) implements SnapshotLine {
    }

    /** A line Go would skip with a warning; {@code warning} is the text Go would log. */
    record Malformed(String warning) implements SnapshotLine {
    }

    String ALIVE = "alive: ";
    String NOT_ALIVE = "not-alive: ";
    String CLOCK = "clock: ";
    String EVENT_CLOCK = "event-clock: ";
    String QUERY_CLOCK = "query-clock: ";
    String COORDINATE = "coordinate: ";
    String LEAVE = "leave";
    String COMMENT = "#";

    /** Parses one line (without the {@code \n}) the way Go serf 0.9.4's replay does. */
    static SnapshotLine parse(String line) {
        if (line.startsWith(ALIVE)) {
            String info = line.substring(ALIVE.length());
            int space = info.lastIndexOf(' ');
            if (space < 0) {
                return new Malformed("Failed to parse address: " + line);
            }
            return new Alive(info.substring(0, space), info.substring(space + 1));
        }
        if (line.startsWith(NOT_ALIVE)) {
            return new NotAlive(line.substring(NOT_ALIVE.length()));
        }
        if (line.startsWith(CLOCK)) {
            OptionalLong value = UnsignedDecimal.parse(line.substring(CLOCK.length()));
            return value.isPresent() ? new Clock(value.getAsLong())
                    : badNumber("clock", line.substring(CLOCK.length()));
        }
        if (line.startsWith(EVENT_CLOCK)) {
            OptionalLong value = UnsignedDecimal.parse(line.substring(EVENT_CLOCK.length()));
            return value.isPresent() ? new EventClock(value.getAsLong())
                    : badNumber("event clock", line.substring(EVENT_CLOCK.length()));
        }
        if (line.startsWith(QUERY_CLOCK)) {
            OptionalLong value = UnsignedDecimal.parse(line.substring(QUERY_CLOCK.length()));
            return value.isPresent() ? new QueryClock(value.getAsLong())
                    : badNumber("query clock", line.substring(QUERY_CLOCK.length()));
        }
        if (line.startsWith(COORDINATE)) {
            return new Coordinate(line.substring(COORDINATE.length()));
        }
        if (line.equals(LEAVE)) {
            return new Leave();
        }
        if (line.startsWith(COMMENT)) {
            return new Comment(line.substring(COMMENT.length()));
        }
        return new Malformed("Unrecognized snapshot line: " + line);
    }

    /** The warning Go logs, including strconv's error text. */
    private static Malformed badNumber(String what, String text) {
        boolean digitsOnly = !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
        String reason = digitsOnly ? "value out of range" : "invalid syntax";
        return new Malformed("Failed to convert " + what + " time: strconv.ParseUint: parsing \"" + text + "\": "
                + reason);
    }

    /** The line as Go writes it, with its terminating {@code \n}. */
    default String format() {
        return switch (this) {
            case Alive a -> ALIVE + a.name() + " " + a.address() + "\n";
            case NotAlive n -> NOT_ALIVE + n.name() + "\n";
            case Clock c -> CLOCK + UnsignedDecimal.format(c.value()) + "\n";
            case EventClock c -> EVENT_CLOCK + UnsignedDecimal.format(c.value()) + "\n";
            case QueryClock c -> QUERY_CLOCK + UnsignedDecimal.format(c.value()) + "\n";
            case Coordinate c -> COORDINATE + c.text() + "\n";
            case Leave l -> LEAVE + "\n";
            case Comment c -> COMMENT + c.text() + "\n";
            case Malformed m -> throw new IllegalStateException("a malformed line is never written");
        };
    }
}
