package serf.api;

import java.util.Arrays;

/**
 * The query ids seen recently, one slot per LTime modulo the buffer size (Go's queryBuffer), to
 * deduplicate gossiped queries. Go lets a slot grow without limit; here a slot holds at most
 * {@link #MAX_IDS_PER_SLOT} ids in a primitive array, and a query that would not fit is refused
 * (not delivered, not rebroadcast) rather than delivered without being remembered. Guarded by
 * Serf's query lock.
 */
final class QueryRing {
    /** What happened to a query offered to the ring. */
    enum Outcome { NEW, DUPLICATE, FULL }

    static final int MAX_IDS_PER_SLOT = 128;

    private final long[] lTimes;
    private final long[][] ids;
    private final int[] counts;

    QueryRing(int size) {
        this.lTimes = new long[size];
        this.ids = new long[size][];
        this.counts = new int[size];
    }

    int size() {
        return lTimes.length;
    }

    /** Records the query id at its LTime unless it was seen already or the slot is full. */
    Outcome record(long lTime, long id) {
        int idx = (int) Long.remainderUnsigned(lTime, lTimes.length);
        long[] slot = ids[idx];
        if (slot != null && lTimes[idx] == lTime) {
            int n = counts[idx];
            for (int i = 0; i < n; i++) {
                if (slot[i] == id) {
                    return Outcome.DUPLICATE;
                }
            }
            if (n >= MAX_IDS_PER_SLOT) {
                return Outcome.FULL;
            }
            if (n == slot.length) {
                slot = Arrays.copyOf(slot, Math.min(MAX_IDS_PER_SLOT, n * 2));
                ids[idx] = slot;
            }
            slot[n] = id;
            counts[idx] = n + 1;
            return Outcome.NEW;
        }
        ids[idx] = new long[] {id, 0};
        counts[idx] = 1;
        lTimes[idx] = lTime;
        return Outcome.NEW;
    }
}
