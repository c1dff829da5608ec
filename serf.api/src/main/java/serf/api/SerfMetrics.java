package serf.api;

import serf.memberlist.metrics.Counter;
import serf.memberlist.metrics.Metrics;
import serf.memberlist.metrics.Sample;

/** Serf's metrics of one node under Go serf's names, looked up once (updating them allocates nothing). */
final class SerfMetrics {
    final Metrics registry;
    final Counter memberJoin;
    final Counter memberFlap;
    final Counter memberLeft;
    final Counter memberFailed;
    final Counter memberUpdate;
    final Counter events;
    final Counter queries;
    final Counter queryAcks;
    final Counter queryDuplicateAcks;
    final Counter queryResponses;
    final Counter queryDuplicateResponses;
    final Sample queueIntent;
    final Sample queueEvent;
    final Sample queueQuery;
    final Sample msgsReceived;
    final Sample msgsSent;
    final Counter coordinateRejected;
    final Sample coordinateAdjustment;

    SerfMetrics(Metrics registry) {
        this.registry = registry;
        memberJoin = registry.counter("serf.member.join");
        memberFlap = registry.counter("serf.member.flap");
        memberLeft = registry.counter("serf.member.left");
        memberFailed = registry.counter("serf.member.failed");
        memberUpdate = registry.counter("serf.member.update");
        events = registry.counter("serf.events");
        queries = registry.counter("serf.queries");
        queryAcks = registry.counter("serf.query_acks");
        queryDuplicateAcks = registry.counter("serf.query_duplicate_acks");
        queryResponses = registry.counter("serf.query_responses");
        queryDuplicateResponses = registry.counter("serf.query_duplicate_responses");
        queueIntent = registry.sample("serf.queue.Intent");
        queueEvent = registry.sample("serf.queue.Event");
        queueQuery = registry.sample("serf.queue.Query");
        msgsReceived = registry.sample("serf.msgs.received");
        msgsSent = registry.sample("serf.msgs.sent");
        coordinateRejected = registry.counter("serf.coordinate.rejected");
        coordinateAdjustment = registry.sample("serf.coordinate.adjustment-ms");
    }

    /** A registry of its own, for parts built without a node (tests). */
    static SerfMetrics detached() {
        return new SerfMetrics(new Metrics());
    }

    /** serf.events and serf.events.&lt;name&gt;, as Go counts a new user event. */
    void userEvent(String name) {
        events.increment();
        registry.counter("serf.events", name).increment();
    }

    /** serf.queries and serf.queries.&lt;name&gt;, as Go counts a new query. */
    void query(String name) {
        queries.increment();
        registry.counter("serf.queries", name).increment();
    }
}
