package serf.api;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * The last stage before the application: a bounded queue drained by one virtual thread that calls
 * the sink in order. Handing an event in never waits: the protocol threads that produce events
 * (probes, gossip, push/pull) must not be held up by a slow sink. When the queue is full the event
 * is dropped, counted ({@code events_dropped} in {@link Serf#stats()}) and logged once per run of
 * drops; a slow sink delays only the events queued behind it.
 */
final class EventDelivery implements Consumer<Event> {
    private static final Event STOP = new Event.MemberEvent(EventType.MEMBER_REAP, java.util.List.of());

    private final Consumer<Event> sink;
    private final BlockingQueue<Event> queue;
    private final System.Logger log;
    private final DropCounter drops;
    private final Thread thread;

    EventDelivery(String name, Consumer<Event> sink, int buffer, DropCounter drops, System.Logger log) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, buffer));
        this.drops = drops;
        this.log = log;
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    @Override
    public void accept(Event e) {
        if (queue.offer(e)) {
            drops.passed();
        } else {
            drops.dropped(e.toString());
        }
    }

    /** Events waiting for the sink. */
    int queued() {
        return queue.size();
    }

    /**
     * Delivers what is queued and ends the thread, waiting at most 5 s for a slow sink (then it is
     * interrupted, and what is left is not delivered).
     */
    void shutdown() {
        if (!queue.offer(STOP)) {
            thread.interrupt();
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        drops.flush();
    }

    private void run() {
        while (true) {
            Event e;
            try {
                e = queue.take();
            } catch (InterruptedException ex) {
                return; // shutting down
            }
            if (e == STOP) {
                return;
            }
            try {
                sink.accept(e);
            } catch (RuntimeException ex) {
                log.log(System.Logger.Level.ERROR, "serf: event sink failed on " + e, ex);
            }
            if (Thread.interrupted()) {
                return; // the sink was interrupted by shutdown
            }
        }
    }
}
