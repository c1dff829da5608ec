package serf.memberlist;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Calls to the application (event, conflict delegates) decided under memberlist's state lock and
 * made after it is released, in the order they were decided. Whoever holds the state lock
 * {@link #add}s; after unlocking, it calls {@link #deliver()}. One thread delivers at a time, the
 * others return at once (the delivering thread takes their calls too), so a protocol thread never
 * waits behind another's slow delegate; it only runs its own and those queued meanwhile.
 */
final class DeferredNotifications {
    private final ReentrantLock queueLock = new ReentrantLock();
    private final ReentrantLock delivering = new ReentrantLock();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final LogLimiter log;
    private final Runnable onFailure;

    /** @param onFailure counts a call that threw (the others still run) */
    DeferredNotifications(LogLimiter log, Runnable onFailure) {
        this.log = log;
        this.onFailure = onFailure;
    }

    /** Queues a call; the caller holds the state lock, so calls queue in state order. */
    void add(Runnable call) {
        queueLock.lock();
        try {
            queue.addLast(call);
        } finally {
            queueLock.unlock();
        }
    }

    /** Runs the queued calls, unless another thread is running them; call without the state lock. */
    void deliver() {
        while (hasPending() && delivering.tryLock()) {
            try {
                Runnable next;
                while ((next = poll()) != null) {
                    try {
                        next.run();
                    } catch (RuntimeException e) {
                        onFailure.run();
                        log.log(System.Logger.Level.ERROR, "delegate-failed", "memberlist: a delegate failed: " + e);
                    }
                }
            } finally {
                delivering.unlock();
            }
            // A call queued between the last poll and the unlock is delivered by the loop's recheck.
        }
    }

    private boolean hasPending() {
        queueLock.lock();
        try {
            return !queue.isEmpty();
        } finally {
            queueLock.unlock();
        }
    }

    private Runnable poll() {
        queueLock.lock();
        try {
            return queue.pollFirst();
        } finally {
            queueLock.unlock();
        }
    }
}
