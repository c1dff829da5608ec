package serf.memberlist.metrics;

/**
 * Sees every update of a {@link Metrics} registry as it happens, on the thread that made it (which
 * may be a protocol thread: an implementation must not block and should hand the value off to a
 * bounded queue). The agent's statsd, statsite and in-memory interval sinks are listeners. No lock
 * of the registry or of the node is held while a listener runs; an exception it throws is swallowed
 * and counted ({@link Metrics#listenerFailures()}).
 */
public interface MetricsListener {
    /**
     * A counter was incremented by {@code value}.
     *
     * @param name the metric's name
     * @param value the value
     */
    void counter(String name, double value);

    /**
     * A gauge was set to {@code value}.
     *
     * @param name the metric's name
     * @param value the value
     */
    void gauge(String name, double value);

    /**
     * A sample recorded {@code value} (milliseconds for timers).
     *
     * @param name the metric's name
     * @param value the value
     */
    void sample(String name, double value);
}
