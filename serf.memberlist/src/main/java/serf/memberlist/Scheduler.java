package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import serf.memberlist.transport.LoopThreads;

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

    /** {@return the time delays are measured in; a node's {@link MemberlistConfig#clock()} is this clock} */
    Clock clock();

    /**
     * Runs {@code task} once {@code delay} has passed on {@link #clock()} (at once for a delay ≤ 0).
     *
     * @param delay how long to wait
     * @param task what to run
     * @return a handle that cancels the task
     */
    Timer schedule(Duration delay, Runnable task);

    /**
     * Runs {@code task} soon, off the caller's stack; it may block (the simulator's streams do not).
     *
     * @param task what to run
     */
    void execute(Runnable task);

    /**
     * Waits up to {@code timeout} for {@code latch} to open; true if it did. A user thread waits on
     * the latch; a simulator runs its cluster forward in virtual time until the latch opens.
     *
     * @param latch the latch to wait for
     * @param timeout how long to wait at most
     * @return true if the latch opened, false on timeout
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean await(CountDownLatch latch, Duration timeout) throws InterruptedException;

    /** Drops pending tasks and stops the scheduler's own threads (waiting boundedly for them). */
    @Override
    void close();

    /**
     * {@return the runtime's scheduler: one virtual timer thread named {@code <name>-timer}, a new virtual
     * thread per {@link #execute}, the system clock} Failures of tasks are logged to {@code log}.
     *
     * @param name a prefix for the thread names
     * @param log where task failures are logged
     */
    static Scheduler ofThreads(String name, System.Logger log) {
        return new ThreadScheduler(name, Clock.system(), log);
    }

    /**
     * {@return the runtime's scheduler with its timer thread of the given kind: {@code <name>-timer},
     * a virtual thread per {@link #execute} whatever the kind, the system clock} A platform timer
     * thread is cheaper to wake (every timed task wakes it) and suits one node per process; see
     * {@link LoopThreads}. Failures of tasks are logged to {@code log}.
     *
     * @param name a prefix for the thread names
     * @param timerThread the kind of the one timer thread
     * @param log where task failures are logged
     */
    static Scheduler ofThreads(String name, LoopThreads timerThread, System.Logger log) {
        return new ThreadScheduler(name, java.util.Objects.requireNonNull(timerThread, "timerThread"), Clock.system(), log);
    }
}
