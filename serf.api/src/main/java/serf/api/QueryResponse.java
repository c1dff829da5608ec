package serf.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import serf.memberlist.Clock;
import serf.memberlist.Scheduler;

/**
 * The origin's view of a running query (Go's {@code serf.QueryResponse}), returned by
 * {@link Serf#query}. Acks and responses can be taken one by one as they arrive
 * ({@link #pollAck}, {@link #pollResponse}) or waited for together: until the query closes
 * ({@link #awaitResponses()}, Go's way: a query always runs its whole timeout), or only until
 * enough of them are in ({@link #awaitResponses(int, Duration)}, {@link #awaitMatchedResponses},
 * and the same for acks), which returns as soon as the last expected answer arrives.
 *
 * <p>The query closes at its deadline, when {@link #close()} is called (also by
 * try-with-resources), or early when its {@link QueryParam#closeAfterResponses} is reached; after
 * that it takes no more answers, and the polls drain what is left and then return null.
 *
 * <p>Each node is counted once (relayed duplicates are absorbed). The buffers are bounded by the
 * cluster size when the query was sent, as in Go, and so is the record of who answered (Go's
 * grows with every forged sender name): answers beyond either bound are dropped and counted
 * ({@code query_responses_dropped} in {@link Serf#stats()}). Deadlines are on the node's clock, and
 * the waits go through the node's scheduler (a simulator runs its cluster forward while a caller
 * waits here). All methods are safe to call from any thread.
 */
public final class QueryResponse implements AutoCloseable {
    private static final Duration MAX_WAIT = Duration.ofNanos(Long.MAX_VALUE);
    private final long lTime;
    private final long id;
    private final Instant deadline;
    private final long deadlineNanos;
    private final boolean ackRequested;
    private final int capacity;
    private final int maxSenders;
    private final Set<String> matched;
    private final int closeAfter;
    private final DropCounter drops;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    /** Opens when an answer arrives or the query closes; replaced by a new one each time it opens. */
    private CountDownLatch changed = new CountDownLatch(1);
    private final ArrayDeque<String> acks = new ArrayDeque<>();
    private final ArrayDeque<NodeResponse> responses = new ArrayDeque<>();
    private final Set<String> ackedFrom = new HashSet<>();
    private final Set<String> respondedFrom = new HashSet<>();
    private boolean closed;
    private Runnable onClose = () -> { };

    /**
     * @param matched    the alive members the query's filters matched when it was sent
     * @param closeAfter {@link QueryParam#closeAfterResponses}
     */
    QueryResponse(long lTime, long id, Duration timeout, boolean ackRequested, int capacity, Set<String> matched,
                  int closeAfter, DropCounter drops, Clock clock, Scheduler scheduler) {
        this.lTime = lTime;
        this.id = id;
        this.clock = clock;
        this.scheduler = scheduler;
        this.deadline = clock.wallTime().plus(timeout);
        this.deadlineNanos = clock.nanoTime() + timeout.toNanos();
        this.ackRequested = ackRequested;
        this.capacity = Math.max(1, capacity);
        // Room for nodes that joined while the query ran, and for relayed duplicates of real ones.
        this.maxSenders = Math.max(2 * this.capacity, this.capacity + 64);
        this.matched = Set.copyOf(matched);
        this.closeAfter = closeAfter;
        this.drops = drops;
    }

    /** Adds an action to run once when the query closes. */
    void onClose(Runnable r) {
        lock.lock();
        try {
            Runnable prev = onClose;
            onClose = () -> {
                prev.run();
                r.run();
            };
        } finally {
            lock.unlock();
        }
    }

    long lTime() {
        return lTime;
    }

    long id() {
        return id;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /** Time left until the deadline on the node's clock (zero once it passed). */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - clock.nanoTime()));
    }

    /** Opens the current waiters' latch; caller holds the lock. */
    private void signal() {
        changed.countDown();
        changed = new CountDownLatch(1);
    }

    /**
     * When the query stops accepting answers at the latest (Go's {@code Deadline}).
     *
     * @return the send time plus the query's timeout, on the node's clock
     */
    public Instant deadline() {
        return deadline;
    }

    /**
     * Whether the query is over (Go's {@code Finished}).
     *
     * @return true once the deadline passed or the query was closed (by {@link #close()} or early,
     *         by {@link QueryParam#closeAfterResponses})
     */
    public boolean finished() {
        lock.lock();
        try {
            return closed || clock.nanoTime() - deadlineNanos >= 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether acks were requested ({@link QueryParam#requestAck}); without them {@link #pollAck}
     * and the ack waits return at once with nothing.
     *
     * @return the query's ack flag
     */
    public boolean ackRequested() {
        return ackRequested;
    }

    /**
     * The names of the members the query's filters matched when it was sent: the alive members this
     * node knew then (itself included) whose name and tags pass the filters. These are the nodes
     * expected to process it; {@link #awaitMatchedResponses} and {@link QueryParam#ALL_MATCHED}
     * wait for them. Nodes that join later may answer too, and a matched node may fail or have
     * changed its tags before the query reaches it.
     *
     * @return an immutable set of node names
     */
    public Set<String> matchedNodes() {
        return matched;
    }

    /**
     * How many distinct nodes have responded so far (taken or not).
     *
     * @return the count of responses accepted
     */
    public int responsesReceived() {
        lock.lock();
        try {
            return respondedFrom.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many distinct nodes have acked so far (taken or not); 0 when acks were not requested.
     *
     * @return the count of acks accepted
     */
    public int acksReceived() {
        lock.lock();
        try {
            return ackedFrom.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops collecting (Go's {@code Close}); answers already received can still be taken with the
     * polls and waits. Idempotent; called by try-with-resources.
     */
    @Override
    public void close() {
        Runnable r;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            r = onClose;
            signal();
        } finally {
            lock.unlock();
        }
        r.run();
    }

    /** Closes the query if its early-close condition already holds (e.g. no node matched). */
    void closeIfComplete() {
        boolean done;
        lock.lock();
        try {
            done = complete();
        } finally {
            lock.unlock();
        }
        if (done) {
            close();
        }
    }

    /** Whether {@link QueryParam#closeAfterResponses} is reached; caller holds the lock. */
    private boolean complete() {
        if (closeAfter > 0) {
            return respondedFrom.size() >= closeAfter;
        }
        if (closeAfter == QueryParam.ALL_MATCHED) {
            return respondedFrom.containsAll(matched) && (!ackRequested || ackedFrom.containsAll(matched));
        }
        return false;
    }

    /** Records an ack; false if it was a duplicate, late, or the buffer was full. */
    boolean addAck(String from) {
        boolean done;
        lock.lock();
        try {
            if (!ackRequested || closed || clock.nanoTime() - deadlineNanos >= 0 || ackedFrom.contains(from)) {
                return false;
            }
            if (acks.size() >= capacity || ackedFrom.size() >= maxSenders) {
                drops.dropped("ack from " + from);
                return false;
            }
            ackedFrom.add(from);
            drops.passed();
            acks.addLast(from);
            signal();
            done = complete();
        } finally {
            lock.unlock();
        }
        if (done) {
            close();
        }
        return true;
    }

    /** Whether {@code from} has acked already (for the duplicate-ack metric). */
    boolean ackedBy(String from) {
        lock.lock();
        try {
            return ackedFrom.contains(from);
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code from} has responded already (for the duplicate-response metric). */
    boolean respondedBy(String from) {
        lock.lock();
        try {
            return respondedFrom.contains(from);
        } finally {
            lock.unlock();
        }
    }

    /** Records a response; false if it was a duplicate, late, or the buffer was full. */
    boolean addResponse(String from, byte[] payload) {
        boolean done;
        lock.lock();
        try {
            if (closed || clock.nanoTime() - deadlineNanos >= 0 || respondedFrom.contains(from)) {
                return false;
            }
            if (responses.size() >= capacity || respondedFrom.size() >= maxSenders) {
                drops.dropped("response from " + from);
                return false;
            }
            respondedFrom.add(from);
            drops.passed();
            responses.addLast(new NodeResponse(from, payload));
            signal();
            done = complete();
        } finally {
            lock.unlock();
        }
        if (done) {
            close();
        }
        return true;
    }

    /**
     * The next ack, waiting up to {@code timeout} (Go's {@code AckCh}). Returns at once with null
     * when the query did not request acks.
     *
     * @param timeout the longest wait (never past the query's deadline)
     * @return a node name, or null when none came in time or the query is over and drained
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public String pollAck(Duration timeout) throws InterruptedException {
        if (!ackRequested) {
            return null;
        }
        return poll(acks, timeout);
    }

    /**
     * The next response, waiting up to {@code timeout} (Go's {@code ResponseCh}).
     *
     * @param timeout the longest wait (never past the query's deadline)
     * @return a response, or null when none came in time or the query is over and drained
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public NodeResponse pollResponse(Duration timeout) throws InterruptedException {
        return poll(responses, timeout);
    }

    /** The end of a wait of {@code max}, never past the deadline (without overflow on long waits). */
    private long waitUntil(Duration max) {
        long now = clock.nanoTime();
        long wait = Math.max(0, max.toNanos());
        return wait >= deadlineNanos - now ? deadlineNanos : now + wait;
    }

    private <T> T poll(ArrayDeque<T> queue, Duration timeout) throws InterruptedException {
        long until = waitUntil(timeout);
        while (true) {
            CountDownLatch wake;
            long left;
            lock.lock();
            try {
                if (!queue.isEmpty() || closed) {
                    return queue.pollFirst();
                }
                left = until - clock.nanoTime();
                if (left <= 0) {
                    return null;
                }
                wake = changed;
            } finally {
                lock.unlock();
            }
            scheduler.await(wake, Duration.ofNanos(left));
        }
    }

    /**
     * Waits until {@code done} holds (checked under the lock), the query is over, or {@code max}
     * passed, then takes everything queued in {@code queue}.
     */
    private <T> List<T> awaitThenDrain(ArrayDeque<T> queue, BooleanSupplier done, Duration max) throws InterruptedException {
        long until = waitUntil(max);
        while (true) {
            CountDownLatch wake;
            long left;
            lock.lock();
            try {
                left = until - clock.nanoTime();
                if (closed || left <= 0 || done.getAsBoolean()) {
                    List<T> out = new ArrayList<>(queue);
                    queue.clear();
                    return out;
                }
                wake = changed;
            } finally {
                lock.unlock();
            }
            scheduler.await(wake, Duration.ofNanos(left));
        }
    }

    /**
     * Waits for the query to close and returns every response not yet taken (acks are left in
     * place). Without an early close ({@link QueryParam#closeAfterResponses}) this is the whole
     * timeout, as in Go.
     *
     * @return the responses, in the order they arrived
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public List<NodeResponse> awaitResponses() throws InterruptedException {
        return awaitThenDrain(responses, () -> false, MAX_WAIT);
    }

    /**
     * Waits until {@code n} nodes have responded in all (responses already taken count), the query
     * closes, or {@code max} passes, whichever comes first, and returns the responses not yet
     * taken. Returns as soon as the n-th response arrives; the query stays open (close it, or let
     * it time out, when no more answers are wanted).
     *
     * @param n   how many responses to wait for
     * @param max the longest wait (never past the query's deadline)
     * @return the responses received and not yet taken, in arrival order (fewer than n if time ran out)
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public List<NodeResponse> awaitResponses(int n, Duration max) throws InterruptedException {
        return awaitThenDrain(responses, () -> respondedFrom.size() >= n, max);
    }

    /**
     * Waits until every node in {@link #matchedNodes()} has responded, the query closes, or
     * {@code max} passes, and returns the responses not yet taken (responses from other nodes
     * included). This is the early return for "ask every node that should answer".
     *
     * @param max the longest wait (never past the query's deadline)
     * @return the responses received and not yet taken, in arrival order
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public List<NodeResponse> awaitMatchedResponses(Duration max) throws InterruptedException {
        return awaitThenDrain(responses, () -> respondedFrom.containsAll(matched), max);
    }

    /**
     * Waits for the query to close and returns every ack not yet taken; at once (empty) when acks
     * were not requested.
     *
     * @return the names of the nodes that acked, in arrival order
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public List<String> awaitAcks() throws InterruptedException {
        if (!ackRequested) {
            return List.of();
        }
        return awaitThenDrain(acks, () -> false, MAX_WAIT);
    }

    /**
     * Waits until {@code n} nodes have acked in all, the query closes, or {@code max} passes, and
     * returns the acks not yet taken; at once (empty) when acks were not requested.
     *
     * @param n   how many acks to wait for
     * @param max the longest wait (never past the query's deadline)
     * @return the names of the nodes that acked and were not yet taken, in arrival order
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public List<String> awaitAcks(int n, Duration max) throws InterruptedException {
        if (!ackRequested) {
            return List.of();
        }
        return awaitThenDrain(acks, () -> ackedFrom.size() >= n, max);
    }

    /**
     * Waits until every node in {@link #matchedNodes()} has acked, the query closes, or {@code max}
     * passes, and returns the acks not yet taken; at once (empty) when acks were not requested.
     *
     * @param max the longest wait (never past the query's deadline)
     * @return the names of the nodes that acked and were not yet taken, in arrival order
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public List<String> awaitMatchedAcks(Duration max) throws InterruptedException {
        if (!ackRequested) {
            return List.of();
        }
        return awaitThenDrain(acks, () -> ackedFrom.containsAll(matched), max);
    }
}
