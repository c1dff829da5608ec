package serf.api;

/** One node's drop counters, one per bounded stage, each logging its own runs of drops. */
final class DropCounters {
    final DropCounter delivery;
    final DropCounter memberCoalescer;
    final DropCounter userCoalescer;
    final DropCounter internalQueries;
    final DropCounter conflicts;
    final DropCounter queryResponses;
    final DropCounter eventBuffer;
    final DropCounter queryBuffer;
    final DropCounter intents;
    final DropCounter queriesRefused;
    final DropCounter membersEvicted;

    DropCounters(System.Logger log) {
        delivery = new DropCounter("event sink is not keeping up (its queue is full), events", log);
        memberCoalescer = new DropCounter("member event coalescer has shut down, events", log);
        userCoalescer = new DropCounter("user event coalescer has shut down, events", log);
        internalQueries = new DropCounter("internal query queue is full, queries", log);
        conflicts = new DropCounter("name conflict resolution is running or ran recently, further conflict reports", log);
        queryResponses = new DropCounter("a query's response buffer is full, acks/responses", log);
        eventBuffer = new DropCounter("user event buffer is full, user events", log);
        queryBuffer = new DropCounter("query buffer is full, queries", log);
        intents = new DropCounter("intent buffer is full, join/leave intents", log);
        queriesRefused = new DropCounter("too many queries are open, new queries", log);
        membersEvicted = new DropCounter("the member list is full, failed or left members reaped early", log);
    }

    DropCounts counts(long snapshotEvents, long eventsUndelivered) {
        return new DropCounts(delivery.total() + memberCoalescer.total() + userCoalescer.total(),
                internalQueries.total(), conflicts.total(), queryResponses.total(), eventBuffer.total(),
                queryBuffer.total(), intents.total(), queriesRefused.total(), snapshotEvents, membersEvicted.total(),
                eventsUndelivered);
    }
}
