package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 6298's estimator as the prober uses it: the smoothed round trip and four mean deviations. */
class RoundTripEstimateTest {
    private static final long MS = 1_000_000L;

    @Test
    void noEstimateBeforeTheFirstSample() {
        RoundTripEstimate e = new RoundTripEstimate();
        assertThat(e.timeoutNanos()).isZero();
        assertThat(e.smoothedNanos()).isZero();
    }

    @Test
    void theFirstSampleCountsWithHalfItselfAsDeviation() {
        RoundTripEstimate e = new RoundTripEstimate();
        e.record(100 * MS);
        assertThat(e.smoothedNanos()).isEqualTo(100 * MS);
        assertThat(e.timeoutNanos()).isEqualTo(300 * MS);
    }

    @Test
    void steadySamplesConvergeAndTheDeviationFades() {
        RoundTripEstimate e = new RoundTripEstimate();
        for (int i = 0; i < 100; i++) {
            e.record(MS);
        }
        assertThat(e.smoothedNanos()).isEqualTo(MS);
        assertThat(e.timeoutNanos()).isLessThan(MS + MS / 100);
    }

    @Test
    void oneSlowAnswerAmongFastOnesMovesTheEstimateByAnEighthAndFadesAgain() {
        RoundTripEstimate e = new RoundTripEstimate();
        for (int i = 0; i < 50; i++) {
            e.record(MS);
        }
        e.record(801 * MS);
        assertThat(e.smoothedNanos()).isEqualTo(101 * MS);
        assertThat(e.timeoutNanos()).as("one 0.8 s answer: 101 ms + 4 × 200 ms").isBetween(900 * MS, 902 * MS);
        for (int i = 0; i < 30; i++) {
            e.record(MS);
        }
        assertThat(e.timeoutNanos()).as("30 fast answers later").isLessThan(100 * MS);
    }

    @Test
    void answersThatSlowDownAreFollowedWithinAFewSamples() {
        RoundTripEstimate e = new RoundTripEstimate();
        for (int i = 0; i < 50; i++) {
            e.record(MS);
        }
        for (int i = 0; i < 10; i++) {
            e.record(2_000 * MS);
        }
        assertThat(e.timeoutNanos()).isGreaterThan(2_000 * MS);
    }
}
