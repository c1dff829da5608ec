package serf.api.coordinate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A Vivaldi network coordinate, as Go's {@code coordinate.Coordinate}: a Euclidean position plus a
 * non-Euclidean height and an adjustment term, all in seconds, with an error estimate. Estimated
 * round-trip time between two nodes = {@link #distanceTo}. Immutable: {@code vec} is copied in and out.
 *
 * @param vec        Euclidean part, seconds
 * @param error      confidence in the position (dimensionless, lower is better)
 * @param adjustment offset added to distances, seconds
 * @param height     access-link height, seconds
 */
public record Coordinate(double[] vec, double error, double adjustment, double height) {

    /** Below this, a distance or magnitude counts as zero (Go's zeroThreshold). */
    static final double ZERO_THRESHOLD = 1.0e-6;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Copies the vector. */
    public Coordinate {
        vec = Objects.requireNonNull(vec, "vec").clone();
    }

    /**
     * The starting coordinate: at the origin, with the maximum error and the minimum height.
     *
     * @param config gives the dimensionality, the maximum error and the minimum height
     * @return the origin
     */
    public static Coordinate origin(CoordinateConfig config) {
        return new Coordinate(new double[config.dimensionality()], config.vivaldiErrorMax(), 0.0, config.heightMin());
    }

    /** {@return a copy of the Euclidean part} */
    @Override
    public double[] vec() {
        return vec.clone();
    }

    /** {@return the number of Euclidean dimensions} */
    public int dimensionality() {
        return vec.length;
    }

    /** {@return true when no component is NaN or infinite} */
    public boolean isValid() {
        for (double v : vec) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return Double.isFinite(error) && Double.isFinite(adjustment) && Double.isFinite(height);
    }

    /**
     * Whether distances to {@code other} can be computed.
     *
     * @param other another coordinate
     * @return true when both have the same dimensionality
     */
    public boolean isCompatibleWith(Coordinate other) {
        return vec.length == other.vec.length;
    }

    /**
     * Estimated round-trip time to {@code other}, as Go computes it: Euclidean distance plus both
     * heights, plus both adjustments when that keeps it positive, truncated to whole nanoseconds.
     *
     * @param other the other node's coordinate
     * @return the estimated round-trip time
     * @throws IllegalArgumentException if the dimensionalities differ (Go panics)
     */
    public Duration distanceTo(Coordinate other) {
        return Duration.ofNanos(distanceNanos(other));
    }

    long distanceNanos(Coordinate other) {
        requireCompatible(other);
        double dist = rawDistanceTo(other);
        double adjusted = dist + adjustment + other.adjustment;
        if (adjusted > 0.0) {
            dist = adjusted;
        }
        return goFloatToInt64(dist * 1.0e9);
    }

    double rawDistanceTo(Coordinate other) {
        return magnitude(diff(vec, other.vec)) + height + other.height;
    }

    Coordinate withError(double newError) {
        return new Coordinate(vec, newError, adjustment, height);
    }

    Coordinate withAdjustment(double newAdjustment) {
        return new Coordinate(vec, error, newAdjustment, height);
    }

    /**
     * Go's ApplyForce: moves this coordinate by {@code force} along the unit vector from
     * {@code other} to this one (a random direction when they coincide), and adjusts the height.
     */
    Coordinate applyForce(CoordinateConfig config, double force, Coordinate other, RandomGenerator random) {
        requireCompatible(other);
        double[] unit = new double[vec.length];
        double mag = unitVectorAt(vec, other.vec, unit, random);
        double[] moved = new double[vec.length];
        for (int i = 0; i < moved.length; i++) {
            moved[i] = vec[i] + unit[i] * force;
        }
        double h = height;
        if (mag > ZERO_THRESHOLD) {
            h = (h + other.height) * force / mag + h;
            h = Math.max(h, config.heightMin());
        }
        return new Coordinate(moved, error, adjustment, h);
    }

    /** Fills {@code unit} with the unit vector from b to a and returns |a-b|, or 0 when they coincide. */
    private static double unitVectorAt(double[] a, double[] b, double[] unit, RandomGenerator random) {
        double[] d = diff(a, b);
        double mag = magnitude(d);
        if (mag > ZERO_THRESHOLD) {
            scale(d, 1.0 / mag, unit); // Go multiplies by the reciprocal; dividing differs in the last bit
            return mag;
        }
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextDouble() - 0.5;
        }
        mag = magnitude(d);
        if (mag > ZERO_THRESHOLD) {
            scale(d, 1.0 / mag, unit);
            return 0.0;
        }
        Arrays.fill(unit, 0.0);
        unit[0] = 1.0;
        return 0.0;
    }

    private static void scale(double[] v, double factor, double[] out) {
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
    }

    private static double[] diff(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static double magnitude(double[] v) {
        double sum = 0.0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    private void requireCompatible(Coordinate other) {
        if (!isCompatibleWith(other)) {
            throw new IllegalArgumentException("coordinate dimensionality does not match");
        }
    }

    /** Go's Duration.Seconds(): whole seconds plus the remaining nanoseconds / 1e9. */
    static double seconds(long nanos) {
        long sec = nanos / NANOS_PER_SECOND;
        long nsec = nanos % NANOS_PER_SECOND;
        return (double) sec + (double) nsec / 1e9;
    }

    /**
     * Go's float64 to int64 conversion on amd64: truncation toward zero, and the "integer
     * indefinite" value (minimum int64) for NaN and out-of-range values, where Java would saturate.
     */
    static long goFloatToInt64(double x) {
        if (Double.isNaN(x) || x >= 0x1p63 || x < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) x;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Coordinate c && Arrays.equals(vec, c.vec) && Double.compare(error, c.error) == 0
                && Double.compare(adjustment, c.adjustment) == 0 && Double.compare(height, c.height) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(vec), error, adjustment, height);
    }

    @Override
    public String toString() {
        return "Coordinate[vec=" + Arrays.toString(vec) + ", error=" + error + ", adjustment=" + adjustment
                + ", height=" + height + "]";
    }
}
