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
 *
 * <p>A ticker made with {@link #idling} runs a round that says whether it found anything to do. After
 * an idle round it sleeps {@code idleStride} beats instead of one, unless {@link #wake()} says there is
 * work again: then it ticks at once, and its beat goes on from there. The round is told how many
 * beats it slept through, so that it can account for them (gossip records them as rounds with nothing
 * to send, as Go's ticker would have run them). An idle node's gossip thus wakes once a second instead
 * of five times, and a new broadcast on an idle node leaves at once instead of waiting for the next
 * beat (half a beat on average, per hop: what Go's ticker costs an event in a quiet cluster). Rounds
 * that send stay at least a beat apart, so a node never gossips more often than Go's would: the last
 * one before the sleep was a beat before the idle round (less only after an overrun), and the woken
 * one is after it.
 */
final class Ticker {
    /** One round; calls {@code done} when it has ended (on any path, also after throwing). */
    interface Round {
        void run(Runnable done);
    }

    /** A synchronous round that may find nothing to do. */
    interface IdleAwareRound {
        /**
         * @param slept beats skipped since the last round because it was idle
         * @return false if the round found nothing to do
         */
        boolean run(int slept);
    }

    private final NodeScheduler tasks;
    private final Clock clock;
    private final String what;
    private final long intervalNanos;
    private final Round round;
    private final IdleAwareRound idleAware;
    private final int idleStride;
    private final ReentrantLock lock = new ReentrantLock();
    private Scheduler.Timer next;
    private long beatNanos;
    private boolean stopped;
    /** The last round was idle: {@code next} is a stride away, counted from {@code idleBeatNanos}. */
    private boolean sleeping;
    private long idleBeatNanos;
    /** {@link #wake()} came while a round ran: do not sleep after it. */
    private boolean woken;

    Ticker(NodeScheduler tasks, Clock clock, String what, Duration interval, Round round) {
        this(tasks, clock, what, interval, round, null, 1);
    }

    private Ticker(NodeScheduler tasks, Clock clock, String what, Duration interval, Round round,
            IdleAwareRound idleAware, int idleStride) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(what + " interval must be positive: " + interval);
        }
        if (idleStride < 1) {
            throw new IllegalArgumentException("idle stride must be positive: " + idleStride);
        }
        this.tasks = tasks;
        this.clock = clock;
        this.what = what;
        this.intervalNanos = interval.toNanos();
        this.round = round;
        this.idleAware = idleAware;
        this.idleStride = idleStride;
    }

    /** A ticker whose rounds may be idle; after one it sleeps {@code idleStride} beats unless woken. */
    static Ticker idling(NodeScheduler tasks, Clock clock, String what, Duration interval, int idleStride, IdleAwareRound round) {
        return new Ticker(tasks, clock, what, interval, null, round, idleStride);
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
        if (idleAware != null) {
            idleTick();
            return;
        }
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

    private void idleTick() {
        int slept;
        lock.lock();
        try {
            // Beats of the old grid strictly between the idle round and this one (a wake may have
            // moved this round off that grid).
            slept = sleeping ? (int) ((beatNanos - idleBeatNanos + intervalNanos - 1) / intervalNanos) - 1 : 0;
            sleeping = false;
            woken = false;
        } finally {
            lock.unlock();
        }
        boolean idle = false;
        try {
            idle = !idleAware.run(Math.max(0, slept));
        } finally {
            scheduleNext(idle);
        }
    }

    private void scheduleNext() {
        scheduleNext(false);
    }

    private void scheduleNext(boolean idle) {
        lock.lock();
        try {
            if (stopped || tasks.isDown()) {
                return;
            }
            long now = clock.nanoTime();
            long roundBeat = beatNanos;
            beatNanos += intervalNanos;
            if (beatNanos < now) {
                // Overran: the last missed tick fires now, the earlier ones are dropped, the beat stays.
                beatNanos += (now - beatNanos) / intervalNanos * intervalNanos;
            }
            if (idle && idleStride > 1 && !woken) {
                sleeping = true;
                idleBeatNanos = roundBeat;
                beatNanos = Math.max(beatNanos, roundBeat + idleStride * intervalNanos);
            }
            next = tasks.schedule(Duration.ofNanos(Math.max(0, beatNanos - now)), what, this::tick);
        } finally {
            lock.unlock();
        }
    }

    /**
     * There is work for an {@link #idling} ticker: if it sleeps after an idle round, it ticks now
     * instead of a stride away, and its beat goes on from there; if a round is running, it will not
     * sleep after it. Cheap; harmless on a ticker that is not sleeping.
     */
    void wake() {
        lock.lock();
        try {
            if (stopped || idleStride == 1) {
                return;
            }
            if (!sleeping) {
                woken = true;
                return;
            }
            long now = clock.nanoTime();
            if (now < beatNanos) {
                if (next != null) {
                    next.cancel();
                }
                beatNanos = now;
                next = tasks.schedule(Duration.ZERO, what, this::tick);
            }
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
