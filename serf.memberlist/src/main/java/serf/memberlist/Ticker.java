package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Go ticker on the node's scheduler, for the probe and gossip rounds: ticks on a fixed beat from
 * a first tick, one round at a time. A round that overruns the beat is followed at once by one
 * more (the tick a Go ticker's channel keeps), the other missed ticks are dropped, and the beat goes
 * on where it was. A round may end later than it returns (a probe round waits for acks in further
 * scheduled steps): it reports its end through the callback it is given, once.
 */
final class Ticker {
    /** One round; calls {@code done} when it has ended (on any path, also after throwing). */
    interface Round {
        void run(Runnable done);
    }

    private final NodeScheduler tasks;
    private final Clock clock;
    private final String what;
    private final long intervalNanos;
    private final Round round;
    private final ReentrantLock lock = new ReentrantLock();
    private Scheduler.Timer next;
    private long beatNanos;
    private boolean stopped;

    Ticker(NodeScheduler tasks, Clock clock, String what, Duration interval, Round round) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(what + " interval must be positive: " + interval);
        }
        this.tasks = tasks;
        this.clock = clock;
        this.what = what;
        this.intervalNanos = interval.toNanos();
        this.round = round;
    }

    /** First tick after {@code firstDelay} (a random stagger, so nodes started together do not tick together). */
    void start(Duration firstDelay) {
        lock.lock();
        try {
            beatNanos = clock.nanoTime() + Math.max(0, firstDelay.toNanos());
            next = tasks.schedule(firstDelay, what, this::tick);
        } finally {
            lock.unlock();
        }
    }

    private void tick() {
        AtomicBoolean ended = new AtomicBoolean();
        Runnable done = () -> {
            if (ended.compareAndSet(false, true)) {
                scheduleNext();
            }
        };
        try {
            round.run(done);
        } catch (RuntimeException e) {
            done.run(); // the round is over; the node's scheduler counts and logs the exception
            throw e;
        }
    }

    private void scheduleNext() {
        lock.lock();
        try {
            if (stopped || tasks.isDown()) {
                return;
            }
            long now = clock.nanoTime();
            beatNanos += intervalNanos;
            if (beatNanos < now) {
                // Overran: the last missed tick fires now, the earlier ones are dropped, the beat stays.
                beatNanos += (now - beatNanos) / intervalNanos * intervalNanos;
            }
            next = tasks.schedule(Duration.ofNanos(Math.max(0, beatNanos - now)), what, this::tick);
        } finally {
            lock.unlock();
        }
    }

    /** No more ticks (a round in progress still ends). */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            if (next != null) {
                next.cancel();
            }
        } finally {
            lock.unlock();
        }
    }
}
