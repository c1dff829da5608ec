package serf.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A node's Vivaldi network coordinate as the agent reports it ({@link SerfClient#getCoordinate}).
 * All values are in seconds.
 *
 * @param vec        the position in the Euclidean space; null when the agent sent none
 * @param error      the node's confidence in its position (lower is better)
 * @param adjustment a correction added to every distance estimate, learnt from the node's
 *                   observations
 * @param height     the distance from the node to the core of the network (its access link)
 */
public record Coordinate(List<Double> vec, double error, double adjustment, double height) {

    /** The coordinate of nowhere: what the agent sends beside "not found". */
    public static final Coordinate ZERO = new Coordinate(null, 0, 0, 0);

    /**
     * Copies the vector.
     */
    public Coordinate {
        vec = vec == null ? null : Collections.unmodifiableList(new ArrayList<>(vec));
    }

    /**
     * The estimated round trip time to {@code other}, in seconds, computed as Serf computes it:
     * the distance between the two positions plus both heights, then plus both adjustments unless
     * that would leave nothing positive; truncated to whole nanoseconds.
     *
     * @param other the other node's coordinate
     * @return the estimate in seconds
     * @throws IllegalArgumentException if the two vectors have different lengths
     */
    public double distanceSeconds(Coordinate other) {
        List<Double> a = vec == null ? List.of() : vec;
        List<Double> b = other.vec == null ? List.of() : other.vec;
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("coordinate dimensionality does not match");
        }
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            double d = a.get(i) - b.get(i);
            sum += d * d;
        }
        double dist = Math.sqrt(sum) + height + other.height;
        double adjusted = dist + adjustment + other.adjustment;
        if (adjusted > 0.0) {
            dist = adjusted;
        }
        long nanos = (long) (dist * 1.0e9);
        // Whole seconds and the fraction converted separately, as a Go Duration's Seconds() does.
        return (double) (nanos / 1_000_000_000L) + (double) (nanos % 1_000_000_000L) / 1e9;
    }
}
