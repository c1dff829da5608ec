package serf.memberlist.metrics;

/**
 * A gauge's last value.
 *
 * @param name  the metric's name
 * @param value the last value set
 */
public record GaugeValue(String name, double value) implements MetricValue {
}
