package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Where a node's timers and background work run. The protocol decides <em>what</em> happens and
 * <em>when</em>; the scheduler decides on which thread. The default ({@link #ofThreads}) is one
 * timer thread per node plus a virtual thread for each piece of work that may block; a simulator
 * supplies one that runs everything on its own thread in virtual time, which makes a whole cluster
 * deterministic.
 *
 * <p>Contract: a scheduled or executed task never runs on the caller's stack (callers may hold
 * locks when they schedule); timed tasks must be short and must not block, work that may block
 * (stream I/O) goes to {@link #execute}. A task that throws does not stop the scheduler.
 * Closing a scheduler is the business of whoever created it: a {@link Memberlist} closes the one it
 * made for itself and never one it was given.
 */
public interface Scheduler extends AutoCloseable {

    /** A task waiting for its time. */
    interface Timer {
        /** Forgets the task if it has not started; harmless after it ran. */
        void cancel();
    }

    /** The time delays are measured in; a node's {@link MemberlistConfig#clock()} is this clock. */
    Clock clock();

    /** Runs {@code task} once {@code delay} has passed on {@link #clock()} (at once for a delay ≤ 0). */
    Timer schedule(Duration delay, Runnable task);

    /** Runs {@code task} soon, off the caller's stack; it may block (the simulator's streams do not). */
    void execute(Runnable task);

    /**
     * Waits up to {@code timeout} for {@code latch} to open; true if it did. A user thread waits on
     * the latch; a simulator runs its cluster forward in virtual time until the latch opens.
     */
    boolean await(CountDownLatch latch, Duration timeout) throws InterruptedException;

    /** Drops pending tasks and stops the scheduler's own threads (waiting boundedly for them). */
    @Override
    void close();

    /**
     * The runtime's scheduler: one virtual timer thread named {@code <name>-timer}, a new virtual
     * thread per {@link #execute}, the system clock. Failures of tasks are logged to {@code log}.
     */
    static Scheduler ofThreads(String name, System.Logger log) {
        return new ThreadScheduler(name, Clock.system(), log);
    }
}
