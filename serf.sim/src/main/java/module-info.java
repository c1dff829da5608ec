/**
 * A deterministic simulator for Serf and memberlist: many real nodes (the library's own code, with
 * your delegates and event sinks) on a simulated network in virtual time, one thread, one seed.
 * Links have delay, jitter (hence reordering) and loss; partitions and crashes are one call each;
 * the same seed gives the same trace. See {@link serf.sim.Simulation}.
 */
module serf.sim {
    requires transitive serf.api;
    requires transitive serf.memberlist;

    exports serf.sim;
}
