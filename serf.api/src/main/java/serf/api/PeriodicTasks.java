package serf.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import serf.memberlist.Scheduler;

/**
 * The node's repeating maintenance (reaper, reconnector, queue monitor) as timers on its
 * scheduler: each round runs, then schedules the next one {@code interval} later, until
 * {@link #cancelAll}. A round must be short and must not block (work that may block is handed to
 * {@link Scheduler#execute} by the round itself); a round that throws is logged and the next one
 * still comes.
 */
final class PeriodicTasks {
    private final Scheduler scheduler;
    private final System.Logger log;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Scheduler.Timer[]> timers = new ArrayList<>();
    private boolean cancelled;

    PeriodicTasks(Scheduler scheduler, System.Logger log) {
        this.scheduler = scheduler;
        this.log = log;
    }

    /** Runs {@code body} every {@code interval}, the first time one interval from now. */
    void every(String what, Duration interval, Runnable body) {
        Scheduler.Timer[] current = new Scheduler.Timer[1];
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            timers.add(current);
            current[0] = scheduler.schedule(interval, () -> round(what, interval, body, current));
        } finally {
            lock.unlock();
        }
    }

    private void round(String what, Duration interval, Runnable body, Scheduler.Timer[] current) {
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
        } finally {
            lock.unlock();
        }
        try {
            body.run();
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.ERROR, "serf: " + what + " failed", e);
        }
        lock.lock();
        try {
            if (!cancelled) {
                current[0] = scheduler.schedule(interval, () -> round(what, interval, body, current));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops every repeating task (a round running now finishes, and no next one is scheduled). */
    void cancelAll() {
        lock.lock();
        try {
            cancelled = true;
            for (Scheduler.Timer[] t : timers) {
                if (t[0] != null) {
                    t[0].cancel();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
