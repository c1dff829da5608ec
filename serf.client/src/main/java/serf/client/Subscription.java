package serf.client;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import serf.client.internal.RpcException;
import serf.client.internal.RpcStream;

/**
 * A running {@link SerfClient#stream stream}, {@link SerfClient#monitor monitor} or
 * {@link SerfClient#query query}. Its records reach the callback in the order they arrived, on a
 * thread of their own, so a slow callback never holds up the connection; at most
 * {@value #QUEUE_CAPACITY} records wait for it and later ones are dropped and counted
 * ({@link #dropped()}).
 *
 * <p>It ends when a query's time is up, when {@link #stop()} or {@link #close()} is called (which
 * for a query means: stop listening early, e.g. once every expected answer is in), or when the
 * connection closes. {@link #done()} completes once every record received before the end has been
 * delivered.
 */
public final class Subscription implements AutoCloseable {
    /** Records that may wait for the callback; beyond that they are dropped. */
    public static final int QUEUE_CAPACITY = RpcStream.QUEUE_CAPACITY;

    private final RpcStream stream;

    Subscription(RpcStream stream) {
        this.stream = stream;
    }

    /**
     * Completes after the last record has been handed to the callback.
     *
     * @return a future that completes (normally) at the end
     */
    public CompletableFuture<Void> done() {
        return stream.done();
    }

    /**
     * Waits for the end.
     *
     * @param timeout how long to wait at most
     * @return true if the subscription ended in time
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return stream.awaitDone(timeout);
    }

    /**
     * Whether this side ended it ({@link #stop()} or {@link #close()}) rather than the agent or the
     * connection.
     *
     * @return true when stopped here
     */
    public boolean stoppedLocally() {
        return stream.stoppedLocally();
    }

    /**
     * Records dropped because the callback fell more than {@value #QUEUE_CAPACITY} records behind.
     *
     * @return the number dropped so far
     */
    public long dropped() {
        return stream.dropped();
    }

    /**
     * Ends delivery now and, for a stream or a monitor, asks the agent to stop sending (a query has
     * nothing to stop on the agent: it simply is no longer listened to).
     *
     * @throws AgentException if the agent refuses the stop
     * @throws IOException    if the connection fails
     */
    public void stop() throws IOException {
        try {
            stream.stop();
        } catch (RpcException e) {
            throw new AgentException(e.error());
        }
    }

    /** {@link #stop()}, ignoring failures (the subscription ends here either way). */
    @Override
    public void close() {
        stream.close();
    }
}
