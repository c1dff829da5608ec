package serf.memberlist;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * When this node starts a push/pull on its own (Go's pushPullTrigger): after a random stagger, then
 * each time the (cluster-size-scaled) push/pull interval has passed since the previous one ended.
 * The timer only hands the push/pull to the scheduler's blocking side, where its stream I/O runs.
 */
final class PushPullTrigger {
    private final NodeContext ctx;
    private final NodeScheduler tasks;
    private final PushPull pushPull;
    private final ReentrantLock lock = new ReentrantLock();
    private Scheduler.Timer next;
    private boolean stopped;

    PushPullTrigger(NodeContext ctx, PushPull pushPull) {
        this.ctx = ctx;
        this.tasks = ctx.tasks();
        this.pushPull = pushPull;
    }

    void start() {
        arm(ctx.stagger(ctx.config().pushPullInterval()), this::arm);
    }

    /** Waits the scaled interval, then pushes/pulls with a random node. */
    private void arm() {
        Duration wait = PushPull.pushPullScale(ctx.config().pushPullInterval(), ctx.state().table().estimatedNumNodes());
        arm(wait, () -> tasks.execute("push/pull", this::pushPullThenArm));
    }

    private void pushPullThenArm() {
        try {
            pushPull.pushPullRandom();
        } finally {
            arm();
        }
    }

    private void arm(Duration delay, Runnable then) {
        lock.lock();
        try {
            if (stopped || tasks.isDown()) {
                return;
            }
            next = tasks.schedule(delay, "push/pull", then);
        } finally {
            lock.unlock();
        }
    }

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
