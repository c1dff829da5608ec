package serf.agent.core;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.ResourceBundle;
import java.util.concurrent.locks.ReentrantLock;
import serf.snapshot.Snapshotter;

/**
 * The Lamport time of the last user event whose handlers have finished, kept beside the snapshot
 * ({@code <snapshot>.handled}), so that a restart after a crash neither runs a handled event again
 * nor loses one that was received but not yet handled.
 *
 * <p>Why: the snapshot records an event's clock when Serf emits it, before the handler scripts run
 * (as Go does), and on restart events at or below that clock are ignored. Events still queued for the
 * scripts when the process dies would therefore never run. {@link #open} compares the two before Serf
 * reads the snapshot: when fewer events were handled than recorded, it appends
 * {@code event-clock: <handled>} to the snapshot (the last such line wins, in Go's format too), so the
 * events after it are accepted again when the node rejoins and its peers' event buffers are merged.
 * At most the event whose handler was running at the crash runs twice.
 *
 * <p>One small write (no fsync) per handled user event: a process crash keeps what the OS has.
 */
final class HandledEventClock implements AutoCloseable {
    static final String SUFFIX = ".handled";
    /** 20 digits (any unsigned 64-bit value) and a newline, always written whole at offset 0. */
    private static final int RECORD = 21;

    private final Path path;
    private final FileChannel channel;
    private final AgentLog log;
    private final ReentrantLock lock = new ReentrantLock();
    private long last;
    private boolean failing;
    private boolean closed;

    private HandledEventClock(Path path, FileChannel channel, AgentLog log, long last) {
        this.path = path;
        this.channel = channel;
        this.log = log;
        this.last = last;
    }

    static Path pathFor(Path snapshot) {
        return snapshot.resolveSibling(snapshot.getFileName() + SUFFIX);
    }

    /**
     * Sets the snapshot's event clock back to the last handled event when that is lower (call it
     * before Serf opens the snapshot), then opens the record for writing.
     */
    static HandledEventClock open(Path snapshot, boolean rejoinAfterLeave, AgentLog log) throws IOException {
        Path path = pathFor(snapshot);
        OptionalLong handled = read(path, log);
        long effective = 0;
        if (Files.exists(snapshot)) {
            long recorded = Snapshotter.recover(snapshot, rejoinAfterLeave, QUIET).lastEventClock();
            effective = recorded;
            if (handled.isPresent() && Long.compareUnsigned(handled.getAsLong(), recorded) < 0) {
                setBack(snapshot, handled.getAsLong());
                effective = handled.getAsLong();
                log.log(LogLevel.INFO, "agent: Snapshot event clock set back from " + Long.toUnsignedString(recorded)
                        + " to " + Long.toUnsignedString(effective) + ", the last event whose handlers finished: later"
                        + " events are taken again when the node rejoins");
            }
        }
        FileChannel channel = FileChannel.open(path, CREATE, READ, WRITE);
        HandledEventClock clock = new HandledEventClock(path, channel, log, effective);
        clock.write(effective);
        return clock;
    }

    /** The handlers of the user event at {@code lTime} have finished (or it matched none). */
    void handled(long lTime) {
        lock.lock();
        try {
            if (closed || Long.compareUnsigned(lTime, last) <= 0) {
                return;
            }
            last = lTime;
            write(lTime);
        } finally {
            lock.unlock();
        }
    }

    long last() {
        lock.lock();
        try {
            return last;
        } finally {
            lock.unlock();
        }
    }

    private void write(long value) {
        String text = String.format("%20s\n", Long.toUnsignedString(value)).replace(' ', '0');
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        try {
            long at = 0;
            while (buf.hasRemaining()) {
                at += channel.write(buf, at);
            }
            if (channel.size() > RECORD) {
                channel.truncate(RECORD);
            }
            if (failing) {
                failing = false;
                log.log(LogLevel.INFO, "agent: Recording handled events in " + path + " works again");
            }
        } catch (IOException e) {
            if (!failing) { // once per run of failures
                failing = true;
                log.log(LogLevel.ERR, "agent: Failed to record handled event in " + path + ": " + e.getMessage());
            }
        }
    }

    /** The recorded value; empty when there is none or it cannot be read (then nothing is set back). */
    static OptionalLong read(Path path, AgentLog log) {
        if (!Files.exists(path)) {
            return OptionalLong.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(path.toRealPath());
            if (bytes.length > RECORD) {
                throw new NumberFormatException("longer than " + RECORD + " bytes");
            }
            return OptionalLong.of(Long.parseUnsignedLong(new String(bytes, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            log.log(LogLevel.WARN, "agent: Ignoring unreadable " + path + ": " + e.getMessage());
            return OptionalLong.empty();
        }
    }

    /** Appends {@code event-clock: value}, after cutting an unterminated last line (a crash mid-write). */
    private static void setBack(Path snapshot, long value) throws IOException {
        try (FileChannel ch = FileChannel.open(snapshot, READ, WRITE)) {
            long size = ch.size();
            long end = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                ch.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < size) {
                ch.truncate(end);
            }
            ByteBuffer line = ByteBuffer.wrap(("event-clock: " + Long.toUnsignedString(value) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long at = end;
            while (line.hasRemaining()) {
                at += ch.write(line, at);
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                channel.close();
            }
        } catch (IOException e) {
            log.log(LogLevel.WARN, "agent: Failed to close " + path + ": " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Replay warnings are Serf's to log when it opens the snapshot; this first look stays silent. */
    private static final System.Logger QUIET = new System.Logger() {
        @Override
        public String getName() {
            return "serf.agent.handled-clock";
        }

        @Override
        public boolean isLoggable(Level level) {
            return false;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        }
    };
}
