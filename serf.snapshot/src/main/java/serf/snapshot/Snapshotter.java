package serf.snapshot;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import serf.snapshot.internal.BufferedAppender;
import serf.snapshot.internal.SnapshotFiles;
import serf.snapshot.internal.SnapshotReplay;
import serf.snapshot.internal.SnapshotWriter;
import serf.snapshot.internal.WriterMailbox;

/**
 * Go serf's snapshotter: on {@link #open} it replays the snapshot file ({@link #recovered()}),
 * then appends what it is told about ({@link #offer}, {@link #leave()}) in the Go agent's line
 * format, compacting the file when it grows past its size limit.
 *
 * <p>Threading: every method may be called from any thread. Events go through a bounded queue
 * to one virtual thread that owns the file. {@link #offer} never waits: when the queue is full
 * the event is dropped (Go drops there too). {@link #leave()} waits at most {@link #LEAVE_TIMEOUT}
 * and {@link #close()} at most {@link #SHUTDOWN_DRAIN_LIMIT} plus {@link #CLOSE_TIMEOUT}.
 *
 * <p>Durability: an appended line reaches the OS at once if the previous flush is older than the
 * flush interval, otherwise at the next clock tick (Go: with a later append, however late); the
 * event and query clock lines reach it at once (so a restarted node does not re-run handlers of
 * events it had handled). The file is synced on leave, on close and after a compaction. A machine
 * crash can lose the latest lines; a process crash (kill -9) loses at most one tick of member lines.
 *
 * <p>One deliberate difference from Go: if the file ends with an unterminated line (a crash
 * mid-write), {@link #open} truncates that fragment, which replay ignored anyway, so the next
 * line starts cleanly. Go appends straight after it, and the glued line later replays as a
 * bogus alive entry.
 */
public final class Snapshotter implements AutoCloseable {

    /** Longest {@link #leave()} waits for the leave line to be written and synced. */
    public static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);
    /** Go's {@code shutdownFlushTimeout}: how long close keeps recording queued events. */
    public static final Duration SHUTDOWN_DRAIN_LIMIT = Duration.ofMillis(250);
    /** Longest {@link #close()} waits, after the drain, for the final flush, sync and close. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Path path;
    private final Logger logger;
    private final RecoveredState recovered;
    private final WriterMailbox mailbox;
    private final Thread writerThread;
    private final AtomicLong droppedEvents = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Snapshotter(SnapshotConfig config, RecoveredState recovered, SnapshotWriter writer) {
        this.path = config.path();
        this.logger = config.logger();
        this.recovered = recovered;
        this.mailbox = new WriterMailbox(config.eventQueueCapacity());
        long tickNanos = config.clockUpdateInterval().toNanos();
        this.writerThread = Thread.ofVirtual()
                .name("serf-snapshot-writer " + path.getFileName())
                .unstarted(() -> runWriter(writer, tickNanos));
    }

    /**
     * Opens (creating it with mode 0644 if missing) and replays the snapshot file, then starts
     * the writer thread. Content never makes this fail; I/O errors do.
     *
     * @param config the file, limits and clock source
     * @return the running snapshotter, with what the file held in {@link #recovered()}
     * @throws IOException when the file cannot be opened, read or created
     */
    public static Snapshotter open(SnapshotConfig config) throws IOException {
        Path path = config.path();
        FileChannel channel = SnapshotFiles.open(path, Set.of(WRITE, APPEND, CREATE), SnapshotFiles.OPEN_MODE);
        Snapshotter snapshotter;
        try {
            SnapshotReplay.Result replay;
            try (InputStream in = Files.newInputStream(path)) {
                replay = SnapshotReplay.replay(in, config.rejoinAfterLeave(), config.maxLineLength(), config.logger());
            }
            long size = channel.size();
            if (size > replay.completeLength()) {
                channel.truncate(replay.completeLength());
                config.logger().log(Level.WARNING,
                        "Removed {0} bytes of an unterminated last line from the snapshot {1}",
                        size - replay.completeLength(), path);
            }
            SnapshotWriter writer = new SnapshotWriter(config, replay.state(), new BufferedAppender(channel),
                    channel.size());
            snapshotter = new Snapshotter(config, replay.state(), writer);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        snapshotter.writerThread.start();
        return snapshotter;
    }

    /**
     * Replays a snapshot file without opening it for writing.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @param path the snapshot file; a missing file is an empty state
     * @param rejoinAfterLeave whether alive nodes recorded before a {@code leave} line are kept (Go's RejoinAfterLeave)
     * @param logger where to log lines that cannot be parsed
     * @return what the file describes
     */
    public static RecoveredState recover(Path path, boolean rejoinAfterLeave, Logger logger) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return SnapshotReplay.replay(in, rejoinAfterLeave, SnapshotConfig.DEFAULT_MAX_LINE_LENGTH, logger).state();
        }
    }

    /** {@return what {@link #open} found in the file} */
    public RecoveredState recovered() {
        return recovered;
    }

    /** {@return the snapshot file this snapshotter writes} */
    public Path path() {
        return path;
    }

    /**
     * Hands an event to the writer thread without waiting.
     *
     * @return false if it was dropped: the queue was full, a leave was recorded, or this is closed
     * @param event the event to record
     */
    public boolean offer(SnapshotEvent event) {
        return switch (mailbox.offer(event)) {
            case ACCEPTED -> true;
            case REFUSED -> false;
            case DROPPED_FULL -> {
                long dropped = droppedEvents.incrementAndGet();
                if (Long.bitCount(dropped) == 1) {
                    logger.log(Level.WARNING, "Snapshot event queue full, event dropped ({0} dropped so far)", dropped);
                }
                yield false;
            }
        };
    }

    /**
     * Records a graceful leave (call it before the leave intent is sent): events already offered
     * are recorded first, later ones are not; the alive nodes are forgotten unless
     * rejoin-after-leave; {@code leave} is appended, flushed and synced. Clock lines are still
     * written afterwards (periodically and on close), as in Go.
     *
     * @return true once the leave line is written and synced; false after {@link #LEAVE_TIMEOUT},
     *     if closed, or if interrupted
     */
    public boolean leave() {
        if (!mailbox.requestLeave()) {
            return false;
        }
        try {
            return mailbox.awaitLeaveDone(LEAVE_TIMEOUT.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until every event accepted so far has been processed by the writer thread (lines
     * appended to the buffer, not necessarily flushed).
     *
     * @return false on timeout
     * @param timeout how long to wait at most
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return mailbox.awaitIdle(timeout.toNanos());
    }

    /**
     * Events dropped because the queue was full.
     *
     * @return the number of events dropped since the start
     */
    public long droppedEvents() {
        return droppedEvents.get();
    }

    /** {@return true while the writer thread runs} */
    public boolean isRunning() {
        return writerThread.isAlive();
    }

    /**
     * Stops: writes the clock once more, records queued events for at most
     * {@link #SHUTDOWN_DRAIN_LIMIT}, flushes, syncs and closes the file, and ends the writer
     * thread. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            mailbox.requestShutdown(System.nanoTime() + SHUTDOWN_DRAIN_LIMIT.toNanos());
        }
        try {
            if (!writerThread.join(SHUTDOWN_DRAIN_LIMIT.plus(CLOSE_TIMEOUT))) {
                logger.log(Level.WARNING, "Snapshot writer for {0} did not stop in time", path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Thread writerThread() {
        return writerThread;
    }

    private void runWriter(SnapshotWriter writer, long tickNanos) {
        long nextTick = System.nanoTime() + tickNanos;
        try {
            while (true) {
                WriterMailbox.Command command;
                try {
                    command = mailbox.next(nextTick);
                } catch (InterruptedException e) {
                    command = new WriterMailbox.Command.Shutdown(System.nanoTime());
                }
                switch (command) {
                    case WriterMailbox.Command.Record record -> writer.record(record.event());
                    case WriterMailbox.Command.Tick tick -> {
                        writer.tick();
                        nextTick = System.nanoTime() + tickNanos;
                    }
                    case WriterMailbox.Command.Leave leave -> {
                        writer.leave();
                        mailbox.markLeaveDone();
                    }
                    case WriterMailbox.Command.Shutdown shutdown -> {
                        writer.shutdown(mailbox, shutdown.deadlineNanos());
                        return;
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            logger.log(Level.ERROR, "Snapshot writer stopped by an unexpected failure", e);
            writer.closeFile();
        } finally {
            mailbox.markStopped();
        }
    }
}
