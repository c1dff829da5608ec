package serf.memberlist.metrics;

import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A sample: a distribution of observed values, such as durations in milliseconds (Go's
 * {@code AddSample} and {@code MeasureSince}) or message sizes in bytes. Keeps the count, sum, sum of
 * squares, minimum and maximum since the node started; lock-free and allocation-free to record.
 */
public final class Sample {
    private final String name;
    private final Metrics owner;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();
    private final DoubleAdder sumSq = new DoubleAdder();
    private final DoubleAccumulator min = new DoubleAccumulator(Math::min, Double.POSITIVE_INFINITY);
    private final DoubleAccumulator max = new DoubleAccumulator(Math::max, Double.NEGATIVE_INFINITY);

    Sample(String name, Metrics owner) {
        this.name = name;
        this.owner = owner;
    }

    /**
     * The metric's name, such as {@code memberlist.probeNode}.
     *
     * @return the metric's name, such as {@code memberlist.probeNode}
     */
    public String name() {
        return name;
    }

    /**
     * Records one value.
     *
     * @param value the value
     */
    public void record(double value) {
        count.increment();
        sum.add(value);
        sumSq.add(value * value);
        min.accumulate(value);
        max.accumulate(value);
        owner.sampled(this, value);
    }

    /**
     * Records the time since {@code startNanos} (a {@link System#nanoTime()} reading) in milliseconds, as Go's timers do.
     *
     * @param startNanos the start nanos
     */
    public void recordSince(long startNanos) {
        record((System.nanoTime() - startNanos) / 1_000_000.0);
    }

    SampleValue value() {
        long n = count.sum();
        return new SampleValue(name, n, sum.sum(), sumSq.sum(), n == 0 ? 0 : min.get(), n == 0 ? 0 : max.get());
    }
}
