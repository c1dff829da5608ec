package serf.memberlist;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps hostile or broken peers from flooding the log: each kind of message is logged the first
 * time and then at most once per window, with a count of what was suppressed in between.
 */
final class LogLimiter {
    private static final long WINDOW_NANOS = 10_000_000_000L;

    private record Slot(AtomicLong windowStart, AtomicLong suppressed) {
    }

    private final System.Logger log;
    private final Clock clock;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    LogLimiter(System.Logger log) {
        this(log, Clock.system());
    }

    /** Windows in the node's time, so that a simulated node logs the same way in every run. */
    LogLimiter(System.Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Logs {@code message} under {@code kind} unless that kind was logged within the window. */
    void log(System.Logger.Level level, String kind, String message) {
        if (!log.isLoggable(level)) {
            return;
        }
        if (slots.size() > 1024) {
            slots.clear(); // bounded: kinds are a fixed set in practice, but never trust that
        }
        Slot slot = slots.computeIfAbsent(kind, k -> new Slot(new AtomicLong(clock.nanoTime() - WINDOW_NANOS), new AtomicLong()));
        long now = clock.nanoTime();
        long start = slot.windowStart().get();
        if (now - start >= WINDOW_NANOS && slot.windowStart().compareAndSet(start, now)) {
            long skipped = slot.suppressed().getAndSet(0);
            log.log(level, skipped == 0 ? message : message + " (" + skipped + " similar messages suppressed)");
        } else {
            slot.suppressed().incrementAndGet();
        }
    }
}
