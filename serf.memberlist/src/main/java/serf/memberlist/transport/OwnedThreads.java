package serf.memberlist.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The named threads one transport started (virtual ones, and the reader and acceptor on threads of
 * the configured {@link LoopThreads} kind), so that closing the transport can interrupt and join every
 * one of them, and tests can check that none is left.
 */
final class OwnedThreads {

    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private boolean shutDown;

    /**
     * Starts a virtual thread named {@code name} running {@code body}.
     *
     * @throws RejectedExecutionException once {@link #shutDown} has begun: the owner is closing
     */
    Thread start(String name, Runnable body) {
        return start(name, LoopThreads.VIRTUAL, body);
    }

    /**
     * Starts a thread of the given kind named {@code name} running {@code body}.
     *
     * @throws RejectedExecutionException once {@link #shutDown} has begun: the owner is closing
     */
    Thread start(String name, LoopThreads kind, Runnable body) {
        Thread thread = kind.builder().name(name).unstarted(() -> {
            try {
                body.run();
            } finally {
                live.remove(Thread.currentThread());
            }
        });
        // Under the lock so that shutDown() either sees the thread or the thread is never started.
        lock.lock();
        try {
            if (shutDown) {
                throw new RejectedExecutionException("closed");
            }
            live.add(thread);
            thread.start();
        } finally {
            lock.unlock();
        }
        return thread;
    }

    /**
     * Refuses new threads, interrupts the running ones and waits for them to end, at most
     * {@code timeout} in total. Returns the threads still alive after that (normally none).
     */
    List<Thread> shutDown(Duration timeout) {
        List<Thread> snapshot;
        lock.lock();
        try {
            shutDown = true;
            snapshot = new ArrayList<>(live);
        } finally {
            lock.unlock();
        }
        for (Thread thread : snapshot) {
            if (thread != Thread.currentThread()) {
                thread.interrupt();
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> stuck = new ArrayList<>();
        boolean interrupted = false;
        for (Thread thread : snapshot) {
            if (thread == Thread.currentThread()) {
                continue; // a handler closing its own transport cannot wait for itself
            }
            long remaining = deadline - System.nanoTime();
            try {
                if (remaining <= 0 || !thread.join(Duration.ofNanos(remaining))) {
                    stuck.add(thread);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                stuck.add(thread);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return stuck;
    }

    /** The threads started here that have not yet ended. */
    List<Thread> alive() {
        List<Thread> result = new ArrayList<>();
        for (Thread thread : live) {
            if (thread.isAlive()) {
                result.add(thread);
            }
        }
        return result;
    }
}
