package serf.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How one direction of a link treats packets: each is lost with probability {@code loss}, else
 * arrives after a delay drawn uniformly from [{@code minDelay}, {@code maxDelay}] — so packets sent
 * close together may arrive in another order, as on a real network. Streams (memberlist's TCP) are
 * reliable and instantaneous on any link that is not cut; a link with loss 1 is cut.
 *
 * @param minDelay shortest one-way delay
 * @param maxDelay longest one-way delay (≥ minDelay); the spread is the jitter that reorders packets
 * @param loss     probability in [0, 1] that a packet is lost
 */
public record LinkProfile(Duration minDelay, Duration maxDelay, double loss) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when a delay is negative, {@code maxDelay < minDelay} or the loss is outside [0, 1]
     */
    public LinkProfile {
        Objects.requireNonNull(minDelay, "minDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= minDelay <= maxDelay, got " + minDelay + ", " + maxDelay);
        }
        if (!(loss >= 0 && loss <= 1)) {
            throw new IllegalArgumentException("loss must be in [0, 1], got " + loss);
        }
    }

    /** {@return a quiet LAN: 0.2–1 ms one way, nothing lost} */
    public static LinkProfile lan() {
        return new LinkProfile(Duration.ofMillis(0).plusNanos(200_000), Duration.ofMillis(1), 0);
    }

    /** {@return a link that carries nothing (a partition, one direction)} */
    public static LinkProfile cut() {
        return new LinkProfile(Duration.ZERO, Duration.ZERO, 1);
    }

    /**
     * {@return this profile with another loss probability}
     *
     * @param p the loss probability, 0 to 1
     */
    public LinkProfile withLoss(double p) {
        return new LinkProfile(minDelay, maxDelay, p);
    }

    /**
     * {@return this profile with another delay range}
     *
     * @param min the shortest one-way delay
     * @param max the longest one-way delay
     */
    public LinkProfile withDelay(Duration min, Duration max) {
        return new LinkProfile(min, max, loss);
    }

    boolean isCut() {
        return loss >= 1;
    }

    /** Draws this packet's fate: -1 if lost, else its delay in nanoseconds. */
    long draw(RandomGenerator random) {
        if (loss > 0 && random.nextDouble() < loss) {
            return -1;
        }
        long min = minDelay.toNanos();
        long spread = maxDelay.toNanos() - min;
        return spread == 0 ? min : min + random.nextLong(spread + 1);
    }
}
