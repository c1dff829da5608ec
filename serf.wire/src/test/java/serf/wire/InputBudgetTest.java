package serf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class InputBudgetTest {

    @Test
    void admitsUpToTheLimitAndRefusesBeyondIt() throws Exception {
        InputBudget b = InputBudget.ofBytes(100);
        InputBudget.Reservation r = b.reserve(60);
        assertThat(b.inUse()).isEqualTo(60);
        assertThatThrownBy(() -> b.reserve(41)).isInstanceOf(InputRefusedException.class)
                .hasMessageContaining("41 bytes asked").hasMessageContaining("40 of 100 free");
        assertThat(b.tryReserve(41)).isNull();
        assertThat(b.refusals()).isEqualTo(2);
        assertThat(b.refusedBytes()).isEqualTo(82);
        InputBudget.Reservation r2 = b.reserve(40);
        assertThat(b.inUse()).isEqualTo(100);
        r.close();
        r2.close();
        assertThat(b.inUse()).isZero();
        assertThat(b.peak()).isEqualTo(100);
    }

    @Test
    void growRefusalKeepsWhatWasHeldAndCloseGivesAllBack() throws Exception {
        InputBudget b = InputBudget.ofBytes(100);
        try (InputBudget.Reservation r = b.reserve(10)) {
            r.grow(50);
            assertThat(r.bytes()).isEqualTo(60);
            assertThatThrownBy(() -> r.grow(41)).isInstanceOf(InputRefusedException.class);
            assertThat(r.bytes()).isEqualTo(60);
            assertThat(b.inUse()).isEqualTo(60);
            r.ensure(70);
            r.ensure(20); // already more: no change
            assertThat(r.bytes()).isEqualTo(70);
            r.shrink(30);
            assertThat(b.inUse()).isEqualTo(40);
            r.shrink(1000); // never below zero
            assertThat(r.bytes()).isZero();
        }
        assertThat(b.inUse()).isZero();
    }

    @Test
    void releasedOnEveryPathIncludingExceptions() {
        InputBudget b = InputBudget.ofBytes(1000);
        for (int i = 0; i < 100; i++) {
            try (InputBudget.Reservation r = b.reserve(500)) {
                r.grow(400);
                throw new IllegalStateException("reader failed");
            } catch (IllegalStateException | InputRefusedException expected) {
                // the reservation is released by try-with-resources
            }
        }
        assertThat(b.inUse()).isZero();
        assertThat(b.peak()).isEqualTo(900);
    }

    @Test
    void closeIsIdempotentAndGrowAfterCloseIsAnError() throws Exception {
        InputBudget b = InputBudget.ofBytes(10);
        InputBudget.Reservation r = b.reserve(5);
        r.close();
        r.close();
        assertThat(b.inUse()).isZero();
        assertThatThrownBy(() -> r.grow(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void waitingReservationSucceedsWhenBytesAreReleased() throws Exception {
        InputBudget b = InputBudget.ofBytes(100);
        InputBudget.Reservation held = b.reserve(80);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            started.countDown();
            try {
                outcome.set(b.reserve(50, Duration.ofSeconds(30)));
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        started.await();
        held.close();
        t.join(Duration.ofSeconds(30));
        assertThat(outcome.get()).isInstanceOf(InputBudget.Reservation.class);
        assertThat(b.inUse()).isEqualTo(50);
    }

    @Test
    void waitingReservationTimesOutAndMoreThanTheLimitIsRefusedAtOnce() throws Exception {
        InputBudget b = InputBudget.ofBytes(100);
        try (InputBudget.Reservation held = b.reserve(80)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> b.reserve(50, Duration.ofMillis(50))).isInstanceOf(InputRefusedException.class);
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
            t0 = System.nanoTime();
            assertThatThrownBy(() -> b.reserve(101, Duration.ofHours(1))).isInstanceOf(InputRefusedException.class);
            assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(10).toNanos());
        }
        assertThat(b.refusals()).isEqualTo(2);
    }

    @Test
    void heapDerivedBudgetsAreBoundedByTheHeap() {
        InputBudget b = InputBudget.fromHeap(0.25);
        assertThat(b.limit()).isLessThanOrEqualTo(Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4));
        assertThat(InputBudget.shared()).isSameAs(InputBudget.shared());
        assertThatThrownBy(() -> InputBudget.fromHeap(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InputBudget.ofBytes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InputBudget.ofBytes(1).reserve(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
