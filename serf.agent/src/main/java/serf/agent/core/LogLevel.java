package serf.agent.core;

import java.util.Locale;
import java.util.Optional;

/** The agent's log levels, as Go's logutils names them; {@code [LEVEL]} tags in log lines. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERR;

    /** Parses a level name, any case ("warn", "ERR"); empty when unknown. */
    public static Optional<LogLevel> parse(String s) {
        try {
            return Optional.of(valueOf(s.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static LogLevel of(System.Logger.Level level) {
        return switch (level) {
            case ALL, TRACE -> TRACE;
            case DEBUG -> DEBUG;
            case INFO -> INFO;
            case WARNING -> WARN;
            case ERROR, OFF -> ERR;
        };
    }

    /**
     * The level a log line is filtered by: its {@code [LEVEL]} tag; lines without a known tag pass
     * every filter (logutils semantics).
     */
    static Optional<LogLevel> ofLine(String line) {
        int open = line.indexOf('[');
        int close = open < 0 ? -1 : line.indexOf(']', open);
        if (close < 0) {
            return Optional.empty();
        }
        return parse(line.substring(open + 1, close));
    }
}
