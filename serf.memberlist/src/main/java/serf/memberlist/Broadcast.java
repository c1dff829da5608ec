package serf.memberlist;

/**
 * A message queued for gossip on a {@link TransmitLimitedQueue}. {@link #finished()} is called once,
 * when the message has been sent as often as the retransmit limit allows or was superseded.
 */
public interface Broadcast {

    /**
     * {@return true if this broadcast makes {@code other} obsolete (only consulted for plain broadcasts)}
     *
     * @param other another queued broadcast
     */
    boolean invalidates(Broadcast other);

    /** {@return the bytes to send; must not change while queued} */
    byte[] message();

    /** Called once when the broadcast leaves the queue. */
    void finished();
}
