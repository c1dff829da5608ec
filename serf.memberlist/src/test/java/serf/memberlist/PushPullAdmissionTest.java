package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import serf.wire.InputBudget;

class PushPullAdmissionTest {

    @Test
    void aReplyTakesItsMemoryFromTheBudgetAndGivesItBack() {
        InputBudget budget = InputBudget.ofBytes(1 << 20);
        PushPullAdmission a = new PushPullAdmission(4, Duration.ofMillis(50), budget);
        try (PushPullAdmission.Admitted admitted = a.admit(1000)) {
            assertThat(admitted).isNotNull();
            assertThat(budget.inUse()).isEqualTo(PushPullAdmission.replyBytes(1000));
            assertThat(a.available()).isEqualTo(3);
        }
        assertThat(budget.inUse()).isZero();
        assertThat(a.available()).isEqualTo(4);
    }

    @Test
    void whenTheBudgetCannotHoldAnotherReplyTheRequestWaitsThenIsRefusedAndItsSlotReturned() {
        long one = PushPullAdmission.replyBytes(100);
        InputBudget budget = InputBudget.ofBytes(one * 2);
        PushPullAdmission a = new PushPullAdmission(128, Duration.ofMillis(100), budget);
        PushPullAdmission.Admitted first = a.admit(100);
        PushPullAdmission.Admitted second = a.admit(100);
        long t0 = System.nanoTime();
        assertThat(a.admit(100)).isNull();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(90).toNanos());
        assertThat(a.refused()).isEqualTo(1);
        assertThat(a.available()).isEqualTo(126);
        first.close();
        second.close();
        second.close(); // twice is harmless
        assertThat(a.available()).isEqualTo(128);
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aWaitingRequestIsServedAsSoonAsMemoryIsGivenBack() throws Exception {
        long one = PushPullAdmission.replyBytes(10);
        InputBudget budget = InputBudget.ofBytes(one);
        PushPullAdmission a = new PushPullAdmission(8, Duration.ofSeconds(30), budget);
        PushPullAdmission.Admitted held = a.admit(10);
        AtomicReference<PushPullAdmission.Admitted> got = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> got.set(a.admit(10)));
        serf.testkit.Poll.until("the second request waits on the budget", Duration.ofSeconds(10), () -> a.available() == 6);
        held.close();
        waiter.join(Duration.ofSeconds(30));
        assertThat(got.get()).isNotNull();
        got.get().close();
        assertThat(a.refused()).isZero();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void withoutAWaitARequestThatFindsNoSlotOrNoMemoryIsRefusedAtOnce() {
        long one = PushPullAdmission.replyBytes(10);
        PushPullAdmission slots = new PushPullAdmission(1, Duration.ZERO, InputBudget.ofBytes(one * 4));
        PushPullAdmission.Admitted held = slots.admit(10);
        assertThat(held).isNotNull();
        assertThat(slots.admit(10)).isNull(); // no slot
        held.close();
        assertThat(slots.admit(10)).isNotNull();

        InputBudget budget = InputBudget.ofBytes(one);
        PushPullAdmission memory = new PushPullAdmission(4, Duration.ZERO, budget);
        PushPullAdmission.Admitted first = memory.admit(10);
        assertThat(memory.admit(10)).isNull(); // no memory; its slot is given back
        assertThat(memory.available()).isEqualTo(3);
        assertThat(memory.refused()).isEqualTo(1);
        first.close();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void onlyAFewAreServedAtOnceTheOthersWaitTheirTurnHoldingAPlace() throws Exception {
        InputBudget budget = InputBudget.ofBytes(64 << 20);
        PushPullAdmission a = new PushPullAdmission(8, 2, Duration.ofSeconds(30), budget);
        PushPullAdmission.Admitted first = a.admit(10);
        PushPullAdmission.Admitted second = a.admit(10);
        assertThat(a.servingAvailable()).isZero();
        AtomicReference<PushPullAdmission.Admitted> got = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> got.set(a.admit(10)));
        serf.testkit.Poll.until("the third waits for its turn, holding a place", Duration.ofSeconds(10),
                () -> a.available() == 5);
        assertThat(got.get()).isNull();
        first.close();
        waiter.join(Duration.ofSeconds(30));
        assertThat(got.get()).isNotNull();
        assertThat(a.servingAvailable()).isZero();
        got.get().close();
        second.close();
        assertThat(a.servingAvailable()).isEqualTo(2);
        assertThat(a.available()).isEqualTo(8);
        assertThat(a.refused()).isZero();
        assertThat(budget.inUse()).isZero();

        // Past the bound without a turn: refused, and the place it held is given back.
        PushPullAdmission bounded = new PushPullAdmission(8, 1, Duration.ofMillis(100), budget);
        PushPullAdmission.Admitted held = bounded.admit(10);
        assertThat(bounded.admit(10)).isNull();
        assertThat(bounded.refused()).isEqualTo(1);
        assertThat(bounded.available()).isEqualTo(7);
        held.close();
        assertThat(bounded.available()).isEqualTo(8);
        assertThat(budget.inUse()).isZero();

        // Without a wait, a request that finds every turn taken is refused at once.
        PushPullAdmission now = new PushPullAdmission(8, 1, Duration.ZERO, budget);
        PushPullAdmission.Admitted served = now.admit(10);
        assertThat(now.admit(10)).isNull();
        assertThat(now.available()).isEqualTo(7);
        served.close();
        assertThat(budget.inUse()).isZero();
    }
}
