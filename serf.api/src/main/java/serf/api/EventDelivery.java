package serf.api;

import java.time.Duration;
import java.util.function.Consumer;
import serf.memberlist.Scheduler;

/**
 * The last stage before the application: a bounded queue whose drain task (on the node's
 * scheduler) calls the sink in order. Handing an event in never waits: what produces events
 * (probes, gossip, push/pull) must not be held up by a slow sink. When the queue is full the event
 * is dropped, counted ({@code events_dropped} in {@link Serf#stats()}) and logged once per run of
 * drops; a slow sink delays only the events queued behind it. The queue is bounded by a count and
 * by an estimate of the bytes its events hold ({@link #MAX_QUEUED_BYTES}), since queries carry
 * payloads as large as a peer cares to send.
 */
final class EventDelivery implements Consumer<Event> {
    /** Far above what the default 2048 events of 512 bytes need. */
    static final long MAX_QUEUED_BYTES = 4L * 1024 * 1024;
    /** How long shutdown waits for the sink to take what is queued. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    private static final int EVENT_OVERHEAD = 64;

    private final DrainQueue<Event> queue;

    EventDelivery(Scheduler scheduler, Consumer<Event> sink, int buffer, DropCounter drops, System.Logger log) {
        this.queue = new DrainQueue<>("event sink", scheduler, buffer, MAX_QUEUED_BYTES, EventDelivery::sizeOf,
                sink, drops, log);
    }

    @Override
    public void accept(Event e) {
        queue.offer(e);
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

    /**
     * Events still queued when shutdown stopped waiting for the sink ({@link #SHUTDOWN_WAIT}), so
     * never delivered ({@code events_undelivered} in {@link Serf#stats()}).
     */
    long undelivered() {
        return queue.abandoned();
    }

    /** The estimated bytes of the events waiting. */
    long queuedBytes() {
        return queue.queuedBytes();
    }

    /** Events waiting for the sink. */
    int queued() {
        return queue.queued();
    }

    /**
     * Delivers what is queued, waiting at most {@link #SHUTDOWN_WAIT} for a slow sink (then it is
     * interrupted, and what is left is not delivered). From the sink itself: nothing more is
     * delivered once it returns.
     */
    void shutdown() {
        queue.shutdown(true, SHUTDOWN_WAIT);
    }
}
