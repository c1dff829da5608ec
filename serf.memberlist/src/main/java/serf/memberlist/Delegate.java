package serf.memberlist;

import java.util.List;

/**
 * What the layer above (Serf) plugs into memberlist: node metadata, user messages, extra
 * broadcasts piggybacked on gossip, and the user part of push/pull state. Called from memberlist's
 * threads; implementations must be thread-safe and quick.
 */
public interface Delegate {

    /**
     * Metadata for this node's alive messages, at most {@code limit} bytes.
     *
     * @param limit the most bytes the metadata may have
     * @return the metadata; null or empty for none
     */
    byte[] nodeMeta(int limit);

    /**
     * A user message (packet or stream) arrived. The array is the caller's to keep.
     *
     * @param message the message's payload (without memberlist's type byte)
     */
    void notifyMsg(byte[] message);

    /**
     * Broadcasts to piggyback: each costs {@code overhead} plus its length, all within {@code limit}.
     * Return an empty list when there is nothing to send.
     *
     * @param overhead bytes memberlist adds to each broadcast
     * @param limit bytes available for broadcasts in this packet
     * @return the broadcasts to send, in order
     */
    List<byte[]> getBroadcasts(int overhead, int limit);

    /**
     * Whether {@link #getBroadcasts} might return something now: false lets a gossip round with nothing
     * queued anywhere skip choosing its targets, and lets the node's gossip sleep (about a second at a
     * time) until something is queued (a saving that matters on an idle node, whose rounds run five
     * times a second). A delegate that returns false calls {@link Memberlist#broadcastQueued()} when it
     * later queues a message; one that forgets has it sent up to a second late. The default, true,
     * keeps Go's rounds and needs no such call.
     *
     * @return false only when {@link #getBroadcasts} would return nothing
     */
    default boolean hasBroadcasts() {
        return true;
    }

    /**
     * Whether the delegate holds broadcasts that should not wait behind memberlist's own
     * ({@link #getUrgentBroadcasts}). Go always fills a packet with memberlist's broadcasts first, so
     * after many joins (every joiner re-gossips each member its push/pull taught it) the delegate's
     * wait behind thousands of alive messages at every hop. Serf returns true while it holds user
     * events or queries (its join and leave intents keep Go's order). The default, false, keeps Go's
     * order.
     *
     * @return true while {@link #getUrgentBroadcasts} may return something
     */
    default boolean hasUrgentBroadcasts() {
        return false;
    }

    /**
     * The urgent broadcasts ({@link #hasUrgentBroadcasts}), each costing {@code overhead} plus its
     * length, within {@code limit}. A delegate that has urgent broadcasts returns them only here, never
     * from {@link #getBroadcasts}, which memberlist calls after this in the same packet. They lead every
     * packet: in every other packet they may fill it, in the others (while memberlist
     * has broadcasts of its own queued) they get at most a quarter of it, so that memberlist keeps at
     * least three quarters of those. What goes on the wire is the same as in Go's order: a compound
     * packet's parts are handled alike in any order. The default returns nothing.
     *
     * @param overhead bytes memberlist adds to each broadcast
     * @param limit bytes available for them in this packet
     * @return the urgent broadcasts to send, in order
     */
    default List<byte[]> getUrgentBroadcasts(int overhead, int limit) {
        return List.of();
    }

    /**
     * {@return the user state sent in a push/pull; {@code join} is true while joining} May be null.
     *
     * @param join true while this node is joining, false for a periodic exchange
     */
    byte[] localState(boolean join);

    /**
     * The user state a peer sent in a push/pull.
     *
     * @param state the peer's user state
     * @param join true when it came with a join
     */
    void mergeRemoteState(byte[] state, boolean join);
}
