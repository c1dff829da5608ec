package serf.agent.syslog;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The syslog facilities {@code syslog_facility} may name (any case), with their codes: the list the
 * Go agent accepts. A message's priority is {@code code * 8 + severity}.
 */
public final class SyslogFacility {
    private static final List<String> NAMES = List.of("KERN", "USER", "MAIL", "DAEMON", "AUTH", "SYSLOG", "LPR",
            "NEWS", "UUCP", "CRON", "AUTHPRIV", "FTP");

    private SyslogFacility() {
    }

    /** The facility's code (KERN 0 … FTP 11, LOCAL0 16 … LOCAL7 23); empty for an unknown name. */
    public static Optional<Integer> code(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        int i = NAMES.indexOf(n);
        if (i >= 0) {
            return Optional.of(i);
        }
        if (n.length() == 6 && n.startsWith("LOCAL") && n.charAt(5) >= '0' && n.charAt(5) <= '7') {
            return Optional.of(16 + (n.charAt(5) - '0'));
        }
        return Optional.empty();
    }

    /**
     * The severity a log line is sent with, from its {@code [LEVEL]} tag as the Go agent maps it:
     * TRACE debug (7), DEBUG info (6), INFO notice (5), WARN warning (4), ERR error (3), CRIT
     * critical (2); a line without a known tag is a notice.
     */
    public static int severity(String level) {
        return switch (level) {
            case "TRACE" -> 7;
            case "DEBUG" -> 6;
            case "WARN" -> 4;
            case "ERR" -> 3;
            case "CRIT" -> 2;
            default -> 5;
        };
    }
}
