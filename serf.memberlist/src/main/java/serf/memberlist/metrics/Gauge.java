package serf.memberlist.metrics;

import java.util.concurrent.atomic.AtomicLong;

/** A gauge: the last value set (Go's {@code SetGauge}). Lock-free and allocation-free to set. */
public final class Gauge {
    private final String name;
    private final Metrics owner;
    private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0));

    Gauge(String name, Metrics owner) {
        this.name = name;
        this.owner = owner;
    }

    /**
     * The metric's name, such as {@code memberlist.health.score}.
     *
     * @return the metric's name, such as {@code memberlist.health.score}
     */
    public String name() {
        return name;
    }

    /**
     * Sets the gauge.
     *
     * @param value the value
     */
    public void set(double value) {
        bits.set(Double.doubleToRawLongBits(value));
        owner.gaugeSet(this, value);
    }

    /**
     * The last value set (0 before the first).
     *
     * @return the last value set (0 before the first)
     */
    public double value() {
        return Double.longBitsToDouble(bits.get());
    }
}
