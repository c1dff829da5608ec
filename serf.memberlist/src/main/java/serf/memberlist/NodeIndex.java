package serf.memberlist;

/**
 * The records of a {@link NodeTable} by name: an open-addressing hash table (linear probing) of the
 * records themselves, keyed by {@link NodeRecord#name}. A HashMap spends a 32-byte entry per record;
 * this spends two to four array slots (8-16 bytes), which counts when a process holds N² records.
 * Not thread-safe: guarded by the table's lock.
 */
final class NodeIndex {
    private static final int MIN_CAPACITY = 16;

    private NodeRecord[] slots = new NodeRecord[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    NodeRecord get(String name) {
        NodeRecord[] s = slots;
        int mask = s.length - 1;
        for (int i = spread(name.hashCode()) & mask; ; i = (i + 1) & mask) {
            NodeRecord cur = s[i];
            if (cur == null) {
                return null;
            }
            if (cur.name.equals(name)) {
                return cur;
            }
        }
    }

    /** Adds {@code record}, replacing a record of the same name; returns the one replaced or null. */
    NodeRecord put(NodeRecord record) {
        if (2 * (size + 1) > slots.length) {
            resize(slots.length * 2);
        }
        NodeRecord[] s = slots;
        int mask = s.length - 1;
        for (int i = spread(record.name.hashCode()) & mask; ; i = (i + 1) & mask) {
            NodeRecord cur = s[i];
            if (cur == null) {
                s[i] = record;
                size++;
                return null;
            }
            if (cur.name.equals(record.name)) {
                s[i] = record;
                return cur;
            }
        }
    }

    /** Removes the record named {@code name}; returns it or null. */
    NodeRecord remove(String name) {
        NodeRecord[] s = slots;
        int mask = s.length - 1;
        int i = spread(name.hashCode()) & mask;
        while (true) {
            NodeRecord cur = s[i];
            if (cur == null) {
                return null;
            }
            if (cur.name.equals(name)) {
                break;
            }
            i = (i + 1) & mask;
        }
        NodeRecord removed = s[i];
        // Close the gap: move back every later record of the run whose home slot is not between the
        // gap and its own slot (cyclically), so that lookups never stop early at the hole.
        int gap = i;
        for (int j = (gap + 1) & mask; s[j] != null; j = (j + 1) & mask) {
            int home = spread(s[j].name.hashCode()) & mask;
            boolean stays = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!stays) {
                s[gap] = s[j];
                s[j] = null;
                gap = j;
            }
        }
        s[gap] = null;
        size--;
        if (slots.length > MIN_CAPACITY && 8 * size < slots.length) {
            resize(slots.length / 2);
        }
        return removed;
    }

    void clear() {
        slots = new NodeRecord[MIN_CAPACITY];
        size = 0;
    }

    private void resize(int capacity) {
        NodeRecord[] old = slots;
        NodeRecord[] s = new NodeRecord[capacity];
        int mask = capacity - 1;
        for (NodeRecord r : old) {
            if (r != null) {
                int i = spread(r.name.hashCode()) & mask;
                while (s[i] != null) {
                    i = (i + 1) & mask;
                }
                s[i] = r;
            }
        }
        slots = s;
    }

    /** Mixes the high bits in: names that differ only in a suffix ("node-1", "node-2") hash nearby. */
    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
