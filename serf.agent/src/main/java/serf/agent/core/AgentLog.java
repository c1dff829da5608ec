package serf.agent.core;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The agent's log: lines formatted as the Go agent writes them ({@code 2026/11/26 06:38:19 [INFO]
 * serf: …}), printed to the console (indented by four spaces like Go's agent output) when at or
 * above the configured level, kept in a ring of the last 512 lines for {@code monitor} to replay,
 * and handed to live monitors.
 *
 * <p>As in Go, the level filter applies to the console only: the ring and the monitors get every
 * line, so {@code serf monitor -log-level=debug} shows debug lines of an agent running at INFO.
 * Console output is gated until the start-up banner is printed ({@link #openGate()}), as Go's
 * GatedWriter holds log lines back until {@code ==> Log data will now stream in as it occurs}.
 */
public final class AgentLog {
    static final int RING_SIZE = 512;

    private final PrintStream console;
    private volatile LogLevel level;
    private volatile Stamp stamp = new Stamp(Long.MIN_VALUE, "");
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<String> ring = new ArrayDeque<>(RING_SIZE);
    private final List<Consumer<String>> monitors = new CopyOnWriteArrayList<>();
    /** Console lines held back until the gate opens; null once open. */
    private List<String> gated = new ArrayList<>();

    public AgentLog(PrintStream console, LogLevel level) {
        this.console = console;
        this.level = level;
    }

    public LogLevel level() {
        return level;
    }

    public void setLevel(LogLevel level) {
        this.level = level;
    }

    /** Logs one message at {@code lvl}: to the ring and monitors always, to the console at or above the level. */
    public void log(LogLevel lvl, String message) {
        line(timeStamp() + " [" + lvl + "] " + message, lvl.ordinal() >= level.ordinal());
    }

    /**
     * The time stamp of this second, formatted once per second: every line is formatted, debug lines
     * too (for the ring), and formatting a date costs ~0.1 ms under the interpreter, as much as
     * decoding the message the line is about.
     */
    private String timeStamp() {
        long second = Math.floorDiv(System.currentTimeMillis(), 1000);
        Stamp s = stamp;
        if (s.epochSecond() != second) {
            s = new Stamp(second, LogStamp.format(second, TimeZone.getDefault()));
            stamp = s;
        }
        return s.text();
    }

    private record Stamp(long epochSecond, String text) {
    }

    /** Records a complete line (already formatted), filtered for the console by its [LEVEL] tag. */
    void line(String line) {
        java.util.Optional<LogLevel> l = LogLevel.ofLine(line);
        line(line, l.isEmpty() || l.get().ordinal() >= level.ordinal());
    }

    private void line(String line, boolean toConsole) {
        // Monitors are fed under the lock (they only queue), so a monitor registering concurrently
        // gets each line exactly once: replayed or live. The lock is reentrant: a monitor may log.
        lock.lock();
        try {
            if (ring.size() == RING_SIZE) {
                ring.removeFirst();
            }
            ring.addLast(line);
            if (toConsole) {
                if (gated != null) {
                    gated.add(line);
                } else {
                    console.println("    " + line);
                }
            }
            for (Consumer<String> m : monitors) {
                m.accept(line);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Prints the lines held back during start-up; from now on lines go straight to the console. */
    public void openGate() {
        lock.lock();
        try {
            if (gated != null) {
                for (String l : gated) {
                    console.println("    " + l);
                }
                gated = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers a monitor: it first receives the buffered lines, then every new one, in order.
     * Returns a handle that unregisters it.
     */
    public Runnable addMonitor(Consumer<String> monitor) {
        lock.lock();
        try {
            for (String l : new ArrayList<>(ring)) {
                monitor.accept(l);
            }
            monitors.add(monitor);
        } finally {
            lock.unlock();
        }
        return () -> monitors.remove(monitor);
    }

    /** Console output that is not a log line (the "==> " banner lines). */
    public void info(String text) {
        lock.lock();
        try {
            console.println(text);
        } finally {
            lock.unlock();
        }
    }
}
