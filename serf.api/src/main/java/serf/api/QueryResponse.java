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
import serf.memberlist.Clock;
import serf.memberlist.Scheduler;

/**
 * The origin's view of a running query: acks and responses are consumable as they arrive
 * ({@link #pollAck}, {@link #pollResponse}) and the query closes at its deadline, after which the
 * polls drain what is left and then return null. Each node is counted once (relayed duplicates
 * are absorbed). The buffers are bounded by the cluster size when the query was sent, as in Go,
 * and so is the record of who answered (Go's grows with every forged sender name): answers beyond
 * either bound are dropped and counted ({@code query_responses_dropped} in {@link Serf#stats()}).
 * Deadlines are on the node's clock, and the waits go through the node's scheduler (a simulator
 * runs its cluster forward while a caller waits here).
 */
public final class QueryResponse {
    private final long lTime;
    private final long id;
    private final Instant deadline;
    private final long deadlineNanos;
    private final boolean ackRequested;
    private final int capacity;
    private final int maxSenders;
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

    QueryResponse(long lTime, long id, Duration timeout, boolean ackRequested, int capacity, DropCounter drops,
                  Clock clock, Scheduler scheduler) {
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

    /** When the query stops accepting answers. */
    public Instant deadline() {
        return deadline;
    }

    /** True once the deadline passed or {@link #close()} was called. */
    public boolean finished() {
        lock.lock();
        try {
            return closed || clock.nanoTime() - deadlineNanos >= 0;
        } finally {
            lock.unlock();
        }
    }

    /** Stops collecting; pending answers can still be polled. */
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

    /** Records an ack; false if it was a duplicate, late, or the buffer was full. */
    boolean addAck(String from) {
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
            return true;
        } finally {
            lock.unlock();
        }
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
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next ack (a node name), waiting up to {@code timeout}; null when none came or the query is over. */
    public String pollAck(Duration timeout) throws InterruptedException {
        return poll(acks, timeout);
    }

    /** The next response, waiting up to {@code timeout}; null when none came or the query is over. */
    public NodeResponse pollResponse(Duration timeout) throws InterruptedException {
        return poll(responses, timeout);
    }

    private <T> T poll(ArrayDeque<T> queue, Duration timeout) throws InterruptedException {
        long until = Math.min(clock.nanoTime() + timeout.toNanos(), deadlineNanos);
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

    /** Waits for the deadline and returns every response received (acks are left in place). */
    public List<NodeResponse> awaitResponses() throws InterruptedException {
        List<NodeResponse> out = new ArrayList<>();
        while (true) {
            NodeResponse r = pollResponse(Duration.ofNanos(Math.max(1, deadlineNanos - clock.nanoTime())));
            if (r != null) {
                out.add(r);
            } else if (finished()) {
                lock.lock();
                try {
                    out.addAll(responses);
                    responses.clear();
                } finally {
                    lock.unlock();
                }
                return out;
            }
        }
    }

    /** Waits for the deadline and returns every ack received. */
    public List<String> awaitAcks() throws InterruptedException {
        List<String> out = new ArrayList<>();
        while (true) {
            String a = pollAck(Duration.ofNanos(Math.max(1, deadlineNanos - clock.nanoTime())));
            if (a != null) {
                out.add(a);
            } else if (finished()) {
                lock.lock();
                try {
                    out.addAll(acks);
                    acks.clear();
                } finally {
                    lock.unlock();
                }
                return out;
            }
        }
    }
}
