package serf.memberlist.metrics;

/**
 * A sample's aggregate since the node started.
 *
 * @param name  the metric's name
 * @param count how many values were recorded
 * @param sum   their sum
 * @param sumSq the sum of their squares
 * @param min   the smallest (0 when none)
 * @param max   the largest (0 when none)
 */
public record SampleValue(String name, long count, double sum, double sumSq, double min, double max) implements MetricValue {
    /**
     * The mean, 0 when nothing was recorded.
     *
     * @return the mean, 0 when nothing was recorded
     */
    public double mean() {
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The sample standard deviation, 0 with fewer than two values.
     *
     * @return the sample standard deviation, 0 with fewer than two values
     */
    public double stddev() {
        if (count < 2) {
            return 0;
        }
        double m = mean();
        double var = (sumSq - count * m * m) / (count - 1);
        return var <= 0 ? 0 : Math.sqrt(var);
    }
}
