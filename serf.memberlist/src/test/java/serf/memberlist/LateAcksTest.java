package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Acks that arrive after their probe round: counted once, from the probed node only, the last few rounds only. */
class LateAcksTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress TARGET = new InetSocketAddress("127.0.0.2", 7946);
    private static final InetSocketAddress RELAY = new InetSocketAddress("127.0.0.3", 7946);

    private final RoundTripEstimate estimate = new RoundTripEstimate();
    private final LateAcks late = new LateAcks(estimate);

    @Test
    void aLateAckFromTheTargetCountsOnce() {
        late.unanswered(7, 1_000 * MS, TARGET);
        late.ack(7, 3_000 * MS, TARGET);
        assertThat(estimate.smoothedNanos()).isEqualTo(2_000 * MS);
        late.ack(7, 9_000 * MS, TARGET);
        assertThat(estimate.smoothedNanos()).as("a duplicate ack adds nothing").isEqualTo(2_000 * MS);
    }

    @Test
    void aRelaysAckOrAnUnknownSequenceNumberCountsNothing() {
        late.unanswered(7, 1_000 * MS, TARGET);
        late.ack(8, 3_000 * MS, TARGET);
        late.ack(7, 3_000 * MS, RELAY);
        assertThat(estimate.timeoutNanos()).isZero();
        late.ack(7, 4_000 * MS, TARGET);
        assertThat(estimate.timeoutNanos()).as("the relay's ack used up the slot").isZero();
    }

    @Test
    void onlyTheLastFewUnansweredPingsAreRemembered() {
        for (int seq = 1; seq <= LateAcks.CAPACITY + 1; seq++) {
            late.unanswered(seq, 0, TARGET);
        }
        late.ack(1, 5 * MS, TARGET);
        assertThat(estimate.timeoutNanos()).as("the oldest was forgotten").isZero();
        late.ack(2, 5 * MS, TARGET);
        assertThat(estimate.smoothedNanos()).isEqualTo(5 * MS);
    }

    @Test
    void anAckTheRoundTookIsNotSeenHere() {
        AckWaiters acks = new AckWaiters();
        acks.lateAcks(late);
        late.unanswered(1, 0, TARGET);
        AckWaiter w = acks.register(2);
        acks.ack(2, null, 10 * MS, TARGET);
        assertThat(w.isAcked()).isTrue();
        assertThat(estimate.timeoutNanos()).isZero();
        acks.remove(2);
        acks.ack(1, null, 30 * MS, TARGET);
        assertThat(estimate.smoothedNanos()).isEqualTo(30 * MS);
    }
}
