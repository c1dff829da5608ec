package serf.api;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The last stage before the application: a bounded queue drained by one virtual thread that calls
 * the sink in order. A sink slower than the event rate makes Serf wait at most {@code blockTimeout}
 * per event; past that the event is dropped and counted, so a stuck application cannot stall the
 * cluster protocol.
 */
final class EventDelivery implements Consumer<Event> {
    private static final Event STOP = new Event.MemberEvent(EventType.MEMBER_REAP, java.util.List.of());

    private final Consumer<Event> sink;
    private final BlockingQueue<Event> queue;
    private final Duration blockTimeout;
    private final System.Logger log;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;

    EventDelivery(String name, Consumer<Event> sink, int buffer, Duration blockTimeout, System.Logger log) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(buffer);
        this.blockTimeout = blockTimeout;
        this.log = log;
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    @Override
    public void accept(Event e) {
        try {
            if (!queue.offer(e, blockTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                dropped.incrementAndGet();
                log.log(System.Logger.Level.WARNING, "serf: event sink is not keeping up, dropped " + e);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    long dropped() {
        return dropped.get();
    }

    /** Delivers what is queued (bounded wait) and ends the thread. */
    void shutdown() {
        try {
            if (queue.offer(STOP, 1, TimeUnit.SECONDS)) {
                thread.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }

    private void run() {
        try {
            while (true) {
                Event e = queue.take();
                if (e == STOP) {
                    return;
                }
                try {
                    sink.accept(e);
                } catch (RuntimeException ex) {
                    log.log(System.Logger.Level.ERROR, "serf: event sink failed on " + e, ex);
                }
            }
        } catch (InterruptedException ex) {
            // shutting down
        }
    }
}
