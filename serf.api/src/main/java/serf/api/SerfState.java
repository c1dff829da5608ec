package serf.api;

/** The lifecycle of a {@link Serf} instance. */
public enum SerfState {
    /** Running and a member of its cluster. */
    ALIVE("alive"),
    /** {@link Serf#leave()} is in progress (or failed: then only {@link Serf#shutdown()} is left). */
    LEAVING("leaving"),
    /** Left the cluster; still running until shut down. */
    LEFT("left"),
    /** Shut down: nothing runs any more. */
    SHUTDOWN("shutdown");

    private final String text;

    SerfState(String text) {
        this.text = text;
    }

    /** {@return the lower-case name Go prints} */
    @Override
    public String toString() {
        return text;
    }
}
