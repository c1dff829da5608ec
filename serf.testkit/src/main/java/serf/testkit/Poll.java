package serf.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline: the tests' replacement for sleep-and-hope. */
public final class Poll {
    private Poll() {
    }

    /** Polls every 50 ms; fails with {@code what} if the condition does not hold within {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ok;
            try {
                ok = condition.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (ok) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** How long the condition took to hold (fails after {@code timeout}). */
    public static Duration timeUntil(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        until(what, timeout, condition);
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
