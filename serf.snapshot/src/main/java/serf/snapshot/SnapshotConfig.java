package serf.snapshot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of a {@link Snapshotter}. Start from {@link #defaults} (Go serf 0.9.4's values) and
 * change what you need with the {@code with...} methods.
 *
 * @param path               the snapshot file
 * @param memberClock        the current member Lamport time (called from the writer thread; must
 *                           be thread-safe and must not block)
 * @param rejoinAfterLeave   keep the alive nodes (and ignore a recorded {@code leave}) so a node
 *                           rejoins after a graceful leave
 * @param minCompactSize     compaction threshold floor in bytes; the threshold is
 *                           {@code max(minCompactSize, aliveNodes × 128 × 2)}
 * @param eventQueueCapacity events waiting for the writer thread; beyond it events are dropped
 * @param flushInterval      an append flushes the buffer to the OS when this much time has passed
 *                           since the last flush
 * @param clockUpdateInterval how often the member clock is checked for a {@code clock:} line
 * @param maxLineLength      longest line (bytes, without {@code \n}) read on recovery or written;
 *                           longer lines are skipped with a warning
 * @param logger             where warnings go
 */
public record SnapshotConfig(
        Path path,
        LongSupplier memberClock,
        boolean rejoinAfterLeave,
        long minCompactSize,
        int eventQueueCapacity,
        Duration flushInterval,
        Duration clockUpdateInterval,
        int maxLineLength,
        System.Logger logger) {

    /** Go serf's {@code snapshotSizeLimit}: 128 KiB. */
    public static final long DEFAULT_MIN_COMPACT_SIZE = 128 * 1024;
    /** Go serf's {@code eventChSize}. */
    public static final int DEFAULT_EVENT_QUEUE_CAPACITY = 2048;
    /** Go serf's {@code flushInterval} and {@code clockUpdateInterval}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
    /**
     * Go reads lines of any length; real lines are far shorter (a node name must fit in a
     * memberlist UDP packet), so longer ones are junk.
     */
    public static final int DEFAULT_MAX_LINE_LENGTH = 8192;

    /**
     * Checks every setting.
     *
     * @throws IllegalArgumentException when a size, capacity or interval is out of range
     */
    public SnapshotConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(memberClock, "memberClock");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(clockUpdateInterval, "clockUpdateInterval");
        Objects.requireNonNull(logger, "logger");
        if (minCompactSize < 1) {
            throw new IllegalArgumentException("minCompactSize must be positive: " + minCompactSize);
        }
        if (eventQueueCapacity < 1 || eventQueueCapacity > 1 << 20) {
            throw new IllegalArgumentException("eventQueueCapacity out of 1..2^20: " + eventQueueCapacity);
        }
        if (flushInterval.isNegative()) {
            throw new IllegalArgumentException("flushInterval is negative");
        }
        if (clockUpdateInterval.isNegative() || clockUpdateInterval.isZero()) {
            throw new IllegalArgumentException("clockUpdateInterval must be positive");
        }
        if (maxLineLength < 64 || maxLineLength > 1 << 20) {
            throw new IllegalArgumentException("maxLineLength out of 64..2^20: " + maxLineLength);
        }
    }

    /**
     * Go serf 0.9.4's settings for a snapshot at {@code path}.
     *
     * @param path the snapshot file
     * @param memberClock reads the member Lamport clock for the periodic {@code clock=} lines
     * @return a configuration with Go's limits and intervals
     */
    public static SnapshotConfig defaults(Path path, LongSupplier memberClock) {
        return new SnapshotConfig(path, memberClock, false, DEFAULT_MIN_COMPACT_SIZE, DEFAULT_EVENT_QUEUE_CAPACITY,
                DEFAULT_INTERVAL, DEFAULT_INTERVAL, DEFAULT_MAX_LINE_LENGTH,
                System.getLogger(Snapshotter.class.getName()));
    }

    /**
     * {@return a copy with another {@code rejoinAfterLeave}} Go: {@code RejoinAfterLeave}; default false.
     *
     * @param value true to keep the alive nodes across a graceful leave
     */
    public SnapshotConfig withRejoinAfterLeave(boolean value) {
        return new SnapshotConfig(path, memberClock, value, minCompactSize, eventQueueCapacity, flushInterval,
                clockUpdateInterval, maxLineLength, logger);
    }

    /**
     * {@return a copy with another {@code minCompactSize}} Default {@link #DEFAULT_MIN_COMPACT_SIZE}.
     *
     * @param value the compaction threshold floor in bytes, at least 1
     */
    public SnapshotConfig withMinCompactSize(long value) {
        return new SnapshotConfig(path, memberClock, rejoinAfterLeave, value, eventQueueCapacity, flushInterval,
                clockUpdateInterval, maxLineLength, logger);
    }

    /**
     * {@return a copy with another {@code eventQueueCapacity}} Default {@link #DEFAULT_EVENT_QUEUE_CAPACITY}.
     *
     * @param value how many events may wait for the writer thread
     */
    public SnapshotConfig withEventQueueCapacity(int value) {
        return new SnapshotConfig(path, memberClock, rejoinAfterLeave, minCompactSize, value, flushInterval,
                clockUpdateInterval, maxLineLength, logger);
    }

    /**
     * {@return a copy with another {@code flushInterval}} Default {@link #DEFAULT_INTERVAL}.
     *
     * @param value the time between flushes of the append buffer
     */
    public SnapshotConfig withFlushInterval(Duration value) {
        return new SnapshotConfig(path, memberClock, rejoinAfterLeave, minCompactSize, eventQueueCapacity, value,
                clockUpdateInterval, maxLineLength, logger);
    }

    /**
     * {@return a copy with another {@code clockUpdateInterval}} Default {@link #DEFAULT_INTERVAL}.
     *
     * @param value how often the member clock is checked
     */
    public SnapshotConfig withClockUpdateInterval(Duration value) {
        return new SnapshotConfig(path, memberClock, rejoinAfterLeave, minCompactSize, eventQueueCapacity,
                flushInterval, value, maxLineLength, logger);
    }

    /**
     * {@return a copy with another {@code maxLineLength}} Default {@link #DEFAULT_MAX_LINE_LENGTH}.
     *
     * @param value the longest line in bytes, without the newline
     */
    public SnapshotConfig withMaxLineLength(int value) {
        return new SnapshotConfig(path, memberClock, rejoinAfterLeave, minCompactSize, eventQueueCapacity,
                flushInterval, clockUpdateInterval, value, logger);
    }

    /**
     * {@return a copy with another logger} Default: the logger named after {@link Snapshotter}.
     *
     * @param value where warnings go
     */
    public SnapshotConfig withLogger(System.Logger value) {
        return new SnapshotConfig(path, memberClock, rejoinAfterLeave, minCompactSize, eventQueueCapacity,
                flushInterval, clockUpdateInterval, maxLineLength, value);
    }
}
