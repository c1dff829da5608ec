package serf.memberlist;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One thread that runs timed tasks in deadline order, one at a time: a binary heap under a lock, and
 * the thread parked until the earliest deadline or until a task is scheduled before it.
 *
 * <p>Why not a {@code ScheduledThreadPoolExecutor}: every task of a node passes through here (five
 * gossip rounds and a probe a second, each probe's ack step and timeout), and under the interpreter the
 * agent runs with, the executor's machinery (a future per task, its state changes through var handles,
 * the worker lock, the condition queue) cost about 100 µs of CPU per task on top of the kernel's
 * wake-up; this loop costs a heap insertion, a removal and a park (docs/benchmarks.md, "Idle CPU").
 * Deadlines are on {@link System#nanoTime()}, ties run in the order they were scheduled, a cancelled
 * task leaves the heap at once.
 */
final class TimerLoop {
    /** A task waiting in the heap; {@code index} is its slot, -1 once it ran or was cancelled. */
    final class Task implements Scheduler.Timer {
        private final long at;
        private final long seq;
        private Runnable body;
        private int index = -1;

        private Task(long at, long seq, Runnable body) {
            this.at = at;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                if (index >= 0) {
                    removeAt(index);
                }
                body = null;
            } finally {
                lock.unlock();
            }
        }

        private boolean before(Task o) {
            long d = at - o.at;
            return d < 0 || (d == 0 && seq < o.seq);
        }
    }

    private final Thread.Builder builder;
    private final Consumer<Runnable> runner;
    private final ReentrantLock lock = new ReentrantLock();
    private Task[] heap = new Task[16];
    private int size;
    private long nextSeq;
    private Thread thread;
    private boolean sleeping;
    private boolean closed;

    /**
     * @param builder makes the one thread, on the first task
     * @param runner runs a task's body on that thread (and deals with what it throws)
     */
    TimerLoop(Thread.Builder builder, Consumer<Runnable> runner) {
        this.builder = builder;
        this.runner = runner;
    }

    /** Queues {@code body} to run once {@code delayNanos} have passed; null once closed. */
    Task schedule(long delayNanos, Runnable body) {
        Thread wake = null;
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            // Clamped so that a delay of centuries cannot wrap the deadline into the past.
            Task t = new Task(System.nanoTime() + Math.min(Math.max(0, delayNanos), Long.MAX_VALUE >> 2), nextSeq++, body);
            add(t);
            if (thread == null) {
                thread = builder.unstarted(this::loop);
                thread.start();
            } else if (t.index == 0 && sleeping) {
                sleeping = false;
                wake = thread;
            }
            return t;
        } finally {
            lock.unlock();
            if (wake != null) {
                LockSupport.unpark(wake);
            }
        }
    }

    /** The loop's thread, once it exists. */
    Thread thread() {
        lock.lock();
        try {
            return thread;
        } finally {
            lock.unlock();
        }
    }

    /** Tasks waiting. */
    int pending() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Drops every waiting task and ends the loop (a task running now still finishes); returns its thread, if any. */
    Thread close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            for (int i = 0; i < size; i++) {
                heap[i].index = -1;
                heap[i].body = null;
                heap[i] = null;
            }
            size = 0;
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
        return t;
    }

    private void loop() {
        while (true) {
            Runnable due = null;
            long waitNanos = 0;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                if (size > 0) {
                    Task head = heap[0];
                    long left = head.at - System.nanoTime();
                    if (left <= 0) {
                        removeAt(0);
                        due = head.body;
                        head.body = null;
                    } else {
                        waitNanos = left;
                    }
                }
                sleeping = due == null;
            } finally {
                lock.unlock();
            }
            if (due != null) {
                runner.accept(due);
            } else if (waitNanos > 0) {
                LockSupport.parkNanos(this, waitNanos);
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void add(Task t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, t);
    }

    private void removeAt(int i) {
        Task gone = heap[i];
        gone.index = -1;
        int last = --size;
        Task moved = heap[last];
        heap[last] = null;
        if (i != last) {
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
    }

    private void siftUp(int i, Task t) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Task p = heap[parent];
            if (!t.before(p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i, Task t) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Task c = heap[child];
            int right = child + 1;
            if (right < size && heap[right].before(c)) {
                child = right;
                c = heap[child];
            }
            if (!c.before(t)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
