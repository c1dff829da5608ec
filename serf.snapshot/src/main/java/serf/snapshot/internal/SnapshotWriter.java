package serf.snapshot.internal;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import serf.snapshot.KnownNode;
import serf.snapshot.RecoveredState;
import serf.snapshot.SnapshotConfig;
import serf.snapshot.SnapshotEvent;
import serf.wire.AtomicFile;

/**
 * The snapshot state machine of Go serf's {@code Snapshotter.stream}: decides which lines to
 * append, when to flush, and when to compact. Confined to the single writer thread, so it holds
 * no locks.
 */
public final class SnapshotWriter {

    /** Go's {@code snapshotBytesPerNode}. */
    static final long BYTES_PER_NODE = 128;
    /** Go's {@code snapshotCompactionThreshold}. */
    static final long COMPACTION_FACTOR = 2;
    /** Go's {@code snapshotErrorRecoveryInterval}. */
    static final Duration ERROR_RECOVERY_INTERVAL = Duration.ofSeconds(30);

    private final Path path;
    private final LongSupplier memberClock;
    private final boolean rejoinAfterLeave;
    private final long minCompactSize;
    private final long flushIntervalNanos;
    private final int maxLineLength;
    private final Logger logger;

    private final Map<String, String> alive = new LinkedHashMap<>();
    private long lastClock;
    private long lastEventClock;
    private long lastQueryClock;
    private boolean leaving;

    /** Null only after a failed compaction could not reopen the file; appends then fail until one succeeds. */
    private BufferedAppender out;
    private long offset;
    private boolean flushedOnce;
    private long lastFlushNanos;
    private boolean compactionAttempted;
    private long lastAttemptedCompactionNanos;

    /**
     * @param out    the snapshot file, opened for append
     * @param offset its current size
     */
    public SnapshotWriter(SnapshotConfig config, RecoveredState recovered, BufferedAppender out, long offset) {
        this.path = config.path();
        this.memberClock = config.memberClock();
        this.rejoinAfterLeave = config.rejoinAfterLeave();
        this.minCompactSize = config.minCompactSize();
        this.flushIntervalNanos = config.flushInterval().toNanos();
        this.maxLineLength = config.maxLineLength();
        this.logger = config.logger();
        for (KnownNode node : recovered.aliveNodes()) {
            alive.put(node.name(), node.address());
        }
        this.lastClock = recovered.lastClock();
        this.lastEventClock = recovered.lastEventClock();
        this.lastQueryClock = recovered.lastQueryClock();
        this.out = out;
        this.offset = offset;
    }

    /** Records one event, unless a leave has been recorded (Go stops recording then). */
    public void record(SnapshotEvent event) {
        if (leaving) {
            return;
        }
        switch (event) {
            case SnapshotEvent.MemberJoin join -> {
                for (KnownNode member : join.members()) {
                    if (member.address().indexOf(' ') >= 0) {
                        logger.log(Level.WARNING, "Not recording node {0}: its address contains a space",
                                LogText.quote(member.toString()));
                        continue;
                    }
                    byte[] line = lineBytes(new SnapshotLine.Alive(member.name(), member.address()));
                    if (line != null) {
                        alive.put(member.name(), member.address());
                        tryAppend(line);
                    }
                }
                updateClock();
            }
            case SnapshotEvent.MemberGone gone -> {
                for (String name : gone.names()) {
                    alive.remove(name);
                    byte[] line = lineBytes(new SnapshotLine.NotAlive(name));
                    if (line != null) {
                        tryAppend(line);
                    }
                }
                updateClock();
            }
            case SnapshotEvent.MemberOther other -> updateClock();
            case SnapshotEvent.UserEvent user -> {
                if (Long.compareUnsigned(user.lamportTime(), lastEventClock) > 0) {
                    lastEventClock = user.lamportTime();
                    tryAppend(lineBytes(new SnapshotLine.EventClock(lastEventClock)), true);
                }
            }
            case SnapshotEvent.Query query -> {
                if (Long.compareUnsigned(query.lamportTime(), lastQueryClock) > 0) {
                    lastQueryClock = query.lamportTime();
                    tryAppend(lineBytes(new SnapshotLine.QueryClock(lastQueryClock)), true);
                }
            }
        }
    }

    /**
     * The periodic clock check, plus: lines still buffered reach the OS (Go leaves them buffered
     * until a later append, so a crash in a quiet period loses e.g. the last joined members).
     */
    public void tick() {
        updateClock();
        if (out != null && out.hasBuffered()) {
            try {
                out.flush();
                flushedOnce = true;
                lastFlushNanos = System.nanoTime();
            } catch (IOException e) {
                logger.log(Level.ERROR, "Failed to flush snapshot: " + e.getMessage());
            }
        }
    }

    /** Writes {@code clock: <member clock - 1>} if that is above the last value written. */
    public void updateClock() {
        long now;
        try {
            now = memberClock.getAsLong();
        } catch (RuntimeException e) {
            logger.log(Level.ERROR, "Member clock failed; clock not recorded", e);
            return;
        }
        // Go computes now - 1 unsigned, so a clock of 0 would be saved as 2^64-1; nothing to save instead.
        if (now == 0) {
            return;
        }
        long lastSeen = now - 1;
        if (Long.compareUnsigned(lastSeen, lastClock) > 0) {
            lastClock = lastSeen;
            tryAppend(lineBytes(new SnapshotLine.Clock(lastClock)));
        }
    }

    /** Graceful leave: stop recording events, forget the alive nodes (unless rejoin), append {@code leave}, sync. */
    public void leave() {
        leaving = true;
        if (!rejoinAfterLeave) {
            alive.clear();
        }
        tryAppend(lineBytes(new SnapshotLine.Leave()));
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                logger.log(Level.ERROR, "Failed to flush leave to snapshot: " + e.getMessage());
            }
            try {
                out.sync();
            } catch (IOException e) {
                logger.log(Level.ERROR, "Failed to sync leave to snapshot: " + e.getMessage());
            }
        }
    }

    /**
     * Shutdown: record the clock once more, record the events still queued until the deadline,
     * then flush, sync and close the file.
     */
    public void shutdown(WriterMailbox mailbox, long deadlineNanos) {
        updateClock();
        while (System.nanoTime() - deadlineNanos < 0) {
            SnapshotEvent event = mailbox.pollEvent();
            if (event == null) {
                break;
            }
            record(event);
        }
        if (mailbox.leavePending()) {
            leave();
            mailbox.markLeaveDone();
        }
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                logger.log(Level.ERROR, "Failed to flush snapshot: " + e.getMessage());
            }
            try {
                out.sync();
            } catch (IOException e) {
                logger.log(Level.ERROR, "Failed to sync snapshot: " + e.getMessage());
            }
        }
        closeFile();
    }

    /** Releases the file handle without writing anything more. */
    public void closeFile() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                logger.log(Level.WARNING, "Failed to close snapshot: " + e.getMessage());
            }
            out = null;
        }
    }

    /** The line's bytes, or null (with a warning) when it cannot be written safely. */
    private byte[] lineBytes(SnapshotLine line) {
        byte[] bytes = line.format().getBytes(StandardCharsets.UTF_8);
        int newline = -1;
        for (int i = 0; i < bytes.length - 1; i++) {
            if (bytes[i] == '\n') {
                newline = i;
                break;
            }
        }
        // A newline inside a name would forge extra lines; a line too long would be skipped on recovery.
        if (newline >= 0 || bytes.length - 1 > maxLineLength) {
            logger.log(Level.WARNING, "Not recording snapshot line (newline inside or longer than {0} bytes): {1}",
                    maxLineLength, LogText.quote(new String(bytes, StandardCharsets.UTF_8)));
            return null;
        }
        return bytes;
    }

    private void tryAppend(byte[] line) {
        tryAppend(line, false);
    }

    /**
     * Appends, and on failure tries (at most every 30 s) a compaction to recover, as Go does.
     * {@code flushNow}: the line reaches the OS at once, whatever the flush interval says. The event and
     * query clocks are written so: after a crash (kill -9) the restarted node ignores events at or
     * below the recovered clock, so a clock line left in the buffer makes it run the handlers of
     * events it had already handled (Go leaves it there until a later append; measured: 23 of 60
     * events re-run over 20 crashes). One write per new clock value, no fsync (a process crash keeps
     * what reached the OS).
     */
    private void tryAppend(byte[] line, boolean flushNow) {
        if (line == null) {
            return;
        }
        try {
            appendLine(line, flushNow);
        } catch (IOException e) {
            logger.log(Level.ERROR, "Failed to update snapshot: " + e.getMessage());
            long now = System.nanoTime();
            if (!compactionAttempted || now - lastAttemptedCompactionNanos > ERROR_RECOVERY_INTERVAL.toNanos()) {
                compactionAttempted = true;
                lastAttemptedCompactionNanos = now;
                logger.log(Level.INFO, "Attempting compaction to recover from error...");
                try {
                    compact();
                    logger.log(Level.INFO, "Finished compaction, successfully recovered from error state");
                } catch (IOException ce) {
                    logger.log(Level.ERROR, "Compaction failed, will reattempt after "
                            + ERROR_RECOVERY_INTERVAL.toSeconds() + "s: " + ce.getMessage());
                }
            }
        }
    }

    private void appendLine(byte[] line, boolean flushNow) throws IOException {
        if (out == null) {
            throw new IOException("snapshot file is not open");
        }
        out.write(line);
        long now = System.nanoTime();
        if (flushNow || !flushedOnce || now - lastFlushNanos > flushIntervalNanos) {
            flushedOnce = true;
            lastFlushNanos = now;
            out.flush();
        }
        offset += line.length;
        if (offset > maxSize()) {
            compact();
        }
    }

    /** {@code max(minCompactSize, alive nodes × 128 × 2)}. */
    long maxSize() {
        return Math.max(minCompactSize, alive.size() * BYTES_PER_NODE * COMPACTION_FACTOR);
    }

    /**
     * Writes the alive nodes and the three clocks to {@code <path>.compact}, syncs it, renames it
     * over the snapshot and syncs the directory. Go deletes the old file before renaming (for
     * Windows); an atomic rename over it leaves a valid snapshot at every instant. When it fails the
     * temporary file is removed.
     */
    void compact() throws IOException {
        Path temporary = SnapshotFiles.compactPath(path);
        long written = 0;
        boolean swapped = false;
        try {
            try (FileChannel channel = SnapshotFiles.open(temporary, Set.of(WRITE, CREATE, TRUNCATE_EXISTING),
                    SnapshotFiles.COMPACT_MODE)) {
                BufferedAppender compacted = new BufferedAppender(channel);
                for (Map.Entry<String, String> node : alive.entrySet()) {
                    written += writeTo(compacted, new SnapshotLine.Alive(node.getKey(), node.getValue()));
                }
                written += writeTo(compacted, new SnapshotLine.Clock(lastClock));
                written += writeTo(compacted, new SnapshotLine.EventClock(lastEventClock));
                written += writeTo(compacted, new SnapshotLine.QueryClock(lastQueryClock));
                compacted.flush();
                compacted.sync();
            }

            try {
                if (out != null) {
                    try {
                        out.flush();
                    } catch (IOException ignored) {
                        // The old file is being replaced; what it missed is in the compacted one.
                    }
                    closeFile();
                }
                // Rename over the snapshot, then fsync the directory so the rename survives a crash.
                AtomicFile.moveOver(temporary, path);
                swapped = true;
                out = new BufferedAppender(SnapshotFiles.open(path, Set.of(WRITE, APPEND, CREATE),
                        SnapshotFiles.COMPACT_MODE));
                offset = written;
                flushedOnce = true;
                lastFlushNanos = System.nanoTime();
            } finally {
                if (out == null) {
                    reopenAfterFailedSwap();
                }
            }
        } finally {
            if (!swapped) {
                // A half-written compaction is never left behind (the snapshot itself is untouched).
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    logger.log(Level.WARNING, "Failed to remove " + temporary + ": " + e.getMessage());
                }
            }
        }
    }

    private long writeTo(BufferedAppender target, SnapshotLine line) throws IOException {
        byte[] bytes = line.format().getBytes(StandardCharsets.UTF_8);
        target.write(bytes);
        return bytes.length;
    }

    /** Go would be left with no file handle here; we keep appending to whatever file is at the path. */
    private void reopenAfterFailedSwap() {
        try {
            FileChannel channel = SnapshotFiles.open(path, Set.of(WRITE, APPEND, CREATE), SnapshotFiles.OPEN_MODE);
            offset = channel.size();
            out = new BufferedAppender(channel);
        } catch (IOException e) {
            logger.log(Level.ERROR, "Failed to reopen snapshot after a failed compaction: " + e.getMessage());
        }
    }
}
