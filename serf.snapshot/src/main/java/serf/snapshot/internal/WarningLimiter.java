package serf.snapshot.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Logs the first warnings of a replay one by one and only counts the rest, so a file full of
 * junk cannot flood the log.
 */
final class WarningLimiter {

    private static final int LOGGED_INDIVIDUALLY = 32;

    private final Logger logger;
    private long count;

    WarningLimiter(Logger logger) {
        this.logger = logger;
    }

    void warn(String message) {
        count++;
        if (count <= LOGGED_INDIVIDUALLY) {
            logger.log(Level.WARNING, LogText.quote(message));
        }
    }

    long count() {
        return count;
    }

    void summarize() {
        if (count > LOGGED_INDIVIDUALLY) {
            logger.log(Level.WARNING, "{0} more snapshot line warnings not logged", count - LOGGED_INDIVIDUALLY);
        }
    }
}
