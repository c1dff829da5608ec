/**
 * Serf: cluster membership with tags, user events, queries, a key manager and network
 * coordinates, on top of serf.memberlist. Wire-compatible with Go serf 0.9.x (protocol 2 to 5).
 */
module serf.api {
    requires transitive serf.memberlist;
    requires serf.snapshot;

    exports serf.api;
    exports serf.api.coordinate;
    // Go-compatible regular expressions, for the agent's members-filtered.
    exports serf.api.internal.msg to serf.agent;
}
