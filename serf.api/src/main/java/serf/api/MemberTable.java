package serf.api;

import java.util.Arrays;

/**
 * The members one node knows, by name, with the Lamport time of the newest intent applied to each
 * (Go's members map of memberState): two parallel arrays in which the members sit packed (a position
 * is valid until the next removal) and an open-addressing index (linear probing) from the name's hash
 * to a position. A node holds one entry per member, so a process running N nodes (the simulator, the
 * scale benchmark) holds N² of them: an entry costs a reference, a long and a flag plus two to five index
 * slots of 4 bytes (about 21-36 bytes), where a HashMap entry with its own state object cost about 100.
 *
 * <p>Iteration is by position: insertion order, except that a removal moves the last member into the
 * hole. Nothing depends on that order. Not thread-safe: guarded by the member tracker's lock.
 */
final class MemberTable {
    private static final int MIN_SLOTS = 16;
    private static final int MIN_ENTRIES = 8;

    private Member[] members = new Member[MIN_ENTRIES];
    private long[] statusLTimes = new long[MIN_ENTRIES];
    /** Whether a member's status time was restated by a push/pull rather than carried by an intent. */
    private boolean[] restated = new boolean[MIN_ENTRIES];
    /** Position + 1 of the member whose name hashes here (0: empty). */
    private int[] slots = new int[MIN_SLOTS];
    private int size;

    int size() {
        return size;
    }

    /** The position of the member called {@code name}, or -1. */
    int find(String name) {
        int[] s = slots;
        int mask = s.length - 1;
        for (int i = spread(name.hashCode()) & mask; ; i = (i + 1) & mask) {
            int p = s[i];
            if (p == 0) {
                return -1;
            }
            if (members[p - 1].name().equals(name)) {
                return p - 1;
            }
        }
    }

    /** The member called {@code name}, or null. */
    Member get(String name) {
        int p = find(name);
        return p < 0 ? null : members[p];
    }

    Member member(int position) {
        return members[position];
    }

    long statusLTime(int position) {
        return statusLTimes[position];
    }

    /** Replaces the member at {@code position} by one of the same name. */
    void set(int position, Member m) {
        members[position] = m;
    }

    void setStatusLTime(int position, long lTime) {
        setStatusLTime(position, lTime, false);
    }

    /** Sets the status time, {@code restated} when a push/pull's state, not an intent, carried it. */
    void setStatusLTime(int position, long lTime, boolean restated) {
        statusLTimes[position] = lTime;
        this.restated[position] = restated;
    }

    /** Whether the status time was last set from a push/pull's state (see {@link #setStatusLTime(int, long, boolean)}). */
    boolean statusRestated(int position) {
        return restated[position];
    }

    /** Adds a member whose name is not in the table; returns its position. */
    int add(Member m, long statusLTime) {
        if (size == members.length) {
            int capacity = size + (size >> 1);
            members = Arrays.copyOf(members, capacity);
            statusLTimes = Arrays.copyOf(statusLTimes, capacity);
            restated = Arrays.copyOf(restated, capacity);
        }
        if (4 * (size + 1) > 3 * slots.length) {
            reindex(slots.length * 2);
        }
        int p = size++;
        members[p] = m;
        statusLTimes[p] = statusLTime;
        restated[p] = false;
        int[] s = slots;
        int mask = s.length - 1;
        int i = spread(m.name().hashCode()) & mask;
        while (s[i] != 0) {
            i = (i + 1) & mask;
        }
        s[i] = p + 1;
        return p;
    }

    /** Removes the member at {@code position}; the last member takes its place. */
    void remove(int position) {
        int[] s = slots;
        int mask = s.length - 1;
        int gap = slotOf(position);
        // Close the gap: move back every later entry of the run whose home slot is not cyclically
        // between the gap and its own slot, so that lookups never stop early at the hole.
        for (int j = (gap + 1) & mask; s[j] != 0; j = (j + 1) & mask) {
            int home = spread(members[s[j] - 1].name().hashCode()) & mask;
            boolean stays = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!stays) {
                s[gap] = s[j];
                gap = j;
            }
        }
        s[gap] = 0;
        int last = --size;
        if (position != last) {
            s[slotOf(last)] = position + 1;
            members[position] = members[last];
            statusLTimes[position] = statusLTimes[last];
            restated[position] = restated[last];
        }
        members[last] = null;
        statusLTimes[last] = 0;
        restated[last] = false;
        if (members.length > MIN_ENTRIES && 4 * size < members.length) {
            int capacity = Math.max(MIN_ENTRIES, 2 * size);
            members = Arrays.copyOf(members, capacity);
            statusLTimes = Arrays.copyOf(statusLTimes, capacity);
            restated = Arrays.copyOf(restated, capacity);
        }
        if (slots.length > MIN_SLOTS && 8 * size < slots.length) {
            reindex(slots.length / 2);
        }
    }

    /** The index slot holding {@code position}. */
    private int slotOf(int position) {
        int[] s = slots;
        int mask = s.length - 1;
        int i = spread(members[position].name().hashCode()) & mask;
        while (s[i] != position + 1) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Capacity of the index, for tests. */
    int slotCount() {
        return slots.length;
    }

    /** Capacity of the member arrays, for tests. */
    int capacity() {
        return members.length;
    }

    private void reindex(int capacity) {
        int[] s = new int[capacity];
        int mask = capacity - 1;
        for (int p = 0; p < size; p++) {
            int i = spread(members[p].name().hashCode()) & mask;
            while (s[i] != 0) {
                i = (i + 1) & mask;
            }
            s[i] = p + 1;
        }
        slots = s;
    }

    /** Mixes the high bits in: names that differ only in a suffix ("node-1", "node-2") hash nearby. */
    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
