package serf.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntSupplier;
import serf.memberlist.Broadcast;
import serf.memberlist.TransmitLimitedQueue;
import serf.memberlist.UniqueBroadcast;

/**
 * Serf's three gossip queues (Go's broadcasts, eventBroadcasts, queryBroadcasts), piggybacked on
 * memberlist's gossip by {@link #getBroadcasts} (intents) and {@link #getUrgentBroadcasts} (queries
 * and user events, which lead the packet), and the queue-depth monitor that prunes them
 * when they grow past their limit.
 */
final class SerfBroadcasts {
    private record SerfBroadcast(byte[] message, CountDownLatch done) implements UniqueBroadcast {
        @Override
        public boolean invalidates(Broadcast other) {
            return false;
        }

        @Override
        public void finished() {
            if (done != null) {
                done.countDown();
            }
        }
    }

    private final TransmitLimitedQueue intents;
    private final TransmitLimitedQueue events;
    private final TransmitLimitedQueue queries;
    private final Config config;
    private final IntSupplier numMembers;
    private final System.Logger log;

    SerfBroadcasts(Config config, IntSupplier numMembers, System.Logger log) {
        int mult = config.memberlistConfig().retransmitMult();
        this.intents = new TransmitLimitedQueue(numMembers, mult);
        this.events = new TransmitLimitedQueue(numMembers, mult);
        this.queries = new TransmitLimitedQueue(numMembers, mult);
        this.config = config;
        this.numMembers = numMembers;
        this.log = log;
    }

    /** Queues a join or leave intent; {@code done} (may be null) opens once it was sent enough times. */
    void intent(byte[] raw, CountDownLatch done) {
        intents.queueBroadcast(new SerfBroadcast(raw, done));
    }

    void event(byte[] raw) {
        events.queueBroadcast(new SerfBroadcast(raw, null));
    }

    void query(byte[] raw) {
        queries.queueBroadcast(new SerfBroadcast(raw, null));
    }

    /**
     * memberlist's Delegate.GetBroadcasts: the join and leave intents, in Go's order after memberlist's
     * own broadcasts. Queries and user events go by {@link #getUrgentBroadcasts}, which leads the packet.
     */
    List<byte[]> getBroadcasts(int overhead, int limit) {
        List<byte[]> out = new ArrayList<>();
        take(intents, overhead, limit, 0, out);
        return out;
    }

    /** Queries, then user events (Go's order between them), to lead the packet before memberlist's. */
    List<byte[]> getUrgentBroadcasts(int overhead, int limit) {
        List<byte[]> out = new ArrayList<>();
        int used = take(queries, overhead, limit, 0, out);
        take(events, overhead, limit, used, out);
        return out;
    }

    /** Adds what fits of {@code queue} to {@code out}; returns the bytes used with it. */
    private static int take(TransmitLimitedQueue queue, int overhead, int limit, int used, List<byte[]> out) {
        for (byte[] b : queue.getBroadcasts(overhead, limit - used)) {
            used += b.length + overhead;
            out.add(b);
        }
        return used;
    }

    /** Runs {@code listener} after each message queued on any of the three queues. */
    void onQueued(Runnable listener) {
        intents.onQueued(listener);
        events.onQueued(listener);
        queries.onQueued(listener);
    }

    /** Whether any of the three queues holds a message. */
    boolean anyQueued() {
        return intents.numQueued() > 0 || queries.numQueued() > 0 || events.numQueued() > 0;
    }

    /** Whether user events or queries are queued: those lead the packet, before memberlist's own backlog. */
    boolean urgentQueued() {
        return queries.numQueued() > 0 || events.numQueued() > 0;
    }

    int intentsQueued() {
        return intents.numQueued();
    }

    int eventsQueued() {
        return events.numQueued();
    }

    int queriesQueued() {
        return queries.numQueued();
    }

    private SerfMetrics metrics = SerfMetrics.detached();

    /** The node's metrics (set once, before memberlist starts). */
    void metrics(SerfMetrics m) {
        metrics = m;
    }

    /** Go's checkQueueDepth for the three queues: warn, and prune what exceeds the limit. */
    void checkDepths() {
        int max = config.maxQueueDepth();
        if (config.minQueueDepth() > 0) {
            max = Math.max(config.minQueueDepth(), 2 * numMembers.getAsInt());
        }
        metrics.queueIntent.record(intents.numQueued());
        metrics.queueEvent.record(events.numQueued());
        metrics.queueQuery.record(queries.numQueued());
        check("Intent", intents, max);
        check("Event", events, max);
        check("Query", queries, max);
    }

    private void check(String name, TransmitLimitedQueue q, int max) {
        int n = q.numQueued();
        if (n >= config.queueDepthWarning()) {
            log.log(System.Logger.Level.WARNING, "serf: " + name + " queue depth: " + n);
        }
        if (n > max) {
            log.log(System.Logger.Level.WARNING, "serf: " + name + " queue depth (" + n + ") exceeds limit (" + max + "), dropping messages!");
            q.prune(max);
        }
    }
}
