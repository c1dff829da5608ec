package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void productsAndQuotientsAgreeWithTheJdk() {
        Duration[] ds = {Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(200), Duration.ofSeconds(10),
                Duration.ofMillis(1234).plusNanos(567), Duration.ofDays(365)};
        long[] ks = {0, 1, 2, 3, 10, 1000, 2107, 6};
        for (Duration d : ds) {
            for (long k : ks) {
                assertThat(Durations.times(d, k)).as("%s × %d", d, k).isEqualTo(d.multipliedBy(k));
                if (k != 0) {
                    assertThat(Durations.dividedBy(d, k)).as("%s / %d", d, k).isEqualTo(d.dividedBy(k));
                }
            }
        }
    }

    @Test
    void goesBeyondALongOfNanosAsTheJdkDoes() {
        Duration century = Duration.ofDays(36_500);
        assertThat(Durations.times(century, 5)).isEqualTo(century.multipliedBy(5));
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE / 4);
        assertThat(Durations.dividedBy(huge, 3)).isEqualTo(huge.dividedBy(3));
    }

    @Test
    void theSuspicionTimeoutKeepsGosTruncation() {
        // 4 × 1 s × log10(128) → scale 2107/1000: 8.428 s, as Go's integer durations give it.
        assertThat(MembershipState.suspicionTimeout(4, 128, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(8428));
    }
}
