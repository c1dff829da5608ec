package serf.api;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * A bounded queue served by one named virtual thread: what the network hands in is handled in
 * order, one at a time, and what does not fit is dropped and counted rather than given a thread
 * of its own. {@link #offer} never waits. Used for internal queries.
 */
final class BoundedWorker<T> {
    private final BlockingQueue<T> queue;
    private final Consumer<T> handler;
    private final DropCounter drops;
    private final System.Logger log;
    private final Thread thread;
    private volatile boolean stopped;

    BoundedWorker(String threadName, int capacity, Consumer<T> handler, DropCounter drops, System.Logger log) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.handler = handler;
        this.drops = drops;
        this.log = log;
        this.thread = Thread.ofVirtual().name(threadName).start(this::run);
    }

    /** Queues {@code item}; false (and counted) when the queue is full or the worker stopped. */
    boolean offer(T item) {
        if (stopped || !queue.offer(item)) {
            drops.dropped(String.valueOf(item));
            return false;
        }
        drops.passed();
        return true;
    }

    /** Items waiting. */
    int queued() {
        return queue.size();
    }

    /** Stops taking items, forgets the queued ones, and joins the thread (bounded). */
    void shutdown() {
        stopped = true;
        queue.clear();
        if (thread != Thread.currentThread()) { // a handler may shut the node down; it then just returns
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drops.flush();
    }

    private void run() {
        while (!stopped) {
            T item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                handler.accept(item);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.ERROR, "serf: failed to handle " + item, e);
            }
        }
    }
}
