package serf.api;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The last stage before the application: a bounded queue drained by one virtual thread that calls
 * the sink in order. Handing an event in never waits: the protocol threads that produce events
 * (probes, gossip, push/pull) must not be held up by a slow sink. When the queue is full the event
 * is dropped, counted ({@code events_dropped} in {@link Serf#stats()}) and logged once per run of
 * drops; a slow sink delays only the events queued behind it. The queue is bounded by a count and
 * by an estimate of the bytes its events hold ({@link #MAX_QUEUED_BYTES}), since queries carry
 * payloads as large as a peer cares to send.
 */
final class EventDelivery implements Consumer<Event> {
    private static final Event STOP = new Event.MemberEvent(EventType.MEMBER_REAP, java.util.List.of());
    /** Far above what the default 2048 events of 512 bytes need. */
    static final long MAX_QUEUED_BYTES = 4L * 1024 * 1024;
    private static final int EVENT_OVERHEAD = 64;

    private final Consumer<Event> sink;
    private final BlockingQueue<Event> queue;
    private final System.Logger log;
    private final DropCounter drops;
    private final AtomicLong queuedBytes = new AtomicLong();
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
        long size = sizeOf(e);
        if (queuedBytes.addAndGet(size) <= MAX_QUEUED_BYTES && queue.offer(e)) {
            drops.passed();
        } else {
            queuedBytes.addAndGet(-size);
            drops.dropped(e.toString());
        }
    }

    /** An estimate of the memory an event holds: names, payloads and tags, plus a fixed overhead. */
    static long sizeOf(Event e) {
        return EVENT_OVERHEAD + switch (e) {
            case Event.UserEvent ue -> chars(ue.name()) + (ue.payload() == null ? 0 : ue.payload().length);
            case Query q -> chars(q.name()) + q.payloadLength() + chars(q.sourceNode());
            case Event.MemberEvent me -> {
                long n = 0;
                for (Member m : me.members()) {
                    n += EVENT_OVERHEAD + chars(m.name());
                    for (var t : m.tags().entrySet()) {
                        n += chars(t.getKey()) + chars(t.getValue());
                    }
                }
                yield n;
            }
        };
    }

    private static long chars(String s) {
        return s == null ? 0 : 2L * s.length();
    }

    /** The estimated bytes of the events waiting. */
    long queuedBytes() {
        return queuedBytes.get();
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
        if (thread == Thread.currentThread()) {
            // Called by the sink itself: nothing more is delivered once it returns.
            queue.clear();
            queue.offer(STOP);
            drops.flush();
            return;
        }
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
            queuedBytes.addAndGet(-sizeOf(e));
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
