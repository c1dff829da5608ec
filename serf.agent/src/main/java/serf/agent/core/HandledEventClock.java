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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.locks.ReentrantLock;
import serf.agent.handler.ScriptEvent;
import serf.agent.handler.UserEventLedger;
import serf.snapshot.Snapshotter;

/**
 * Which user events have had their handlers finish, kept beside the snapshot
 * ({@code <snapshot>.handled}, laid out as {@link HandledEventFile} says), so that a restart after a
 * crash neither runs a handled event again nor loses one that was received but not yet handled.
 *
 * <p>Why: the snapshot records an event's clock when Serf emits it, before the handler scripts run
 * (as Go does), and on restart events at or below that clock are ignored. Events still queued for the
 * scripts when the process dies would therefore never run; nor would an event that carries the same
 * Lamport time as one already handled (two nodes sending at once) and had not arrived yet.
 *
 * <p>What is kept: a floor (every event at or below it counts as handled) and the identities
 * ({@link HandledEvent}: Lamport time, digest of name and payload) of the last
 * {@link HandledEventFile#MAX_EVENTS} handled events above it. When an event would make one more, the
 * entries at the oldest Lamport time go and the floor rises to that time. If they are all at one
 * Lamport time, the floor rises to it and the entries are dropped (counted and logged): for that
 * Lamport time the record falls back to the floor alone, as it was before identities were kept.
 *
 * <p>{@link #open} runs before Serf reads the snapshot: when the handled events start below the
 * snapshot's event clock (the oldest entry's time minus one, or the floor when there are none), it
 * appends {@code event-clock: <that>} to the snapshot (the last such line wins, in Go's format too).
 * Serf then accepts user events from the Lamport time after it again (its minimum is the restored
 * clock plus one), so peers' buffered events arrive again when the node rejoins; the handler stage asks
 * {@link #alreadyHandled} and skips those whose identity is kept here, or was when this run started
 * (those stay known for the whole run, however many newer events follow). At most the event whose
 * handler was running at the crash runs twice.
 *
 * <p>Each handled user event rewrites one slot of the file in place (one write of at most 1,050
 * bytes, no fsync): a process crash keeps what the OS has, and a crash in the middle of the write
 * leaves the other slot's record.
 */
final class HandledEventClock implements UserEventLedger, AutoCloseable {
    static final String SUFFIX = ".handled";
    static final int MAX_EVENTS = HandledEventFile.MAX_EVENTS;

    private final Path path;
    private final FileChannel channel;
    private final AgentLog log;
    private final ReentrantLock lock = new ReentrantLock();
    /** Ascending by unsigned Lamport time; one spare place for the entry that makes one too many. */
    private final long[] times = new long[MAX_EVENTS + 1];
    private final long[] digests = new long[MAX_EVENTS + 1];
    /** The same entries as the file holds them, kept in step, so a write copies them in one go. */
    private final byte[] entryBytes = new byte[(MAX_EVENTS + 1) * HandledEventFile.ENTRY_BYTES];
    private final byte[] slot = new byte[HandledEventFile.SLOT];
    private int count;
    private long floor;
    private long seq;
    private long dropped;
    private boolean failing;
    private boolean closed;
    private ScriptEvent.User lastAsked;
    private HandledEvent lastIdentity;
    /**
     * The entries this run started with, kept for the whole run. Serf's minimum Lamport time stays
     * where the start set it, so a peer can hand over one of these events at any later moment (a
     * node rejoining pushes its event buffer): long after newer events have pushed the entry out of
     * the record above. Without this, such an event ran again (the 100-crash run: 138 re-runs).
     */
    private final long[] startTimes;
    private final long[] startDigests;

    private HandledEventClock(Path path, FileChannel channel, AgentLog log, long seq, long floor, List<HandledEvent> events) {
        this.path = path;
        this.channel = channel;
        this.log = log;
        this.seq = seq;
        this.floor = floor;
        for (HandledEvent e : events) {
            if (Long.compareUnsigned(e.lTime(), floor) > 0 && count < MAX_EVENTS) {
                times[count] = e.lTime();
                digests[count] = e.digest();
                HandledEventFile.putEntry(entryBytes, count, e.lTime(), e.digest());
                count++;
            }
        }
        startTimes = Arrays.copyOf(times, count);
        startDigests = Arrays.copyOf(digests, count);
    }

    static Path pathFor(Path snapshot) {
        return snapshot.resolveSibling(snapshot.getFileName() + SUFFIX);
    }

    /**
     * Sets the snapshot's event clock back to just below the handled events when that is lower (call
     * it before Serf opens the snapshot), then opens the record for writing.
     */
    static HandledEventClock open(Path snapshot, boolean rejoinAfterLeave, AgentLog log) throws IOException {
        Path path = pathFor(snapshot);
        Optional<HandledEventFile.Contents> handled = HandledEventFile.read(path, log);
        long floor = 0;
        List<HandledEvent> events = handled.map(HandledEventFile.Contents::events).orElse(List.of());
        if (Files.exists(snapshot)) {
            long recorded = Snapshotter.recover(snapshot, rejoinAfterLeave, QUIET).lastEventClock();
            floor = recorded;
            if (handled.isPresent()) {
                long from = restartClock(handled.get().floor(), events);
                if (Long.compareUnsigned(from, recorded) < 0) {
                    setBack(snapshot, from);
                    floor = from;
                    log.log(LogLevel.INFO, "agent: Snapshot event clock set back from " + Long.toUnsignedString(recorded)
                            + " to " + Long.toUnsignedString(from) + ", below the events whose handlers have not all"
                            + " finished: later events are taken again when the node rejoins, except the "
                            + events.size() + " whose handlers finished");
                }
            }
        }
        FileChannel channel = FileChannel.open(path, CREATE, READ, WRITE);
        long seq = handled.map(HandledEventFile.Contents::seq).orElse(0L);
        HandledEventClock clock = new HandledEventClock(path, channel, log, seq, floor, events);
        clock.lock.lock();
        try {
            clock.write();
        } finally {
            clock.lock.unlock();
        }
        return clock;
    }

    /** The event clock a start sets the snapshot back to: just below the oldest entry, else the floor. */
    private static long restartClock(long floor, List<HandledEvent> events) {
        return events.isEmpty() ? floor : events.get(0).lTime() - 1;
    }

    /** True when the event is among those kept as handled (in this run or the one before the restart). */
    @Override
    public boolean alreadyHandled(ScriptEvent.User event) {
        return contains(identify(event));
    }

    /** The handlers of this user event have finished (or it matched none). */
    @Override
    public void handled(ScriptEvent.User event) {
        handled(identify(event));
    }

    /** The event's identity, computed once for the ask and the report that follows it. */
    private HandledEvent identify(ScriptEvent.User event) {
        lock.lock();
        try {
            if (event != lastAsked) {
                lastAsked = event;
                lastIdentity = HandledEvent.of(event);
            }
            return lastIdentity;
        } finally {
            lock.unlock();
        }
    }

    boolean contains(HandledEvent e) {
        lock.lock();
        try {
            return indexOf(e) >= 0 || amongStartEntries(e);
        } finally {
            lock.unlock();
        }
    }

    void handled(HandledEvent e) {
        lock.lock();
        try {
            if (closed || Long.compareUnsigned(e.lTime(), floor) <= 0 || indexOf(e) >= 0) {
                return;
            }
            int at = count;
            while (at > 0 && Long.compareUnsigned(times[at - 1], e.lTime()) > 0) {
                at--;
            }
            int entry = HandledEventFile.ENTRY_BYTES;
            System.arraycopy(times, at, times, at + 1, count - at);
            System.arraycopy(digests, at, digests, at + 1, count - at);
            System.arraycopy(entryBytes, at * entry, entryBytes, (at + 1) * entry, (count - at) * entry);
            times[at] = e.lTime();
            digests[at] = e.digest();
            HandledEventFile.putEntry(entryBytes, at, e.lTime(), e.digest());
            count++;
            if (count > MAX_EVENTS) {
                evictOldest();
            }
            write();
        } finally {
            lock.unlock();
        }
    }

    /** Drops the entries at the oldest Lamport time and raises the floor to it. */
    private void evictOldest() {
        long oldest = times[0];
        int n = 1;
        while (n < count && times[n] == oldest) {
            n++;
        }
        System.arraycopy(times, n, times, 0, count - n);
        System.arraycopy(digests, n, digests, 0, count - n);
        int entry = HandledEventFile.ENTRY_BYTES;
        System.arraycopy(entryBytes, n * entry, entryBytes, 0, (count - n) * entry);
        count -= n;
        floor = oldest;
        if (count == 0) {
            dropped += n;
            log.log(LogLevel.WARN, "agent: More than " + MAX_EVENTS + " user events handled at Lamport time "
                    + Long.toUnsignedString(oldest) + ": only that time is kept for them, so after a crash an event"
                    + " at that time not handled yet would not run (" + dropped + " identities dropped so far)");
        }
    }

    private boolean amongStartEntries(HandledEvent e) {
        for (int i = 0; i < startTimes.length; i++) {
            if (startTimes[i] == e.lTime() && startDigests[i] == e.digest()) {
                return true;
            }
        }
        return false;
    }

    /** Scans from the newest entry down to the event's Lamport time (events mostly come in order). */
    private int indexOf(HandledEvent e) {
        for (int i = count - 1; i >= 0 && Long.compareUnsigned(times[i], e.lTime()) >= 0; i--) {
            if (times[i] == e.lTime() && digests[i] == e.digest()) {
                return i;
            }
        }
        return -1;
    }

    /** The event clock the next start would set the snapshot back to (if below the snapshot's). */
    long restartClock() {
        lock.lock();
        try {
            return count == 0 ? floor : times[0] - 1;
        } finally {
            lock.unlock();
        }
    }

    /** Events at or below this Lamport time count as handled without an entry. */
    long floor() {
        lock.lock();
        try {
            return floor;
        } finally {
            lock.unlock();
        }
    }

    /** Entries kept. */
    int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Identities dropped because more than {@link #MAX_EVENTS} events were handled at one Lamport time. */
    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Writes the state as the next record, into the slot that does not hold the current one. Under the lock. */
    private void write() {
        long next = seq + 1;
        ByteBuffer buf = ByteBuffer.wrap(slot, 0, HandledEventFile.encode(slot, next, floor, entryBytes, count));
        try {
            long at = HandledEventFile.offset(next);
            while (buf.hasRemaining()) {
                at += channel.write(buf, at);
            }
            seq = next;
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
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        }
    };
}
