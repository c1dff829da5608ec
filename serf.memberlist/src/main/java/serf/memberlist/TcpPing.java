package serf.memberlist;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import serf.memberlist.internal.msg.StreamRejectedException;
import serf.wire.DecodeException;

/**
 * The TCP fallback ping of a probe, run on the scheduler's blocking side (Go: a goroutine per
 * probe). Nobody waits for it: the probe round asks {@link #isDone()}, or is called back by
 * {@link #onDone}.
 */
final class TcpPing {
    /** The ping itself: true when the node answered. */
    interface Attempt {
        boolean run() throws IOException, StreamRejectedException;
    }

    private final NodeContext ctx;
    private final Node node;
    private final Semaphore permits;
    private final Attempt attempt;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean done;
    private boolean contact;
    private Runnable onDone;

    /** The caller holds a permit of {@code permits}; it is released when the ping ends. */
    TcpPing(NodeContext ctx, Node node, Semaphore permits, Attempt attempt) {
        this.ctx = ctx;
        this.node = node;
        this.permits = permits;
        this.attempt = attempt;
    }

    void start() {
        ctx.tasks().execute("tcp-ping", this::run);
    }

    private void run() {
        boolean answered = false;
        try {
            answered = attempt.run();
        } catch (IOException | DecodeException | StreamRejectedException e) {
            ctx.log().log(System.Logger.Level.DEBUG, () -> "memberlist: TCP ping to " + node.name() + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            ctx.stats().loopExceptions.incrementAndGet();
            ctx.limited().log(System.Logger.Level.WARNING, "tcpping-failed", "memberlist: TCP ping to " + node.name() + " failed: " + e);
        } finally {
            permits.release();
            finish(answered);
        }
    }

    private void finish(boolean answered) {
        Runnable listener;
        lock.lock();
        try {
            done = true;
            contact = answered;
            listener = onDone;
            onDone = null;
        } finally {
            lock.unlock();
        }
        if (listener != null) {
            listener.run();
        }
    }

    /**
     * Runs {@code listener} once when the ping has ended, on the thread that ended it (at once, on
     * this thread, if it already has).
     */
    void onDone(Runnable listener) {
        lock.lock();
        try {
            if (!done) {
                onDone = listener;
                return;
            }
        } finally {
            lock.unlock();
        }
        listener.run();
    }

    boolean isDone() {
        lock.lock();
        try {
            return done;
        } finally {
            lock.unlock();
        }
    }

    /** True when the ping ended and the node answered. */
    boolean contact() {
        lock.lock();
        try {
            return contact;
        } finally {
            lock.unlock();
        }
    }
}
