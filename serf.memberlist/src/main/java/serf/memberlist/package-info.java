/**
 * memberlist for the JVM: cluster membership and failure detection by gossip (SWIM with the Lifeguard
 * extensions), speaking the wire protocol of Go's {@code hashicorp/memberlist} 0.2.x so that Java and
 * Go nodes share one cluster.
 *
 * <p><b>Where to start.</b> Build a {@link serf.memberlist.MemberlistConfig} from one of its profiles
 * ({@code lan()}, {@code wan()}, {@code local()}), give it a node name and the delegates you need, then
 * {@link serf.memberlist.Memberlist#create(MemberlistConfig) Memberlist.create(config)},
 * {@link serf.memberlist.Memberlist#join join} a known member, read
 * {@link serf.memberlist.Memberlist#members() members()}, and end with
 * {@link serf.memberlist.Memberlist#leave leave} and {@link serf.memberlist.Memberlist#shutdown()
 * shutdown()}. Most applications want the Serf layer on top ({@code serf.api}) rather than this package.
 *
 * <p><b>Hooks.</b> The application plugs in through delegates: {@link serf.memberlist.Delegate} (node
 * metadata, user messages, piggybacked broadcasts, push/pull state), {@link serf.memberlist.EventDelegate}
 * (joins, leaves, updates), {@link serf.memberlist.ConflictDelegate}, {@link serf.memberlist.MergeDelegate},
 * {@link serf.memberlist.AliveDelegate} and {@link serf.memberlist.PingDelegate}.
 * {@link serf.memberlist.TransmitLimitedQueue} is the broadcast queue a delegate can use for its own
 * messages, with memberlist's retransmission limit.
 *
 * <p><b>Threads.</b> A node starts no platform threads. Its rounds, timers and blocking work run on its
 * {@link serf.memberlist.Scheduler} (by default one of virtual threads, made and closed by the node); the
 * transport receives on threads of its own. Delegates are called on those threads, one change at a time
 * and in order, outside the node's locks (except {@code AliveDelegate}, whose answer decides a change):
 * they must be thread-safe and return quickly, and they may call back into the node. The methods of
 * {@code Memberlist} are safe to call from any thread. {@code MemberlistConfig} is not thread-safe, but a
 * node takes its own copy. {@code Node} values are immutable snapshots.
 *
 * <p><b>Bounds.</b> What a peer can make a node hold is bounded: memory for input comes from an
 * {@link serf.wire.InputBudget}, streams are capped by the cluster's size, the number of known nodes by
 * {@link serf.memberlist.MemberlistConfig#maxNodes()}; what is refused or dropped is counted in
 * {@link serf.memberlist.MemberlistStats}. The wire format itself is described in the repository's
 * {@code docs/protocol/memberlist-wire.md}.
 */
package serf.memberlist;
