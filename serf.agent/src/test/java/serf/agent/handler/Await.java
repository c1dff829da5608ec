package serf.agent.handler;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Polls a condition until it holds or a deadline passes (then fails with what was awaited). */
final class Await {

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    static void until(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (check.holds()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
