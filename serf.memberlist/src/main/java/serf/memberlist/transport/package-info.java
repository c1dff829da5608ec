/**
 * The network under memberlist: datagrams for gossip and probes, streams for push/pull, TCP pings and
 * reliable user messages.
 *
 * <p>{@link serf.memberlist.transport.Transport} is the contract; {@link serf.memberlist.transport.NetTransport}
 * implements it with a UDP socket and a TCP listener on one port (what Go nodes talk to), configured by
 * {@link serf.memberlist.transport.NetTransportConfig}. {@link serf.memberlist.transport.MemoryNetwork}
 * hands out in-memory transports for tests: per-link loss, delay and jitter
 * ({@link serf.memberlist.transport.LinkFaults}), partitions ({@link serf.memberlist.transport.Partition})
 * and nodes taken down, all from a seed.
 *
 * <p><b>Threads.</b> A transport delivers packets to its {@code PacketHandler} on a receive thread of its
 * own (so the handler must not block for long) and serves each accepted stream on a virtual thread of its
 * own, up to a bound; sending is safe from any thread. A {@link serf.memberlist.transport.StreamConnection}
 * belongs to one thread at a time. Closing a transport releases its sockets and threads.
 *
 * <p>Where to start: {@code NetTransport.open(NetTransportConfig.of(address, port))} for a real node (or let
 * {@link serf.memberlist.Memberlist#create} build one from its configuration), {@code MemoryNetwork.create(seed)}
 * in a test.
 */
package serf.memberlist.transport;
