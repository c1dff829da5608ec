/**
 * SWIM with the Lifeguard extensions, wire-compatible with Go memberlist 0.2.x.
 * {@code serf.memberlist} is the API (Memberlist, MemberlistConfig, delegates, the broadcast queue);
 * {@code serf.memberlist.transport} the pluggable network (UDP/TCP and in-memory). The wire codecs
 * in {@code serf.memberlist.internal.msg} are not exported.
 */
module serf.memberlist {
    requires transitive serf.wire;
    requires transitive serf.crypto;

    exports serf.memberlist;
    exports serf.memberlist.transport;
    // Metrics (Go's names) and JFR events: serf.memberlist.metrics, serf.memberlist.internal.jfr.
    exports serf.memberlist.metrics;
    exports serf.memberlist.internal.jfr to serf.api;
    // The simulator's converged start (Simulation.converge) reaches memberlist's state through this door.
    exports serf.memberlist.internal.sim to serf.sim;
    requires static jdk.jfr;
}
