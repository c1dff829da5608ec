/**
 * A node's metrics under the names Go's memberlist and serf use, for Java code, the agent's
 * {@code serf info}, statsd/statsite sinks, SIGUSR1 dump and Prometheus endpoint.
 *
 * <p><b>One registry per node.</b> {@link serf.memberlist.metrics.Metrics} holds
 * {@link serf.memberlist.metrics.Counter counters} (occurrences and the sum of what they added, such as
 * bytes), {@link serf.memberlist.metrics.Gauge gauges} and {@link serf.memberlist.metrics.Sample samples}
 * (durations in milliseconds, sizes). A {@code Memberlist} makes its own unless
 * {@code MemberlistConfig.metrics(...)} gives one; a {@code Serf} shares one with its memberlist. Nothing
 * is static, so a process can run many nodes and tell them apart.
 *
 * <p><b>Names</b> are Go's keys joined with dots: {@code memberlist.gossip}, {@code memberlist.probeNode},
 * {@code memberlist.pushPullNode} (samples, ms); {@code memberlist.msg.alive/suspect/dead},
 * {@code memberlist.degraded.probe/timeout}, {@code memberlist.udp.sent/received},
 * {@code memberlist.tcp.accept/connect/sent} (counters); {@code memberlist.health.score} (gauge);
 * {@code serf.member.join/left/failed/update/flap}, {@code serf.events}, {@code serf.events.<name>},
 * {@code serf.queries}, {@code serf.queries.<name>}, {@code serf.query_acks},
 * {@code serf.query_duplicate_acks}, {@code serf.query_responses}, {@code serf.query_duplicate_responses},
 * {@code serf.coordinate.rejected} (counters); {@code serf.queue.Intent/Event/Query},
 * {@code serf.msgs.sent/received}, {@code serf.coordinate.adjustment-ms} (samples). Besides Go's, the
 * node's drop and refusal counters are reported under {@code memberlist.stats.<key>} (the keys of
 * {@code MemberlistStats.asMap()}), read from where they are kept when a
 * {@link serf.memberlist.metrics.Metrics#snapshot() snapshot} is taken. Names built from what peers send
 * ({@code serf.events.<name>}) are capped per registry ({@link serf.memberlist.metrics.Metrics#MAX_NAMES}).
 *
 * <p><b>Cost.</b> Look a metric up once and keep it: an update is a few adder or CAS operations and
 * allocates nothing. {@link serf.memberlist.metrics.MetricsListener Listeners} (the agent's sinks) see
 * each update on the updating thread, with no lock held; they must not block.
 *
 * <p><b>Reading.</b> {@link serf.memberlist.metrics.Metrics#snapshot()} returns every value sorted by
 * name; records ({@link serf.memberlist.metrics.CounterValue}, {@link serf.memberlist.metrics.GaugeValue},
 * {@link serf.memberlist.metrics.SampleValue}) under a sealed interface. Thread-safe throughout.
 *
 * <p>JFR events (probe, suspect, dead, refute, gossip round, push/pull, member change, user event,
 * query) are emitted beside these metrics when jdk.jfr is in the module graph and a recording wants
 * them; see docs/metrics.md.
 */
package serf.memberlist.metrics;
