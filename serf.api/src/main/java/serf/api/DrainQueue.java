package serf.api;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import serf.memberlist.Scheduler;

/**
 * A bounded queue whose items are handled in order, one at a time, by a drain task on the node's
 * {@link Scheduler}: {@link #offer} never waits; when no drain is running it starts one
 * ({@link Scheduler#execute}, since a handler may block), which handles items until the queue is
 * empty and then ends. What does not fit (by count, or by the estimated bytes held) is dropped and
 * counted. The handler is never called under the offerer's locks nor under this queue's lock.
 * Used for internal queries and for delivery to the application's event sink.
 */
final class DrainQueue<T> {
    private final String what;
    private final Scheduler scheduler;
    private final Consumer<T> handler;
    private final int capacity;
    private final long maxBytes;
    private final ToLongFunction<T> sizeOf;
    private final DropCounter drops;
    private final System.Logger log;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean draining;
    private Thread drainThread;
    private CountDownLatch drained = new CountDownLatch(0);
    private boolean closed;
    private final java.util.concurrent.atomic.AtomicLong abandoned = new java.util.concurrent.atomic.AtomicLong();

    DrainQueue(String what, Scheduler scheduler, int capacity, long maxBytes, ToLongFunction<T> sizeOf,
               Consumer<T> handler, DropCounter drops, System.Logger log) {
        this.what = what;
        this.scheduler = scheduler;
        this.capacity = Math.max(1, capacity);
        this.maxBytes = maxBytes;
        this.sizeOf = sizeOf;
        this.handler = handler;
        this.drops = drops;
        this.log = log;
    }

    /** Queues {@code item}; false (and counted) when the queue is full or closed. */
    boolean offer(T item) {
        long size = sizeOf.applyAsLong(item);
        boolean start = false;
        lock.lock();
        try {
            if (closed || queue.size() >= capacity || queuedBytes + size > maxBytes) {
                drops.dropped(String.valueOf(item));
                return false;
            }
            queue.addLast(item);
            queuedBytes += size;
            if (!draining) {
                draining = true;
                drained = new CountDownLatch(1);
                start = true;
            }
        } finally {
            lock.unlock();
        }
        drops.passed();
        if (start) {
            scheduler.execute(this::drain);
        }
        return true;
    }

    private void drain() {
        while (true) {
            T item;
            lock.lock();
            try {
                item = queue.pollFirst();
                if (item == null) {
                    draining = false;
                    drainThread = null;
                    drained.countDown();
                    return;
                }
                queuedBytes -= sizeOf.applyAsLong(item);
                drainThread = Thread.currentThread();
            } finally {
                lock.unlock();
            }
            try {
                handler.accept(item);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.ERROR, "serf: " + what + " failed on " + item, e);
            }
        }
    }

    /** Forgets what is queued, counting it as abandoned; caller holds the lock. */
    private void abandon() {
        if (!queue.isEmpty()) {
            abandoned.addAndGet(queue.size());
            log.log(System.Logger.Level.WARNING, "serf: " + what + ": " + queue.size() + " queued item(s) not handled at shutdown");
        }
        queue.clear();
        queuedBytes = 0;
    }

    /** Items that were still queued when shutdown gave up on them (never handled). */
    long abandoned() {
        return abandoned.get();
    }

    /** Items waiting. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** The estimated bytes of the items waiting. */
    long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** True while a drain task runs. */
    boolean draining() {
        lock.lock();
        try {
            return draining;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes no more items; with {@code deliverQueued} the queued ones are still handled, else they are
     * forgotten. Waits up to {@code wait} (through the scheduler) for the drain to end; a drain still
     * running then is interrupted and what is left is not handled. Called from the handler itself, it
     * forgets what is queued and returns at once.
     */
    void shutdown(boolean deliverQueued, Duration wait) {
        CountDownLatch done;
        lock.lock();
        try {
            closed = true;
            if (!deliverQueued || drainThread == Thread.currentThread()) {
                abandon();
            }
            if (drainThread == Thread.currentThread()) {
                drops.flush();
                return;
            }
            done = drained;
        } finally {
            lock.unlock();
        }
        boolean ended;
        try {
            ended = scheduler.await(done, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) {
            lock.lock();
            try {
                abandon();
                if (drainThread != null && drainThread != Thread.currentThread()) {
                    drainThread.interrupt(); // a handler stuck in a wait (a slow sink): let it go
                }
            } finally {
                lock.unlock();
            }
        }
        drops.flush();
    }
}
