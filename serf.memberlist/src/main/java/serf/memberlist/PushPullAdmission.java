package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import serf.wire.InputBudget;
import serf.wire.InputRefusedException;

/**
 * Admission of inbound push/pulls: at most {@link Memberlist#MAX_PUSH_PULL_REQUESTS} pending at once
 * (Go's maxPushPullRequests), of which at most a few, about one per core, are served (their reply
 * encoded and written, their state merged) at the same time while the rest wait their turn in order;
 * and each only once the memory its reply will take (our whole state, encoded, compressed and
 * encrypted) is reserved from the input budget, so that a storm of joins against a large node cannot
 * spend more heap on replies than the budget allows. Serving a few at a time keeps the CPU for
 * everything else the node does (above all, answering pings on time: 1,500 push/pulls served at
 * once starved them until the node was declared failed), and finishes the early joins first instead
 * of all of them late. A request that finds no place, no turn or no memory waits, up to one bound in
 * all, for one to be given back, so joins that arrive faster than they are served are delayed rather
 * than refused; what is still refused after the wait is counted.
 */
final class PushPullAdmission {
    /** Bytes a reply takes per node of our state, all its copies together (records, msgpack, LZW, AES-GCM). */
    static final long REPLY_BYTES_PER_NODE = 512;
    /** And for everything else: the user state's fixed part, the LZW dictionary, buffers. */
    static final long REPLY_BYTES_FIXED = 128 * 1024;

    private final Semaphore permits;
    private final Semaphore serving;
    private final Duration maxWait;
    private final InputBudget budget;
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param maxInFlight how many may be pending (waiting or served) at once
     * @param maxServing how many of those are served at the same time
     * @param maxWait how long a request waits for a place, its turn and its memory (the node uses half
     *                its TCP timeout; zero on a scheduler it was given, whose tasks must not block)
     */
    PushPullAdmission(int maxInFlight, int maxServing, Duration maxWait, InputBudget budget) {
        this.permits = new Semaphore(maxInFlight);
        this.serving = new Semaphore(Math.max(1, Math.min(maxServing, maxInFlight)), true);
        this.maxWait = maxWait;
        this.budget = budget;
    }

    /** As many served at once as may be pending. */
    PushPullAdmission(int maxInFlight, Duration maxWait, InputBudget budget) {
        this(maxInFlight, maxInFlight, maxWait, budget);
    }

    /** How many push/pulls a node serves at once by default: about one per core, at least two. */
    static int defaultServing() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
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
                if (serving.tryAcquire()) {
                    InputBudget.Reservation r = budget.tryReserve(replyBytes(nodes));
                    if (r != null) {
                        return new Admitted(r);
                    }
                    serving.release();
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
                boolean turn = false;
                try {
                    turn = serving.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (turn) {
                        long left = Math.max(0, deadline - System.nanoTime());
                        return new Admitted(budget.reserve(replyBytes(nodes), Duration.ofNanos(left)));
                    }
                } catch (InputRefusedException | InterruptedException | RuntimeException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (turn) {
                    serving.release();
                }
                permits.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        refused.incrementAndGet();
        return null;
    }

    /** Slots free now (places for pending requests). */
    int available() {
        return permits.availablePermits();
    }

    /** Requests that may start being served now. */
    int servingAvailable() {
        return serving.availablePermits();
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
            serving.release();
            permits.release();
        }
    }
}
