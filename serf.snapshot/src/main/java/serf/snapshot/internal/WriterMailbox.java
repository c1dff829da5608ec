package serf.snapshot.internal;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import serf.snapshot.SnapshotEvent;

/**
 * The hand-off between the threads that report events and the single writer thread: a bounded
 * event queue plus the leave and shutdown requests, which are never refused for lack of room.
 * Callers never wait for room: a full queue drops the event, as Go serf's snapshotter does.
 */
public final class WriterMailbox {

    /** What the writer thread should do next. */
    public sealed interface Command {
        record Record(SnapshotEvent event) implements Command {
        }

        /** The clock-check interval has elapsed. */
        record Tick() implements Command {
        }

        /** Record the graceful leave; every event accepted before it has been handed out. */
        record Leave() implements Command {
        }

        /** Stop: drain events until {@code deadlineNanos} ({@link System#nanoTime()}), then close. */
        record Shutdown(long deadlineNanos) implements Command {
        }
    }

    /** Outcome of {@link #offer}. */
    public enum Offer {
        ACCEPTED,
        /** The queue was full: the event is dropped. */
        DROPPED_FULL,
        /** A leave or shutdown was requested: events are no longer recorded. */
        REFUSED
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<SnapshotEvent> events;
    private final int capacity;

    private boolean leaveRequested;
    private boolean leaveDone;
    private boolean shutdownRequested;
    private long shutdownDeadlineNanos;
    private boolean writerBusy;
    private boolean writerStopped;

    public WriterMailbox(int capacity) {
        this.capacity = capacity;
        this.events = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    public Offer offer(SnapshotEvent event) {
        lock.lock();
        try {
            if (leaveRequested || shutdownRequested || writerStopped) {
                return Offer.REFUSED;
            }
            if (events.size() >= capacity) {
                return Offer.DROPPED_FULL;
            }
            events.addLast(event);
            changed.signalAll();
            return Offer.ACCEPTED;
        } finally {
            lock.unlock();
        }
    }

    /** Asks for the leave to be recorded after the queued events; false if the writer is stopping. */
    public boolean requestLeave() {
        lock.lock();
        try {
            if (shutdownRequested || writerStopped) {
                return false;
            }
            leaveRequested = true;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the writer has recorded the leave; false on timeout or if it stopped first. */
    public boolean awaitLeaveDone(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (!leaveDone && !writerStopped) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return leaveDone;
        } finally {
            lock.unlock();
        }
    }

    /** Asks the writer to stop; the first request's deadline wins. */
    public void requestShutdown(long deadlineNanos) {
        lock.lock();
        try {
            if (!shutdownRequested) {
                shutdownRequested = true;
                shutdownDeadlineNanos = deadlineNanos;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writer side: the next command, waiting until one is due. Order: shutdown, a due clock tick,
     * queued events (FIFO), then a pending leave.
     */
    public Command next(long tickDueNanos) throws InterruptedException {
        lock.lock();
        try {
            writerBusy = false;
            changed.signalAll();
            while (true) {
                if (shutdownRequested) {
                    writerBusy = true;
                    return new Command.Shutdown(shutdownDeadlineNanos);
                }
                long untilTick = tickDueNanos - System.nanoTime();
                if (untilTick <= 0) {
                    writerBusy = true;
                    return new Command.Tick();
                }
                SnapshotEvent event = events.pollFirst();
                if (event != null) {
                    writerBusy = true;
                    return new Command.Record(event);
                }
                if (leaveRequested && !leaveDone) {
                    writerBusy = true;
                    return new Command.Leave();
                }
                changed.awaitNanos(untilTick);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writer side, during shutdown: the next queued event, or null. */
    public SnapshotEvent pollEvent() {
        lock.lock();
        try {
            return events.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Writer side: is a leave requested but not yet recorded? */
    public boolean leavePending() {
        lock.lock();
        try {
            return leaveRequested && !leaveDone;
        } finally {
            lock.unlock();
        }
    }

    /** Writer side: the leave line has been written and synced (or tried). */
    public void markLeaveDone() {
        lock.lock();
        try {
            leaveDone = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Writer side: the writer thread is exiting; from now on everything is refused. */
    public void markStopped() {
        lock.lock();
        try {
            writerStopped = true;
            writerBusy = false;
            events.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the queue is empty and the writer is idle (or stopped); false on timeout. */
    public boolean awaitIdle(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (!writerStopped && (writerBusy || !events.isEmpty() || (leaveRequested && !leaveDone))) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
