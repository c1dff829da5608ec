package serf.memberlist;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import serf.memberlist.internal.msg.StreamRejectedException;
import serf.wire.DecodeException;

/** The TCP fallback ping of a probe, on its own virtual thread (Go: a goroutine per probe). */
final class TcpPing {
    /** The ping itself: true when the node answered. */
    interface Attempt {
        boolean run() throws IOException, StreamRejectedException;
    }

    private final NodeContext ctx;
    private final Node node;
    private final Semaphore permits;
    private final Attempt attempt;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean contact;

    /** The caller holds a permit of {@code permits}; it is released when the ping ends. */
    TcpPing(NodeContext ctx, Node node, Semaphore permits, Attempt attempt) {
        this.ctx = ctx;
        this.node = node;
        this.permits = permits;
        this.attempt = attempt;
    }

    void start() {
        try {
            Thread.ofVirtual().name("memberlist-tcpping-" + ctx.name()).start(this::run);
        } catch (RuntimeException e) {
            permits.release();
            done.countDown();
            throw e;
        }
    }

    private void run() {
        try {
            contact = attempt.run();
        } catch (IOException | DecodeException | StreamRejectedException e) {
            ctx.log().log(System.Logger.Level.DEBUG, () -> "memberlist: TCP ping to " + node.name() + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            ctx.stats().loopExceptions.incrementAndGet();
            ctx.limited().log(System.Logger.Level.WARNING, "tcpping-failed", "memberlist: TCP ping to " + node.name() + " failed: " + e);
        } finally {
            permits.release();
            done.countDown();
        }
    }

    /** Waits for the result {@code leftNanos} more (plus the small grace Go's channel read gives); true on contact. */
    boolean await(long leftNanos) throws InterruptedException {
        done.await(Math.max(leftNanos, 0) + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.NANOSECONDS);
        return contact;
    }
}
