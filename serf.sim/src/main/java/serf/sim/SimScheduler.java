package serf.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import serf.memberlist.Clock;
import serf.memberlist.Scheduler;

/**
 * One node's {@link Scheduler} and {@link Clock}: its timers and work become events of the
 * simulation's loop, owned by the node (a crash drops them), and a wait runs the loop forward in
 * virtual time until the latch opens or the timeout passes.
 */
final class SimScheduler implements Scheduler, Clock {
    private final EventLoop loop;
    private final SimNode node;
    private final Instant epoch;

    SimScheduler(EventLoop loop, SimNode node, Instant epoch) {
        this.loop = loop;
        this.node = node;
        this.epoch = epoch;
    }

    @Override
    public Clock clock() {
        return this;
    }

    @Override
    public long nanoTime() {
        return loop.now();
    }

    @Override
    public Instant wallTime() {
        return epoch.plusNanos(loop.now());
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        return loop.at(loop.now() + Math.max(0, delay.toNanos()), node, task);
    }

    @Override
    public void execute(Runnable task) {
        loop.at(loop.now(), node, task);
    }

    @Override
    public boolean await(CountDownLatch latch, Duration timeout) {
        long deadline = loop.now() + Math.max(0, timeout.toNanos());
        while (latch.getCount() > 0 && loop.step(deadline)) {
            // the node's own events run here too: waiting does not stop it
        }
        if (latch.getCount() > 0) {
            loop.runUntil(Math.max(loop.now(), deadline));
        }
        return latch.getCount() == 0;
    }

    @Override
    public void close() {
        // The simulation owns the loop; a node closing "its" scheduler ends nothing else.
    }
}
