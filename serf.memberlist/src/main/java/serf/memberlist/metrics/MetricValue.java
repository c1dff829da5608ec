package serf.memberlist.metrics;

/** One metric's value in a {@link MetricsSnapshot}. */
public sealed interface MetricValue permits CounterValue, GaugeValue, SampleValue {
    /**
     * The metric's name, dot-separated as Go's keys are joined ({@code serf.member.join}).
     *
     * @return the metric's name, dot-separated as Go's keys are joined ({@code serf.member.join})
     */
    String name();
}
