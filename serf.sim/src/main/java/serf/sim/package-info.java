/**
 * A deterministic simulator: many real Serf and memberlist nodes (this library's code, with your
 * delegates and event handlers) on a simulated network, in virtual time, on one thread, from one seed.
 *
 * <p>Where to start: {@code Simulation.builder().seed(42).build()}, then {@code addSerf(name)} for each
 * node, {@code serf(name).join(...)}, and {@code runUntil(condition, limit)} to move virtual time on.
 * Links have delay, jitter and loss ({@link serf.sim.LinkProfile}); {@code partition}, {@code link} and
 * {@code crash} change the network during a run; {@link serf.sim.Simulation#traceDigest()} tells whether
 * two runs were the same. {@link serf.sim.Simulation#converge()} starts a large cluster as it is long
 * after its joins, without their traffic. The repository's {@code docs/simulator.md} explains more.
 *
 * <p><b>Threads.</b> Not thread-safe: the thread that builds a simulation drives it, and every node's
 * timers, work and deliveries run on that thread when it calls {@code runFor} or {@code runUntil}. Work
 * queued from any other thread is counted ({@link serf.sim.Simulation#foreignThreadCalls()}), since it
 * would make a run depend on timing.
 */
package serf.sim;
