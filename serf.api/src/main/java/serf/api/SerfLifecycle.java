package serf.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import serf.memberlist.Scheduler;

/**
 * A node's lifecycle state ({@link SerfState}) and its transitions: alive, leaving, left, shut down.
 * Leave and shutdown race with each other and with everything that asks "are we still alive?", so
 * the transitions happen under one lock and shutdown is announced both as a latch (a leave waiting
 * for its propagation delay wakes up) and as a future (for the embedder).
 */
final class SerfLifecycle {
    private final System.Logger log;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile SerfState state = SerfState.ALIVE;
    private final CompletableFuture<Void> shutdownFuture = new CompletableFuture<>();
    private final CountDownLatch shutdownLatch = new CountDownLatch(1);

    SerfLifecycle(System.Logger log) {
        this.log = log;
    }

    SerfState state() {
        return state;
    }

    boolean alive() {
        return state == SerfState.ALIVE;
    }

    boolean shutDown() {
        return state == SerfState.SHUTDOWN;
    }

    /**
     * Moves to LEAVING.
     *
     * @return false when the node has already left (nothing to do)
     * @throws SerfException when a leave is in progress or the node is shut down
     */
    boolean beginLeave() throws SerfException {
        lock.lock();
        try {
            switch (state) {
                case LEFT -> {
                    return false;
                }
                case LEAVING -> throw new SerfException("Leave already in progress");
                case SHUTDOWN -> throw new SerfException("Leave called after Shutdown");
                default -> state = SerfState.LEAVING;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Lets the leave propagate: waits up to {@code delay}, less if the node shuts down meanwhile. */
    void awaitPropagation(Scheduler scheduler, Duration delay) {
        try {
            scheduler.await(shutdownLatch, delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves to LEFT, unless the node was shut down meanwhile. */
    void finishLeave() {
        lock.lock();
        try {
            if (state != SerfState.SHUTDOWN) {
                state = SerfState.LEFT;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves to SHUTDOWN and wakes a waiting leave.
     *
     * @return false when the node was already shut down (the caller then does nothing)
     */
    boolean beginShutdown() {
        lock.lock();
        try {
            if (state == SerfState.SHUTDOWN) {
                return false;
            }
            if (state != SerfState.LEFT) {
                log.log(System.Logger.Level.WARNING, "serf: Shutdown without a Leave");
            }
            state = SerfState.SHUTDOWN;
        } finally {
            lock.unlock();
        }
        shutdownLatch.countDown();
        return true;
    }

    /** Called once everything has stopped. */
    void shutdownComplete() {
        shutdownFuture.complete(null);
    }

    /** {@return a copy of the shutdown future, so callers cannot complete the node's own} */
    CompletableFuture<Void> shutdownFuture() {
        return shutdownFuture.copy();
    }
}
