/**
 * A client for a Serf agent's RPC address: the Java counterpart of Go's {@code serf/client}
 * package. {@link serf.client.SerfClient} connects (optionally with an authentication key) and
 * offers every command of the agent's RPC protocol: members, join, leave, force-leave, user
 * events, queries, tags, keyring operations, statistics, coordinates, and the event and log
 * streams. Values are plain records ({@link serf.client.Member}, {@link serf.client.Coordinate},
 * {@link serf.client.KeyResponse}, {@link serf.client.StreamEvent}, {@link serf.client.QueryResult});
 * streaming commands return a {@link serf.client.Subscription} to close.
 *
 * <p>The module depends on the JDK and serf.wire only (for its internal codec) and changes no
 * JVM-wide state.
 */
package serf.client;
