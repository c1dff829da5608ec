package serf.memberlist;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Scheduler} in virtual time, for tests (the simulator's in miniature): tasks wait in a
 * queue ordered by (time, order of scheduling) and run on the thread that calls {@link #runUntil}
 * or {@link #await}, the clock jumping to each task's time. {@link #execute} is a task at the
 * current time (or after a set delay, to model slow blocking work). Nothing runs on the scheduling caller's stack, and no thread is started, ever.
 */
final class ManualScheduler implements Scheduler {
    private record Task(long atNanos, long order, Runnable body, boolean[] cancelled) {
    }

    private final ManualClock clock = new ManualClock();
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.atNanos != b.atNanos
            ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private long order;
    private long executeDelayNanos;
    private long ran;
    private boolean closed;

    @Override
    public ManualClock clock() {
        return clock;
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        lock.lock();
        try {
            if (!closed) {
                queue.add(new Task(clock.nanoTime() + Math.max(0, delay.toNanos()), order++, task, cancelled));
            }
        } finally {
            lock.unlock();
        }
        return () -> {
            lock.lock();
            try {
                cancelled[0] = true;
            } finally {
                lock.unlock();
            }
        };
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ofNanos(executeDelayNanos), task);
    }

    /** From now on, executed (blocking) work runs {@code d} after it was handed over: slow I/O, in virtual time. */
    void executeDelay(Duration d) {
        executeDelayNanos = d.toNanos();
    }

    /** Runs the cluster forward until the latch opens or the virtual timeout has passed. */
    @Override
    public boolean await(CountDownLatch latch, Duration timeout) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        while (latch.getCount() > 0) {
            if (!runNext(deadline)) {
                advanceTo(deadline);
                return latch.getCount() == 0;
            }
        }
        return true;
    }

    /** Runs every task due up to {@code nanos} on this clock, in order, then sets the clock there. */
    void runUntil(long nanos) {
        while (runNext(nanos)) {
            // next
        }
        advanceTo(nanos);
    }

    /** {@link #runUntil} the current time plus {@code d}. */
    void runFor(Duration d) {
        runUntil(clock.nanoTime() + d.toNanos());
    }

    /** Runs what is due now (tasks at the current time, and those they add at it). */
    void runDue() {
        runUntil(clock.nanoTime());
    }

    /** Tasks run so far. */
    long ran() {
        return ran;
    }

    /** Tasks waiting, cancelled ones not counted. */
    int pending() {
        lock.lock();
        try {
            return (int) queue.stream().filter(t -> !t.cancelled[0]).count();
        } finally {
            lock.unlock();
        }
    }

    /** Runs the next task due by {@code limit}; false when there is none. */
    private boolean runNext(long limit) {
        Task next;
        lock.lock();
        try {
            while (true) {
                next = queue.peek();
                if (next == null || next.atNanos > limit) {
                    return false;
                }
                queue.poll();
                if (!next.cancelled[0]) {
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        advanceTo(next.atNanos);
        ran++;
        next.body.run(); // a task that throws fails the test: the node's own tasks catch their exceptions
        return true;
    }

    private void advanceTo(long nanos) {
        long now = clock.nanoTime();
        if (nanos > now) {
            clock.advance(Duration.ofNanos(nanos - now));
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
        } finally {
            lock.unlock();
        }
    }
}
