package serf.memberlist;

import java.time.Duration;

/**
 * Products and quotients of durations in whole nanoseconds. {@link Duration#multipliedBy(long)} and
 * {@link Duration#dividedBy(long)} go through {@code BigDecimal}, whose first use initialises it: 25 ms
 * of CPU at an agent's start under the interpreter, and more garbage on every suspicion after that.
 * The protocol's timeouts are a few seconds or minutes, far within a long of nanoseconds (292 years);
 * a product beyond that falls back to the JDK's exact arithmetic.
 */
final class Durations {
    private Durations() {
    }

    /** {@code d × k}. */
    static Duration times(Duration d, long k) {
        try {
            return Duration.ofNanos(Math.multiplyExact(d.toNanos(), k));
        } catch (ArithmeticException beyondLong) {
            return d.multipliedBy(k);
        }
    }

    /** {@code d / k}, truncated to the nanosecond as Go's integer durations are; k must not be zero. */
    static Duration dividedBy(Duration d, long k) {
        try {
            return Duration.ofNanos(d.toNanos() / k);
        } catch (ArithmeticException beyondLong) {
            return d.dividedBy(k);
        }
    }
}
