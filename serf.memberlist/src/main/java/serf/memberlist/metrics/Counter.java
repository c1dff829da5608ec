package serf.memberlist.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A counter: how many times something happened and the total it added (Go's {@code IncrCounter},
 * whose value is a count of 1 or a number of bytes). Lock-free and allocation-free to increment;
 * get one from {@link Metrics#counter(String)} once and keep it in a field.
 */
public final class Counter {
    private final String name;
    private final Metrics owner;
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();

    Counter(String name, Metrics owner) {
        this.name = name;
        this.owner = owner;
    }

    /**
     * The metric's name, such as {@code memberlist.msg.suspect}.
     *
     * @return the metric's name, such as {@code memberlist.msg.suspect}
     */
    public String name() {
        return name;
    }

    /** Counts one occurrence. */
    public void increment() {
        add(1);
    }

    /**
     * Counts one occurrence that added {@code value} (bytes sent, for instance).
     *
     * @param value the value
     */
    public void add(long value) {
        count.increment();
        sum.add(value);
        owner.counted(this, value);
    }

    /**
     * Occurrences since the node started.
     *
     * @return occurrences since the node started
     */
    public long count() {
        return count.sum();
    }

    /**
     * The sum of the values added since the node started.
     *
     * @return the sum of the values added since the node started
     */
    public long sum() {
        return sum.sum();
    }
}
