package serf.agent.core;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The agent's log: lines formatted as the Go agent writes them ({@code 2026/11/26 06:38:19 [INFO]
 * serf: …}), filtered by the configured level, printed to the console (indented by four spaces
 * like Go's agent output), kept in a ring of the last 512 lines for {@code monitor} to replay,
 * and handed to live monitors.
 */
public final class AgentLog {
    static final int RING_SIZE = 512;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private final PrintStream console;
    private volatile LogLevel level;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<String> ring = new ArrayDeque<>(RING_SIZE);
    private final List<Consumer<String>> monitors = new CopyOnWriteArrayList<>();

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

    /** Logs one message at {@code lvl} (dropped below the configured level). */
    public void log(LogLevel lvl, String message) {
        if (lvl.ordinal() < level.ordinal()) {
            return;
        }
        line(TIME.format(LocalDateTime.now()) + " [" + lvl + "] " + message);
    }

    /** Records a complete line (already formatted). */
    void line(String line) {
        lock.lock();
        try {
            if (ring.size() == RING_SIZE) {
                ring.removeFirst();
            }
            ring.addLast(line);
            console.println("    " + line);
        } finally {
            lock.unlock();
        }
        for (Consumer<String> m : monitors) {
            m.accept(line);
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
