package serf.memberlist.internal.msg;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few reusable work objects (codec tables and buffers) shared by every caller in the process. A
 * caller takes one, uses it without blocking and gives it back; when every slot is empty it makes
 * its own, and what does not fit back in is left to the collector. Lock-free, bounded by its slots.
 */
final class ScratchPool<T> {
    private final AtomicReferenceArray<T> slots;

    ScratchPool(int size) {
        this.slots = new AtomicReferenceArray<>(size);
    }

    /** A kept object, or null when none is free. */
    T take() {
        for (int i = 0; i < slots.length(); i++) {
            T t = slots.getPlain(i);
            if (t != null && slots.compareAndSet(i, t, null)) {
                return t;
            }
        }
        return null;
    }

    /** Keeps {@code t} for a later {@link #take()} if a slot is free. */
    void give(T t) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.getPlain(i) == null && slots.compareAndSet(i, null, t)) {
                return;
            }
        }
    }
}
