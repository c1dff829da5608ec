package serf.memberlist.internal.msg;

/**
 * A stream refused for a reason Go reports to the peer: the message is Go's own text (for example
 * "Encryption is configured but remote state is not encrypted" or "No installed keys could decrypt
 * the message"), to be sent back as an {@code err} message when {@link #sendErrReply()} says so.
 *
 * <p>Label mismatches (memberlist ≥ 0.3) are also reported this way, but Go closes those
 * connections without a reply, so {@link #sendErrReply()} is false for them.
 */
public final class StreamRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean sendErrReply;

    public StreamRejectedException(String goMessage, boolean sendErrReply) {
        super(goMessage, null, false, false);
        this.sendErrReply = sendErrReply;
    }

    /** True when Go answers this refusal with {@code err{Error: getMessage()}} before closing. */
    public boolean sendErrReply() {
        return sendErrReply;
    }
}
