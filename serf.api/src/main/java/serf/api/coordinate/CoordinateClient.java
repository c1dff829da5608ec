package serf.api.coordinate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * The local node's Vivaldi coordinate, updated from RTT samples to peers (Go's
 * {@code coordinate.Client}, docs/protocol/serf-messages.md §10.3), with the same floating-point steps so that a
 * Java node and a Go node fed the same samples reach the same coordinate. Thread-safe: every method
 * takes one lock.
 */
public final class CoordinateClient {

    /** Largest RTT accepted as a sample. */
    public static final Duration MAX_RTT = Duration.ofSeconds(10);

    /**
     * The client's counters.
     *
     * @param resets how often the coordinate became invalid (NaN or infinite) and restarted from the origin
     */
    public record Stats(long resets) {
    }

    private final CoordinateConfig config;
    private final RandomGenerator random;
    private final Coordinate origin;
    private final double[] adjustmentSamples;
    private final Map<String, ArrayDeque<Double>> latencySamples = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private Coordinate coord;
    private int adjustmentIndex;
    private long resets;

    /**
     * A client at the origin, with its own random source.
     *
     * @param config the algorithm's tuning, usually {@link CoordinateConfig#defaults()}
     */
    public CoordinateClient(CoordinateConfig config) {
        this(config, new SplittableRandom());
    }

    /**
     * A client at the origin.
     *
     * @param config the algorithm's tuning, usually {@link CoordinateConfig#defaults()}
     * @param random source of the random direction used when two coordinates coincide (tests inject a
     *               seeded one); only used under this client's lock
     */
    public CoordinateClient(CoordinateConfig config, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.origin = Coordinate.origin(config);
        this.coord = origin;
        this.adjustmentSamples = new double[config.adjustmentWindowSize()];
    }

    /** {@return the algorithm's tuning} */
    public CoordinateConfig config() {
        return config;
    }

    /** {@return the current coordinate} */
    public Coordinate getCoordinate() {
        lock.lock();
        try {
            return coord;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces the current coordinate (e.g. one restored from elsewhere).
     *
     * @param c the new coordinate
     * @throws IllegalArgumentException if it has the wrong dimensionality or a NaN/infinite component
     */
    public void setCoordinate(Coordinate c) {
        lock.lock();
        try {
            check(c);
            coord = c;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops the RTT history kept for {@code node} (when it is reaped).
     *
     * @param node the node's name
     */
    public void forgetNode(String node) {
        lock.lock();
        try {
            latencySamples.remove(node);
        } finally {
            lock.unlock();
        }
    }

    /** {@return the client's counters} */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(resets);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Estimated round-trip time from this node to a node at {@code other}.
     *
     * @param other the other node's coordinate
     * @return the estimate, in whole nanoseconds
     */
    public Duration distanceTo(Coordinate other) {
        return getCoordinate().distanceTo(other);
    }

    /**
     * Feeds one RTT sample to {@code node}, whose coordinate is {@code other}, and returns the new
     * local coordinate. A zero RTT is accepted, as in Go.
     *
     * @param node  the name of the node the sample is from
     * @param other that node's coordinate
     * @param rtt   the measured round-trip time
     * @return the local coordinate after the update
     * @throws IllegalArgumentException (and nothing changes) if {@code other} has the wrong
     *         dimensionality or a NaN/infinite component, or {@code rtt} is negative or above 10 s
     */
    public Coordinate update(String node, Coordinate other, Duration rtt) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(rtt, "rtt");
        lock.lock();
        try {
            check(other);
            if (rtt.isNegative() || rtt.compareTo(MAX_RTT) > 0) {
                throw new IllegalArgumentException("round trip time not in valid range, duration " + rtt
                        + " is not a positive value less than " + MAX_RTT);
            }
            double rttSeconds = latencyFilter(node, Coordinate.seconds(rtt.toNanos()));
            updateVivaldi(other, rttSeconds);
            updateAdjustment(other, rttSeconds);
            updateGravity();
            if (!coord.isValid()) {
                resets++;
                coord = origin;
            }
            return coord;
        } finally {
            lock.unlock();
        }
    }

    private void check(Coordinate c) {
        Objects.requireNonNull(c, "coordinate");
        if (!coord.isCompatibleWith(c)) {
            throw new IllegalArgumentException("dimensions aren't compatible");
        }
        if (!c.isValid()) {
            throw new IllegalArgumentException("coordinate is invalid");
        }
    }

    /** The median of the last few samples to this node (the upper one of two). */
    private double latencyFilter(String node, double rttSeconds) {
        ArrayDeque<Double> samples = latencySamples.computeIfAbsent(node, k -> new ArrayDeque<>());
        samples.addLast(rttSeconds);
        if (samples.size() > config.latencyFilterSize()) {
            samples.removeFirst();
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private void updateVivaldi(Coordinate other, double rttSeconds) {
        double dist = Coordinate.seconds(coord.distanceNanos(other));
        double rtt = Math.max(rttSeconds, Coordinate.ZERO_THRESHOLD);
        double wrongness = Math.abs(dist - rtt) / rtt;

        double totalError = coord.error() + other.error();
        if (totalError < Coordinate.ZERO_THRESHOLD) {
            totalError = Coordinate.ZERO_THRESHOLD;
        }
        double weight = coord.error() / totalError;

        double error = config.vivaldiCE() * weight * wrongness + coord.error() * (1.0 - config.vivaldiCE() * weight);
        if (error > config.vivaldiErrorMax()) {
            error = config.vivaldiErrorMax();
        }
        double force = config.vivaldiCC() * weight * (rtt - dist);
        coord = coord.withError(error).applyForce(config, force, other, random);
    }

    /** Averages how far off the Euclidean distances are; always divided by twice the window size. */
    private void updateAdjustment(Coordinate other, double rttSeconds) {
        if (adjustmentSamples.length == 0) {
            return;
        }
        double dist = coord.rawDistanceTo(other);
        adjustmentSamples[adjustmentIndex] = rttSeconds - dist;
        adjustmentIndex = (adjustmentIndex + 1) % adjustmentSamples.length;
        double sum = 0.0;
        for (double s : adjustmentSamples) {
            sum += s;
        }
        coord = coord.withAdjustment(sum / (2.0 * adjustmentSamples.length));
    }

    /** A weak pull towards the origin, so coordinates do not drift away together. */
    private void updateGravity() {
        double dist = Coordinate.seconds(origin.distanceNanos(coord));
        double ratio = dist / config.gravityRho();
        double force = -1.0 * (ratio * ratio); // Go's math.Pow(x, 2) rounds exactly like x*x
        coord = coord.applyForce(config, force, origin, random);
    }
}
