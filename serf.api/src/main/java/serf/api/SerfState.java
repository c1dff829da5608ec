package serf.api;

/** The lifecycle of a {@link Serf} instance. */
public enum SerfState {
    ALIVE("alive"), LEAVING("leaving"), LEFT("left"), SHUTDOWN("shutdown");

    private final String text;

    SerfState(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
