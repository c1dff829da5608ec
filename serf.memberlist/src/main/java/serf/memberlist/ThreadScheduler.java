package serf.memberlist;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import serf.memberlist.transport.LoopThreads;

/**
 * {@link Scheduler#ofThreads}: timed tasks one at a time on a single timer thread ({@link TimerLoop}),
 * virtual or platform as asked (a pending timeout costs a heap entry, not a thread), blocking work on a
 * virtual thread each.
 * Cancelled tasks leave the queue at once; after {@link #close()} nothing new runs, and close waits
 * (boundedly) for the timer thread and the work threads still running, except the one calling it.
 */
final class ThreadScheduler implements Scheduler {
    private static final Timer NOT_SCHEDULED = () -> { };
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String name;
    private final Clock clock;
    private final System.Logger log;
    private final TimerLoop timer;
    private final AtomicLong failures = new AtomicLong();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ThreadScheduler(String name, Clock clock, System.Logger log) {
        this(name, LoopThreads.VIRTUAL, clock, log);
    }

    ThreadScheduler(String name, LoopThreads timerKind, Clock clock, System.Logger log) {
        this.name = name;
        this.clock = clock;
        this.log = log;
        this.timer = new TimerLoop(timerKind.builder().name(name + "-timer"), this::run);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Timer t = timer.schedule(delay.toNanos(), task);
        return t != null ? t : NOT_SCHEDULED; // closed: the task would never run anyway
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            return;
        }
        Thread t = Thread.ofVirtual().name(name + "-work").unstarted(() -> {
            try {
                run(task);
            } finally {
                workers.remove(Thread.currentThread());
            }
        });
        workers.add(t);
        if (closed) { // closed meanwhile: close() may not have seen it
            workers.remove(t);
            return;
        }
        t.start();
    }

    @Override
    public boolean await(CountDownLatch latch, Duration timeout) throws InterruptedException {
        return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) { // the timer thread must outlive any one task
            failures.incrementAndGet();
            if (!closed) {
                log.log(System.Logger.Level.ERROR, name + ": scheduled task failed: " + e);
            }
        }
    }

    /** Timed tasks waiting (for tests). */
    int pending() {
        return timer.pending();
    }

    /** Tasks that threw. */
    long failures() {
        return failures.get();
    }

    /** Work threads running now (for tests). */
    int working() {
        return workers.size();
    }

    @Override
    public void close() {
        closed = true;
        Thread timerThread = timer.close();
        Thread self = Thread.currentThread();
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS; // a thread's wait, in real time
        try {
            // A task may close its own scheduler (a delegate shutting its node down): it cannot wait for itself.
            if (timerThread != null && self != timerThread && !timerThread.join(Duration.ofNanos(CLOSE_WAIT_NANOS))) {
                log.log(System.Logger.Level.WARNING, name + ": the timer thread did not stop within 5 s");
            }
            for (Thread t : workers) {
                if (t != self && t.isAlive() && !t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    log.log(System.Logger.Level.WARNING, name + ": work thread still running after 5 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
