package serf.memberlist.metrics;

/**
 * A counter's totals since the node started.
 *
 * @param name  the metric's name
 * @param count how many times it was incremented
 * @param sum   the sum of the increments (equal to {@code count} for counters of occurrences)
 */
public record CounterValue(String name, long count, long sum) implements MetricValue {
}
