package serf.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import serf.memberlist.Clock;
import serf.memberlist.Scheduler;
import serf.snapshot.KnownNode;
import serf.snapshot.SnapshotEvent;
import serf.snapshot.Snapshotter;

/**
 * Where every event Serf produces goes (Go's eventCh chain): first the snapshot, then internal
 * queries to their worker, the rest through the user-event and member-event coalescers (when
 * configured) to the delivery queue, whose drain task calls the application's sink in order.
 * {@link #emit} never waits and takes no lock of Serf's; nothing here has a thread of its own.
 */
final class EventPipeline {
    private final Snapshotter snapshotter;
    private final InternalQueries internal;
    private final EventDelivery delivery;
    private final Coalescer memberCoalescer;
    private final Coalescer userCoalescer;
    private final Consumer<Event> toApp;

    /** {@code snapshotter} may be null; without a sink, application events are discarded. */
    EventPipeline(Config config, Scheduler scheduler, Clock clock, DropCounters drops, System.Logger log,
                  Snapshotter snapshotter, InternalQueries internal) {
        this.snapshotter = snapshotter;
        this.internal = internal;
        Consumer<Event> next = e -> { };
        EventDelivery d = null;
        Coalescer mc = null;
        Coalescer uc = null;
        if (config.eventSink() != null) {
            d = new EventDelivery(scheduler, config.eventSink(), config.eventSinkBuffer(), drops.delivery, log);
            next = d;
            if (isPositive(config.coalescePeriod()) && isPositive(config.quiescentPeriod())) {
                mc = new Coalescer(new Coalescer.MemberStrategy(), config.coalescePeriod(), config.quiescentPeriod(),
                        scheduler, clock, drops.memberCoalescer, next);
                next = mc;
            }
            if (isPositive(config.userCoalescePeriod()) && isPositive(config.userQuiescentPeriod())) {
                uc = new Coalescer(new Coalescer.UserStrategy(), config.userCoalescePeriod(), config.userQuiescentPeriod(),
                        scheduler, clock, drops.userCoalescer, next);
                next = uc;
            }
        }
        this.delivery = d;
        this.memberCoalescer = mc;
        this.userCoalescer = uc;
        this.toApp = next;
    }

    private static boolean isPositive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    void emit(Event e) {
        if (snapshotter != null) {
            snapshotter.offer(toSnapshotEvent(e));
        }
        if (e instanceof Query q && InternalQueries.isInternal(q)) {
            internal.offer(q);
        } else {
            toApp.accept(e);
        }
    }

    static SnapshotEvent toSnapshotEvent(Event e) {
        return switch (e) {
            case Event.MemberEvent me -> switch (me.type()) {
                case MEMBER_JOIN -> new SnapshotEvent.MemberJoin(me.members().stream()
                        .map(m -> KnownNode.of(m.name(), new InetSocketAddress(m.addr(), m.port()))).toList());
                case MEMBER_LEAVE, MEMBER_FAILED -> new SnapshotEvent.MemberGone(me.members().stream().map(Member::name).toList());
                default -> new SnapshotEvent.MemberOther();
            };
            case Event.UserEvent ue -> new SnapshotEvent.UserEvent(ue.lTime());
            case Query q -> new SnapshotEvent.Query(q.lTime());
        };
    }

    /** Events waiting for the sink (0 without one). */
    int queued() {
        return delivery == null ? 0 : delivery.queued();
    }

    /** Events the sink never got because shutdown gave up waiting for it (0 without one). */
    long undelivered() {
        return delivery == null ? 0 : delivery.undelivered();
    }

    /** Flushes the coalescers and delivers what is queued (waiting boundedly for a slow sink). */
    void shutdown() {
        if (userCoalescer != null) {
            userCoalescer.shutdown();
        }
        if (memberCoalescer != null) {
            memberCoalescer.shutdown();
        }
        if (delivery != null) {
            delivery.shutdown();
        }
    }
}
