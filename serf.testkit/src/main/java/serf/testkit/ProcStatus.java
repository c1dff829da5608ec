package serf.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Memory and CPU of another process, read from Linux's /proc: peak resident set (VmHWM), current
 * resident set (VmRSS) and CPU time. Every reader returns empty once the process is gone (or on a
 * system without /proc), never throws.
 */
public final class ProcStatus {
    /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux we run on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcStatus() {
    }

    /** The process's peak resident set size so far (VmHWM), in KiB. */
    public static OptionalLong peakRssKb(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** The process's resident set size now (VmRSS), in KiB. */
    public static OptionalLong rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** User plus system CPU time the process has used so far, in milliseconds. */
    public static OptionalLong cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold blanks: count from its end.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return OptionalLong.of(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong statusField(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    String value = line.substring(key.length()).trim();
                    return OptionalLong.of(Long.parseLong(value.substring(0, value.indexOf(' '))));
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
