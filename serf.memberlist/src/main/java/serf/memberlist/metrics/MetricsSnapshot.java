package serf.memberlist.metrics;

import java.util.List;
import java.util.Optional;

/**
 * Every metric of a node at one instant, sorted by name.
 *
 * @param values the metrics
 */
public record MetricsSnapshot(List<MetricValue> values) {
    /** A defensive copy. */
    public MetricsSnapshot {
        values = List.copyOf(values);
    }

    /**
     * The metric called {@code name}, if the node has it.
     *
     * @param name the metric's name
     * @return the metric called {@code name}, if the node has it
     */
    public Optional<MetricValue> get(String name) {
        return values.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /**
     * A counter's count (occurrences), 0 when the node has no such counter.
     *
     * @param name the metric's name
     * @return a counter's count (occurrences), 0 when the node has no such counter
     */
    public long count(String name) {
        return switch (get(name).orElse(null)) {
            case CounterValue c -> c.count();
            case SampleValue s -> s.count();
            case null, default -> 0;
        };
    }
}
