package serf.agent.metrics;

import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * The process's thread count for the {@code runtime.num_goroutines} gauge: field 20 of
 * {@code /proc/self/stat}, read through one file kept open and re-read from its start each time (the
 * kernel renders the file anew on every read from offset 0). Platform threads only; a virtual thread
 * is not a kernel thread. Where there is no such file (not Linux), the JDK's estimate.
 *
 * <p>Why not {@code Files.readAllLines("/proc/self/status")}: under the image's interpreter
 * ({@code -Xint}) that cost about 0.3 ms of CPU per call, once a second, a sixth of an idle agent's
 * CPU; this costs about 10 µs (docs/benchmarks.md, "Idle CPU of the agent"). One reader per thread:
 * it is not thread-safe.
 */
final class ProcThreadCount implements AutoCloseable {
    /** The field of /proc/PID/stat that holds num_threads (1-based, as proc(5) counts). */
    private static final int NUM_THREADS_FIELD = 20;

    private final byte[] buffer = new byte[1024];
    private RandomAccessFile stat;

    private ProcThreadCount(RandomAccessFile stat) {
        this.stat = stat;
    }

    /** Opens {@code /proc/self/stat}, or falls back to the JDK's estimate when it cannot. */
    static ProcThreadCount open() {
        return open("/proc/self/stat");
    }

    /** For tests: another file in the format of /proc/PID/stat. */
    static ProcThreadCount open(String path) {
        try {
            return new ProcThreadCount(new RandomAccessFile(path, "r"));
        } catch (IOException | SecurityException e) {
            return new ProcThreadCount(null);
        }
    }

    /** {@return the number of threads now} */
    long read() {
        if (stat != null) {
            try {
                stat.seek(0);
                int n = stat.read(buffer);
                long v = n > 0 ? parse(buffer, n) : -1;
                if (v >= 0) {
                    return v;
                }
            } catch (IOException e) {
                // gone or unreadable: the estimate from now on
            }
            close();
        }
        return Thread.activeCount();
    }

    /**
     * Field 20 of a /proc/PID/stat line in {@code b[0..n)}, counted from after the last {@code ')'}
     * (the command name in field 2 may hold blanks and parentheses); -1 if the line is not of that form.
     */
    static long parse(byte[] b, int n) {
        int i = n - 1;
        while (i >= 0 && b[i] != ')') {
            i--;
        }
        if (i < 0) {
            return -1;
        }
        int field = 2;
        long value = -1;
        for (i++; i < n; i++) {
            byte c = b[i];
            if (c == ' ' || c == '\n') {
                if (field == NUM_THREADS_FIELD) {
                    return value;
                }
                field++;
            } else if (field == NUM_THREADS_FIELD) {
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
            }
        }
        return field == NUM_THREADS_FIELD ? value : -1;
    }

    @Override
    public void close() {
        if (stat != null) {
            try {
                stat.close();
            } catch (IOException e) {
                // nothing to do
            }
            stat = null;
        }
    }
}
