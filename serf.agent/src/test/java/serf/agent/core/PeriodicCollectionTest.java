package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import serf.testkit.Poll;

class PeriodicCollectionTest {
    @Test
    void collectsEachPeriodAndStopsWhenClosed() throws Exception {
        PeriodicCollection c = PeriodicCollection.start(Duration.ofMillis(20));
        try {
            Poll.until("three collections", Duration.ofSeconds(20), () -> c.collections() >= 3);
            assertThat(c.stats()).containsKey("agent_periodic_gc");
        } finally {
            c.close();
        }
        long after = c.collections();
        Thread.sleep(100); // nothing may happen after close: a bounded wait for an absence
        assertThat(c.collections()).isEqualTo(after);
        assertThat(c.running()).isFalse();
    }

    @Test
    void closingBeforeThePeriodEndsReturnsAtOnce() {
        PeriodicCollection c = PeriodicCollection.start(Duration.ofHours(1));
        long t0 = System.nanoTime();
        c.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(c.collections()).isZero();
        assertThat(c.running()).isFalse();
    }
}
