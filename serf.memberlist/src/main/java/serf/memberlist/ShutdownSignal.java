package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A node's shutdown flag, and the waits of its loops that end early when it is raised. */
final class ShutdownSignal {
    private final AtomicBoolean down = new AtomicBoolean();
    private final CountDownLatch latch = new CountDownLatch(1);

    /** Raises it; true for the one call that did. */
    boolean raise() {
        if (!down.compareAndSet(false, true)) {
            return false;
        }
        latch.countDown();
        return true;
    }

    boolean isDown() {
        return down.get();
    }

    /** Waits {@code d} (a thread's wait, in real time); true if the node shut down or the thread was interrupted. */
    boolean sleepInterrupted(Duration d) {
        try {
            return latch.await(d.toNanos(), TimeUnit.NANOSECONDS) || down.get();
        } catch (InterruptedException e) {
            return true;
        }
    }
}
