package serf.client.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A running {@code stream}, {@code monitor} or {@code query} on an {@link RpcChannel}. Records are
 * handed to the callback in arrival order on one virtual thread of their own, so a slow callback
 * never stalls the connection; like the Go client's buffered channels, at most
 * {@link #QUEUE_CAPACITY} records wait, and records beyond that are dropped (logged).
 *
 * <p>The stream ends when the agent sends a query's {@code done} record, when {@link #stop()} is
 * called, or when the connection closes; {@link #done()} completes once every record queued
 * before the end has been delivered.
 */
public final class RpcStream implements AutoCloseable {
    /** Records waiting for the callback, at most (Go's CLI buffers 1024 logs/events, 128 query records). */
    public static final int QUEUE_CAPACITY = 1024;

    private static final System.Logger LOG = System.getLogger(RpcStream.class.getName());
    private static final Object END = new Object();

    private final RpcChannel client;
    private final RpcCommand command;
    private final long seq;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean stoppedLocally = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    <T> RpcStream(RpcChannel client, RpcCommand command, long seq, Consumer<? super T> callback) {
        this.client = client;
        this.command = command;
        this.seq = seq;
        Objects.requireNonNull(callback, "callback");
        Thread.ofVirtual().name("serf-rpc-" + command.wireName() + "-" + seq).start(() -> deliver(callback));
    }

    @SuppressWarnings("unchecked")
    private <T> void deliver(Consumer<? super T> callback) {
        try {
            while (true) {
                Object item = queue.take();
                if (item == END) {
                    return;
                }
                queued.decrementAndGet();
                try {
                    callback.accept((T) item);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "RPC " + command.wireName() + " callback failed", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.complete(null);
        }
    }

    /** Called by the connection's reader thread. */
    void offer(Object record) {
        if (ended.get()) {
            return;
        }
        if (queued.incrementAndGet() > QUEUE_CAPACITY) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            LOG.log(Level.WARNING, "Dropping " + command.wireName() + " record, callback queue full");
            return;
        }
        queue.add(record);
    }

    /** No more records will be offered (idempotent). */
    void end() {
        if (ended.compareAndSet(false, true)) {
            queue.add(END);
        }
    }

    /** Records dropped so far because the callback queue was full. */
    public long dropped() {
        return dropped.get();
    }

    public long seq() {
        return seq;
    }

    public RpcCommand command() {
        return command;
    }

    /** True when the stream ended because this side stopped it (not the agent or the connection). */
    public boolean stoppedLocally() {
        return stoppedLocally.get();
    }

    /** Completes after the last record has been delivered. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** Waits up to {@code timeout} for {@link #done()}; true if it completed. */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /**
     * Stops delivery, then (for {@code stream} and {@code monitor}) asks the agent to stop with a
     * {@code stop} request, as the Go client does. A query has nothing to stop on the agent; it
     * simply ends locally.
     *
     * @throws RpcException if the agent refuses the stop
     * @throws IOException  if the connection fails
     */
    public void stop() throws IOException {
        if (!ended.get()) {
            stoppedLocally.set(true);
        }
        client.retire(seq);
        if (command != RpcCommand.QUERY && !client.isClosed()) {
            client.stop(seq);
        }
    }

    /** {@link #stop()}, ignoring failures. */
    @Override
    public void close() {
        try {
            stop();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "stop of RPC " + command.wireName() + " " + seq + " failed: " + e.getMessage());
        }
    }
}
