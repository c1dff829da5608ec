package serf.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Serf node dropped or refused since it started, because a bounded queue or buffer was full
 * or a rate limit applied, read with {@link Serf#dropCounts()}. Each counter is also in
 * {@link Serf#stats()} under the key {@link #asMap()} gives it. Every counter only grows.
 *
 * <p>Events for the application are never waited for: the event sink ({@link Config#eventSink})
 * gets them through a bounded queue ({@link Config#eventSinkBuffer}). An application too slow for
 * its events loses them in two places, both counted: {@link #events()} (the queue was full when the
 * event came) and {@link #eventsUndelivered()} (still queued when the node shut down and the sink
 * did not take them within 5 seconds).
 *
 * @param events                events not handed to the event sink: its queue was full (or the node was shutting down)
 * @param internalQueries       internal queries ({@code _serf_*}) not answered: the worker's queue was full
 * @param conflicts             name-conflict resolutions not started: one was running or ran recently
 * @param queryResponses        acks and responses to our queries not kept: the query's buffers were full
 * @param eventBuffer           user events refused by the full event buffer (not delivered nor rebroadcast)
 * @param queryBuffer           queries refused by the full query buffer (not delivered nor rebroadcast)
 * @param intents               join/leave intents about unknown nodes refused by the full intent buffer
 * @param queriesRefused        queries this node was asked to send while too many were open
 * @param snapshotEvents        events the snapshot writer dropped because it fell behind
 * @param membersEvicted        failed or left members reaped before their timeout because the member list
 *                              was full (memberlist's {@code maxNodes}: peers can announce members that do
 *                              not exist, and failed ones are otherwise kept for the reconnect timeout)
 * @param eventsUndelivered     events still queued for the sink at shutdown and never delivered: shutdown
 *                              waits up to 5 seconds for a slow sink, then gives up on them
 */
public record DropCounts(long events, long internalQueries, long conflicts, long queryResponses, long eventBuffer,
                         long queryBuffer, long intents, long queriesRefused, long snapshotEvents,
                         long membersEvicted, long eventsUndelivered) {

    /**
     * The counters under their {@code stats()} keys (snake_case), in a stable order.
     *
     * @return a new map from stats key to count: {@code events_dropped}, {@code internal_queries_dropped},
     *         {@code conflicts_dropped}, {@code query_responses_dropped}, {@code event_buffer_dropped},
     *         {@code query_buffer_dropped}, {@code intents_dropped}, {@code queries_refused},
     *         {@code snapshot_events_dropped}, {@code members_evicted}, {@code events_undelivered}
     */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("events_dropped", events);
        m.put("internal_queries_dropped", internalQueries);
        m.put("conflicts_dropped", conflicts);
        m.put("query_responses_dropped", queryResponses);
        m.put("event_buffer_dropped", eventBuffer);
        m.put("query_buffer_dropped", queryBuffer);
        m.put("intents_dropped", intents);
        m.put("queries_refused", queriesRefused);
        m.put("snapshot_events_dropped", snapshotEvents);
        m.put("members_evicted", membersEvicted);
        m.put("events_undelivered", eventsUndelivered);
        return m;
    }
}
