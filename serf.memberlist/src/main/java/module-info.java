/**
 * SWIM with the Lifeguard extensions, wire-compatible with Go memberlist 0.2.x.
 */
module serf.memberlist {
    requires transitive serf.wire;
    requires transitive serf.crypto;
}
