package serf.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.ToLongFunction;

/**
 * What was seen recently, one slot per Lamport time modulo the ring's size: Go's eventBuffer (user
 * events, replayed in push/pull) and queryBuffer (query ids) are both this ring. A slot holds the
 * items of one LTime; a newer LTime takes the slot over (that is how the ring forgets). Go lets a
 * slot grow without limit; here a slot holds at most {@code maxPerSlot} items, and it grows past
 * its first item only while the whole ring holds less than {@code maxBytes} (by {@code cost}), so
 * a flood of distinct items at one LTime cannot exhaust the heap. What does not fit is refused:
 * not recorded, not delivered, not rebroadcast. Not thread-safe: its owner guards it.
 */
final class LTimeRing<T> {
    /** What happened to an item offered to the ring. */
    enum Outcome { NEW, DUPLICATE, FULL }

    /** The items of one LTime, as push/pull sends them. */
    record Slot<T>(long lTime, List<T> items) {
    }

    private final long[] lTimes;
    private final List<T>[] items;
    private final long[] slotBytes;
    private final int maxPerSlot;
    private final long maxBytes;
    private final ToLongFunction<T> cost;
    private final BiPredicate<T, T> same;
    private long bytes;

    @SuppressWarnings("unchecked")
    LTimeRing(int size, int maxPerSlot, long maxBytes, ToLongFunction<T> cost, BiPredicate<T, T> same) {
        this.lTimes = new long[size];
        this.items = (List<T>[]) new List<?>[size];
        this.slotBytes = new long[size];
        this.maxPerSlot = maxPerSlot;
        this.maxBytes = maxBytes;
        this.cost = cost;
        this.same = same;
    }

    int size() {
        return lTimes.length;
    }

    /**
     * True when {@code lTime} is older than a ring of {@code size} slots still covers, given the
     * current clock {@code cur} (Go: such an event or query is "old" and ignored).
     */
    static boolean outsideWindow(long lTime, long cur, int size) {
        return Long.compareUnsigned(cur, size) > 0 && Long.compareUnsigned(lTime, cur - size) < 0;
    }

    /** Records {@code item} at {@code lTime} unless it was seen there already or there is no room. */
    Outcome record(long lTime, T item) {
        int idx = (int) Long.remainderUnsigned(lTime, lTimes.length);
        List<T> slot = items[idx];
        long c = cost.applyAsLong(item);
        if (slot != null && lTimes[idx] == lTime) {
            for (T prev : slot) {
                if (same.test(prev, item)) {
                    return Outcome.DUPLICATE;
                }
            }
            if (slot.size() >= maxPerSlot || bytes + c > maxBytes) {
                return Outcome.FULL;
            }
            slot.add(item);
            slotBytes[idx] += c;
            bytes += c;
            return Outcome.NEW;
        }
        List<T> fresh = new ArrayList<>(2);
        fresh.add(item);
        items[idx] = fresh;
        lTimes[idx] = lTime;
        bytes += c - slotBytes[idx];
        slotBytes[idx] = c;
        return Outcome.NEW;
    }

    /** Every slot in ring order, an empty one as null (push/pull sends it so). */
    List<Slot<T>> snapshot() {
        List<Slot<T>> out = new ArrayList<>(lTimes.length);
        for (int i = 0; i < lTimes.length; i++) {
            out.add(items[i] == null ? null : new Slot<>(lTimes[i], List.copyOf(items[i])));
        }
        return out;
    }

    /** The cost of what the ring holds. */
    long bytes() {
        return bytes;
    }

    /** Items held in all slots. */
    int count() {
        return Arrays.stream(items).mapToInt(l -> l == null ? 0 : l.size()).sum();
    }
}
