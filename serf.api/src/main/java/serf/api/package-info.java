/**
 * Serf for the JVM: cluster membership, failure detection, custom events and queries, encryption
 * key rotation and network coordinates, on the gossip protocol of HashiCorp Serf (Serf protocol 2
 * to 5), so that Java and Go nodes form one cluster. The Java form of Go's {@code serf} package.
 *
 * <h2>A node</h2>
 * Configure with {@link serf.api.Config#defaults()} (Go's defaults; every setting's javadoc gives its
 * unit, default and Go field), start with {@link serf.api.Serf#create}, {@link serf.api.Serf#join}
 * a cluster, read {@link serf.api.Serf#members()}, and receive events through
 * {@link serf.api.Config#eventSink}. {@link serf.api.Serf} and {@link serf.api.QueryResponse} are
 * {@link java.lang.AutoCloseable}:
 * <pre>{@code
 * Config config = Config.defaults().nodeName("web-1")
 *         .memberlistConfig(MemberlistConfig.lan().bindPort(7946))
 *         .eventSink(event -> System.out.println(event));
 * try (Serf serf = Serf.create(config)) {
 *     serf.join(List.of("10.0.0.1"), false);
 *     try (QueryResponse r = serf.query("uptime", null,
 *             serf.defaultQueryParams().withFilterTags(Map.of("role", "db")))) {
 *         for (NodeResponse answer : r.awaitMatchedResponses(Duration.ofSeconds(5))) {
 *             System.out.println(answer.from() + ": " + new String(answer.payload()));
 *         }
 *     }
 *     serf.leave(); // close() alone does not leave: the others would see a failure
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * A node runs on one {@link serf.memberlist.Scheduler} (its own, or the one of the memberlist
 * config); events reach the sink in order on its delivery thread, and the protocol never waits for
 * the sink. Every method of {@link serf.api.Serf} may be called from any thread.
 *
 * <h2>Bounds</h2>
 * Every queue and buffer is bounded; what a bound refuses is dropped and counted, never waited
 * for: {@link serf.api.Serf#dropCounts()} and {@link serf.api.Serf#stats()}.
 *
 * <h2>Beyond Go's API</h2>
 * Queries that finish early ({@link serf.api.QueryParam#closeAfterResponses},
 * {@link serf.api.QueryResponse#awaitMatchedResponses}), closing with try-with-resources, drop
 * counters, and {@code member_flaps} in the stats.
 */
package serf.api;
