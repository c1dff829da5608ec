package serf.memberlist;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import serf.memberlist.internal.msg.Message;

/**
 * The two bounded queues between the packet receiver and the state machine, as in Go: alive
 * messages (high priority) before suspect/dead/user ones, each served newest first. When a queue
 * is full the incoming message is dropped, so a flood cannot grow memory. Nothing waits here: the
 * receiver that queues a message starts a drain on the node's scheduler when none is running.
 */
final class HandoffQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Message> high = new ArrayDeque<>();
    private final ArrayDeque<Message> low = new ArrayDeque<>();
    private final int depth;
    private boolean closed;

    HandoffQueue(int depth) {
        this.depth = Math.max(1, depth);
    }

    /** Queues a message; false when its queue is full (the message is dropped). */
    boolean offer(Message m) {
        lock.lock();
        try {
            if (closed) {
                return true; // shut down: nothing is handled any more, and nothing is kept
            }
            ArrayDeque<Message> q = m instanceof Message.Alive ? high : low;
            if (q.size() >= depth) {
                return false;
            }
            q.addLast(m);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next message (alive first, newest first), or null when there is none or the queue is closed. */
    Message poll() {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            return !high.isEmpty() ? high.pollLast() : low.pollLast();
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return closed || (high.isEmpty() && low.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            high.clear();
            low.clear();
        } finally {
            lock.unlock();
        }
    }
}
