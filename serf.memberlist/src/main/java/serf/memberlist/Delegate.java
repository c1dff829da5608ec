package serf.memberlist;

import java.util.List;

/**
 * What the layer above (Serf) plugs into memberlist: node metadata, user messages, extra
 * broadcasts piggybacked on gossip, and the user part of push/pull state. Called from memberlist's
 * threads; implementations must be thread-safe and quick.
 */
public interface Delegate {

    /** Metadata for this node's alive messages, at most {@code limit} bytes. */
    byte[] nodeMeta(int limit);

    /** A user message (packet or stream) arrived. The array is the caller's to keep. */
    void notifyMsg(byte[] message);

    /**
     * Broadcasts to piggyback: each costs {@code overhead} plus its length, all within {@code limit}.
     * Return an empty list when there is nothing to send.
     */
    List<byte[]> getBroadcasts(int overhead, int limit);

    /** The user state sent in a push/pull; {@code join} is true while joining. May be null. */
    byte[] localState(boolean join);

    /** The user state a peer sent in a push/pull. */
    void mergeRemoteState(byte[] state, boolean join);
}
