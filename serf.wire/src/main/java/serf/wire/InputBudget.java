package serf.wire;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Memory for input, reserved before it is allocated. Whoever is about to hold bytes that a peer
 * sent (a stream body, a decompressed packet, an RPC frame) first takes that many bytes from a
 * budget, and gives them back when it is done with them; what the budget cannot cover is refused
 * before anything is allocated. As long as the budget is smaller than the heap can spare, input can
 * no longer run a node out of memory: an {@code OutOfMemoryError} is prevented, not caught.
 *
 * <p>Lengths that a peer declares are never trusted: callers reserve a declared length first
 * (refusing it if the budget cannot cover it) and then read incrementally, or grow their
 * reservation as bytes actually arrive.
 *
 * <p>One budget is normally shared by every node and server of a process, because they share one
 * heap: {@link #shared()} is a quarter of the maximum heap. Thread-safe; reservations never block
 * unless asked to wait.
 */
public final class InputBudget {
    /** The fraction of the maximum heap that {@link #shared()} admits for input. */
    public static final double SHARED_HEAP_FRACTION = 0.25;

    private static final class SharedHolder {
        static final InputBudget INSTANCE = fromHeap(SHARED_HEAP_FRACTION);
    }

    private final long limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private long inUse;
    private long peak;
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong refusedBytes = new AtomicLong();

    private InputBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("an input budget must be positive: " + limit);
        }
        this.limit = limit;
    }

    /**
     * {@return a budget of exactly {@code limit} bytes}
     *
     * @param limit the budget's size in bytes, at least 0
     */
    public static InputBudget ofBytes(long limit) {
        return new InputBudget(limit);
    }

    /**
     * {@return a budget of {@code fraction} of the maximum heap ({@link Runtime#maxMemory()}), at least 1 MiB}
     *
     * @param fraction in (0, 1]
     */
    public static InputBudget fromHeap(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1]: " + fraction);
        }
        long max = Runtime.getRuntime().maxMemory();
        if (max == Long.MAX_VALUE) {
            max = 256L << 20; // no limit reported: assume a modest heap rather than none
        }
        return new InputBudget(Math.max(1L << 20, (long) (max * fraction)));
    }

    /** {@return the process-wide default: {@link #SHARED_HEAP_FRACTION} of the maximum heap, made on first use} */
    public static InputBudget shared() {
        return SharedHolder.INSTANCE;
    }

    /**
     * Takes {@code bytes} from the budget at once, or refuses.
     *
     * @throws InputRefusedException when the budget cannot cover them now (counted in {@link #refusals()})
     * @param bytes how many bytes to take
     * @return the reservation; release it by closing it
     */
    public Reservation reserve(long bytes) throws InputRefusedException {
        Reservation r = tryReserve(bytes);
        if (r == null) {
            throw refusedException(bytes);
        }
        return r;
    }

    /**
     * {@link #reserve} that returns null instead of throwing.
     *
     * @param bytes how many bytes to take
     * @return the reservation, or null when the budget cannot cover it now
     */
    public Reservation tryReserve(long bytes) {
        requireNonNegative(bytes);
        lock.lock();
        try {
            if (!takeLocked(bytes)) {
                countRefusal(bytes);
                return null;
            }
        } finally {
            lock.unlock();
        }
        return new Reservation(bytes);
    }

    /**
     * Takes {@code bytes}, waiting up to {@code maxWait} for other reservations to be released. Never
     * waits for an amount larger than the whole budget: that is refused at once.
     *
     * @throws InputRefusedException when the bytes did not become free in time
     * @throws InterruptedException  when interrupted while waiting
     * @param bytes how many bytes to take
     * @param maxWait how long to wait at most
     * @return the reservation; release it by closing it
     */
    public Reservation reserve(long bytes, Duration maxWait) throws InputRefusedException, InterruptedException {
        requireNonNegative(bytes);
        long nanos = maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            while (!takeLocked(bytes)) {
                if (bytes > limit || nanos <= 0) {
                    countRefusal(bytes);
                    throw refusedException(bytes);
                }
                nanos = released.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
        return new Reservation(bytes);
    }

    /** {@return the most bytes that can be reserved at once} */
    public long limit() {
        return limit;
    }

    /**
     * Bytes reserved now.
     *
     * @return the bytes reserved now
     */
    public long inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the most bytes ever reserved at one time} */
    public long peak() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }

    /** {@return how many reservations (and growths) were refused} */
    public long refusals() {
        return refusals.get();
    }

    /** {@return the bytes those refusals asked for, added up} */
    public long refusedBytes() {
        return refusedBytes.get();
    }

    @Override
    public String toString() {
        return "InputBudget[limit=" + limit + ", inUse=" + inUse() + ", peak=" + peak() + ", refusals=" + refusals() + "]";
    }

    private boolean takeLocked(long bytes) {
        if (bytes > limit - inUse) {
            return false;
        }
        inUse += bytes;
        peak = Math.max(peak, inUse);
        return true;
    }

    private void give(long bytes) {
        if (bytes == 0) {
            return;
        }
        lock.lock();
        try {
            inUse -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void countRefusal(long bytes) {
        refusals.incrementAndGet();
        refusedBytes.addAndGet(bytes);
    }

    private InputRefusedException refusedException(long bytes) {
        return new InputRefusedException("input budget exhausted: " + bytes + " bytes asked, "
                + Math.max(0, limit - inUse()) + " of " + limit + " free");
    }

    private static void requireNonNegative(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative reservation: " + bytes);
        }
    }

    /**
     * Bytes held from an {@link InputBudget} until {@link #close()}. Not thread-safe: one owner (the
     * thread reading one stream or frame) grows and closes it. Closing twice is harmless.
     */
    public final class Reservation implements AutoCloseable {
        private long bytes;
        private boolean closed;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        /**
         * Adds {@code more} bytes to this reservation, or refuses (the reservation keeps what it had).
         *
         * @throws InputRefusedException when the budget cannot cover them
         * @param more how many bytes to add
         */
        public void grow(long more) throws InputRefusedException {
            requireNonNegative(more);
            if (closed) {
                throw new IllegalStateException("reservation already released");
            }
            lock.lock();
            try {
                if (!takeLocked(more)) {
                    countRefusal(more);
                    throw refusedException(more);
                }
            } finally {
                lock.unlock();
            }
            bytes += more;
        }

        /**
         * Makes this reservation at least {@code total} bytes (grows by the difference, if any).
         *
         * @param total the size the reservation must have at least
         * @throws InputRefusedException when the budget cannot cover the difference
         */
        public void ensure(long total) throws InputRefusedException {
            if (total > bytes) {
                grow(total - bytes);
            }
        }

        /**
         * Gives back {@code fewer} bytes that are no longer held (at most what is reserved).
         *
         * @param fewer how many bytes to give back
         */
        public void shrink(long fewer) {
            requireNonNegative(fewer);
            long n = Math.min(fewer, bytes);
            bytes -= n;
            give(n);
        }

        /**
         * Bytes held now.
         *
         * @return the bytes this reservation holds
         */
        public long bytes() {
            return bytes;
        }

        /** {@return the budget these bytes are taken from} */
        public InputBudget budget() {
            return InputBudget.this;
        }

        /** Gives every byte back. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            long n = bytes;
            bytes = 0;
            give(n);
        }
    }
}
