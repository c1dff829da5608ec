package serf.memberlist.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link MemoryNetwork} does to the packets on a link: drop each with a probability, and delay
 * each by a fixed time plus a uniformly random jitter (so that packets sent close together can arrive
 * in another order). Streams are not subject to loss or delay.
 *
 * @param lossProbability chance in [0, 1] that a packet is dropped
 * @param delay           fixed delay added to every packet
 * @param jitter          extra delay drawn uniformly from [0, jitter)
 */
public record LinkFaults(double lossProbability, Duration delay, Duration jitter) {

    /** A perfect link: nothing lost, delivered at once. */
    public static final LinkFaults NONE = new LinkFaults(0, Duration.ZERO, Duration.ZERO);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when the probability is outside [0, 1] or a duration is negative
     */
    public LinkFaults {
        if (!(lossProbability >= 0 && lossProbability <= 1)) {
            throw new IllegalArgumentException("lossProbability not in [0, 1]: " + lossProbability);
        }
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        if (delay.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("negative delay or jitter");
        }
    }

    /**
     * Drops each packet with probability {@code p}; no delay.
     *
     * @param p the loss probability, 0 to 1
     * @return faults that only lose packets
     */
    public static LinkFaults loss(double p) {
        return new LinkFaults(p, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Delays each packet by {@code delay} plus up to {@code jitter}; no loss.
     *
     * @param delay the fixed part of the delay
     * @param jitter the most added at random
     * @return faults that only delay packets
     */
    public static LinkFaults delay(Duration delay, Duration jitter) {
        return new LinkFaults(0, delay, jitter);
    }

    /**
     * {@return these faults with another loss probability}
     *
     * @param p the loss probability, 0 to 1
     */
    public LinkFaults withLoss(double p) {
        return new LinkFaults(p, delay, jitter);
    }

    /**
     * {@return these faults with another delay and jitter}
     *
     * @param newDelay the fixed delay
     * @param newJitter the most added at random
     */
    public LinkFaults withDelay(Duration newDelay, Duration newJitter) {
        return new LinkFaults(lossProbability, newDelay, newJitter);
    }
}
