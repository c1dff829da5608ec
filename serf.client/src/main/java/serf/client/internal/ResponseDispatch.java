package serf.client.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link RpcChannel}'s table of outstanding requests: the handler that gets the response headers of each
 * seq, the seqs of streams ended here, and whether the channel is closed. One lock orders registering
 * against closing, so that no handler is added after {@link #close()} has handed the pending ones back.
 */
final class ResponseDispatch {
    /** Reacts to a response header for one seq; runs on the reader thread. */
    interface Handler {
        void handle(ResponseHeader header) throws IOException;

        /** The handler was removed: by completion, a local stop or the connection closing. */
        void cleanup();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Handler> handlers = new HashMap<>();
    /** Seqs of streams ended here: their late records still carry a body, which must be skipped. */
    private final Set<Long> retired = new HashSet<>();
    private volatile boolean closed;

    boolean isClosed() {
        return closed;
    }

    void register(long s, Handler h) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("client closed");
            }
            handlers.put(s, h);
        } finally {
            lock.unlock();
        }
    }

    /** Removes the handler of {@code s}, if any, and runs its cleanup outside the lock. */
    void deregister(long s) {
        Handler h;
        lock.lock();
        try {
            h = handlers.remove(s);
        } finally {
            lock.unlock();
        }
        if (h != null) {
            h.cleanup();
        }
    }

    /** Ends local delivery for a stream seq, remembering that its late records carry bodies. */
    void retire(long s) {
        lock.lock();
        try {
            retired.add(s);
        } finally {
            lock.unlock();
        }
        deregister(s);
    }

    Handler handlerFor(long s) {
        lock.lock();
        try {
            return handlers.get(s);
        } finally {
            lock.unlock();
        }
    }

    boolean isRetired(long s) {
        lock.lock();
        try {
            return retired.contains(s);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the table closed and empties it; the caller runs the handlers' cleanups (after closing the
     * socket, outside the lock).
     *
     * @return the handlers that were pending, or null if the table was already closed
     */
    List<Handler> close() {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            closed = true;
            List<Handler> pending = new ArrayList<>(handlers.values());
            handlers.clear();
            return pending;
        } finally {
            lock.unlock();
        }
    }
}
