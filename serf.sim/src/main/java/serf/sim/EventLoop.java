package serf.sim;

import java.util.PriorityQueue;

/**
 * Virtual time and the one queue of everything that is to happen: events ordered by instant, then
 * by the order they were queued, so a run is a pure function of its inputs and its seed. Events run
 * on the thread that drives the simulation; an event may run the loop further itself (a node waiting
 * in {@link SimScheduler#await}), which is how a blocking call passes virtual time.
 */
final class EventLoop {
    /** One queued task; cancelled or owned by a crashed node, it is skipped when its time comes. */
    static final class Event implements serf.memberlist.Scheduler.Timer {
        final long time;
        final long seq;
        final SimNode owner;
        final Runnable task;
        boolean cancelled;

        Event(long time, long seq, SimNode owner, Runnable task) {
            this.time = time;
            this.seq = seq;
            this.owner = owner;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) ->
            a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private final Thread driver;
    private final System.Logger log;
    private long now;
    private long seq;
    private long executed;
    private long taskFailures;
    private long foreignThreadCalls;

    EventLoop(Thread driver, System.Logger log) {
        this.driver = driver;
        this.log = log;
    }

    long now() {
        return now;
    }

    /** Queues {@code task} at virtual instant {@code time} (never before now). */
    Event at(long time, SimNode owner, Runnable task) {
        if (Thread.currentThread() != driver) {
            // A node started a thread of its own: the run is no longer deterministic. Counted so
            // tests can insist on zero; the event is still queued (the queue is not thread-safe, so
            // this is best effort, which is all a broken contract can get).
            foreignThreadCalls++;
        }
        Event e = new Event(Math.max(time, now), seq++, owner, task);
        queue.add(e);
        return e;
    }

    /** Runs the next event if it is due by {@code deadline}; false when none is. */
    boolean step(long deadline) {
        Event e = queue.peek();
        if (e == null || e.time > deadline) {
            return false;
        }
        queue.poll();
        if (e.cancelled || (e.owner != null && e.owner.crashed())) {
            return true;
        }
        now = e.time;
        executed++;
        try {
            e.task.run();
        } catch (RuntimeException ex) {
            taskFailures++;
            log.log(System.Logger.Level.WARNING, "simulation: a task of " + (e.owner == null ? "the simulation" : e.owner.name())
                    + " failed at " + now + " ns: " + ex, ex);
        }
        return true;
    }

    /** Runs every event due by {@code deadline}, then sets the clock to it. */
    void runUntil(long deadline) {
        while (step(deadline)) {
            // keep going
        }
        if (deadline > now) {
            now = deadline;
        }
    }

    int pending() {
        return queue.size();
    }

    long executed() {
        return executed;
    }

    long taskFailures() {
        return taskFailures;
    }

    long foreignThreadCalls() {
        return foreignThreadCalls;
    }

    boolean onDriverThread() {
        return Thread.currentThread() == driver;
    }
}
