package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import serf.wire.InputBudget;
import serf.wire.InputRefusedException;

/**
 * Admission of inbound push/pulls: at most {@link Memberlist#MAX_PUSH_PULL_REQUESTS} served at once
 * (Go's maxPushPullRequests), and each only once the memory its reply will take (our whole state,
 * encoded, compressed and encrypted) is reserved from the input budget, so that a storm of joins
 * against a large node cannot spend more heap on replies than the budget allows. A request that finds
 * no slot or no memory waits (up to a bound) for one to be given back, so joins that arrive faster than
 * they are served are delayed rather than refused; what is still refused after the wait is counted.
 */
final class PushPullAdmission {
    /** Bytes a reply takes per node of our state, all its copies together (records, msgpack, LZW, AES-GCM). */
    static final long REPLY_BYTES_PER_NODE = 512;
    /** And for everything else: the user state's fixed part, the LZW dictionary, buffers. */
    static final long REPLY_BYTES_FIXED = 128 * 1024;

    private final Semaphore permits;
    private final Duration maxWait;
    private final InputBudget budget;
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param maxWait how long a request waits for a slot and its memory (the node uses half its TCP
     *                timeout; zero on a scheduler it was given, whose tasks must not block)
     */
    PushPullAdmission(int maxInFlight, Duration maxWait, InputBudget budget) {
        this.permits = new Semaphore(maxInFlight);
        this.maxWait = maxWait;
        this.budget = budget;
    }

    /** The memory a reply with {@code nodes} node states is reserved. */
    static long replyBytes(int nodes) {
        return REPLY_BYTES_FIXED + REPLY_BYTES_PER_NODE * Math.max(0, nodes);
    }

    /**
     * Takes a slot and the reply's memory, waiting up to the bound for both together.
     *
     * @return what to {@link Admitted#close()} once the push/pull has been served, on every path; null
     *         (counted) when either did not become free in time, or the thread was interrupted
     */
    Admitted admit(int nodes) {
        if (maxWait.isZero()) { // no waiting at all: a node on a given (simulated) scheduler never blocks a task
            if (permits.tryAcquire()) {
                InputBudget.Reservation r = budget.tryReserve(replyBytes(nodes));
                if (r != null) {
                    return new Admitted(r);
                }
                permits.release();
            }
            refused.incrementAndGet();
            return null;
        }
        // A thread's wait, so in the system's time.
        long deadline = System.nanoTime() + maxWait.toNanos();
        try {
            if (permits.tryAcquire() || permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                try {
                    long left = Math.max(0, deadline - System.nanoTime());
                    return new Admitted(budget.reserve(replyBytes(nodes), Duration.ofNanos(left)));
                } catch (InputRefusedException | InterruptedException | RuntimeException e) {
                    permits.release();
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        refused.incrementAndGet();
        return null;
    }

    /** Slots free now. */
    int available() {
        return permits.availablePermits();
    }

    /** Requests refused after waiting. */
    long refused() {
        return refused.get();
    }

    /** An admitted push/pull: its slot and its reply's memory, both given back by {@link #close()}. */
    final class Admitted implements AutoCloseable {
        private final InputBudget.Reservation reply;
        private boolean closed;

        private Admitted(InputBudget.Reservation reply) {
            this.reply = reply;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            reply.close();
            permits.release();
        }
    }
}
