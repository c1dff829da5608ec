package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The indirect pings this node relays for others, bounded: at most {@link #MAX_IN_FLIGHT} at a time
 * (each pings an address the requester chose, so a flood of requests must not become a flood of
 * pings or threads); more are dropped and counted. A relay holds no thread: the ack is handled on
 * the thread that receives it, the timeout is a timer on the node's {@link Scheduler}.
 */
final class IndirectPingRelays {
    /** Relays in flight at once; Go has no bound, but a probe round asks only a few peers each. */
    static final int MAX_IN_FLIGHT = 64;

    private final int max;
    private final Semaphore permits;
    private final NodeScheduler tasks;
    private final AtomicLong dropped = new AtomicLong();

    IndirectPingRelays(int maxInFlight, NodeScheduler tasks) {
        this.max = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.tasks = tasks;
    }

    /**
     * Starts one relay: call it after registering {@code waiter} and before sending the ping.
     * Exactly one of {@code acked} and {@code timedOut} runs, then {@code finished}.
     *
     * @return false when too many relays are in flight (counted; register nothing, send nothing)
     */
    boolean start(AckWaiter waiter, Duration timeout, Runnable acked, Runnable timedOut, Runnable finished) {
        if (!permits.tryAcquire()) {
            dropped.incrementAndGet();
            return false;
        }
        AtomicBoolean done = new AtomicBoolean();
        Runnable finish = () -> {
            try {
                finished.run();
            } finally {
                permits.release();
            }
        };
        Scheduler.Timer timeoutTask = tasks.schedule(timeout, "relay-timeout", () -> {
            if (done.compareAndSet(false, true)) {
                try {
                    timedOut.run();
                } finally {
                    finish.run();
                }
            }
        });
        waiter.onAck(() -> {
            if (done.compareAndSet(false, true)) {
                timeoutTask.cancel();
                try {
                    acked.run();
                } finally {
                    finish.run();
                }
            }
        });
        return true;
    }

    /** Relays in flight now. */
    int inFlight() {
        return max - permits.availablePermits();
    }

    /** Relay requests dropped because too many were in flight. */
    long dropped() {
        return dropped.get();
    }
}
