package serf.memberlist;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * The retransmit-limited broadcast queue of memberlist (used by Serf too for its three queues).
 * Each message is sent at most {@code retransmitMult × ceil(log10(n + 1))} times; selection for a
 * packet prefers the least-sent messages and, among those, the largest that still fits.
 *
 * <p>Named broadcasts replace a queued broadcast of the same name; plain broadcasts ask every queued
 * plain broadcast whether they invalidate it; unique broadcasts do neither. Thread-safe.
 */
public final class TransmitLimitedQueue {

    private static final class Item {
        int transmits;
        final int length;
        final long id;
        final Broadcast broadcast;
        final String name;

        Item(int transmits, long id, Broadcast broadcast, String name) {
            this.transmits = transmits;
            this.length = broadcast.message().length;
            this.id = id;
            this.broadcast = broadcast;
            this.name = name;
        }
    }

    /** Fewest transmissions first, then longest first, then newest first (Go's btree order). */
    private static final Comparator<Item> ORDER = Comparator.<Item>comparingInt(i -> i.transmits)
            .thenComparing(i -> i.length, Comparator.reverseOrder())
            .thenComparing(i -> i.id, Comparator.reverseOrder());

    private final ReentrantLock lock = new ReentrantLock();
    private final TreeSet<Item> items = new TreeSet<>(ORDER);
    private final Map<String, Item> byName = new HashMap<>();
    private final IntSupplier numNodes;
    private final int retransmitMult;
    private long idGen;

    /**
     * @param numNodes       the cluster size used for the retransmit limit (read on every selection)
     * @param retransmitMult the retransmit multiplier (LAN 4)
     */
    public TransmitLimitedQueue(IntSupplier numNodes, int retransmitMult) {
        this.numNodes = numNodes;
        this.retransmitMult = retransmitMult;
    }

    /** {@code mult × ceil(log10(n + 1))}: how often a message is sent in a cluster of {@code n}. */
    public static int retransmitLimit(int retransmitMult, int n) {
        int scale = (int) Math.ceil(Math.log10(n + 1.0));
        return retransmitMult * scale;
    }

    public void queueBroadcast(Broadcast b) {
        queueBroadcast(b, 0);
    }

    void queueBroadcast(Broadcast b, int initialTransmits) {
        List<Broadcast> finished = new ArrayList<>(1);
        lock.lock();
        try {
            idGen = idGen == Long.MAX_VALUE ? 1 : idGen + 1;
            String name = b instanceof NamedBroadcast nb ? nb.name() : null;
            Item item = new Item(initialTransmits, idGen, b, name);
            if (name != null && !name.isEmpty()) {
                Item old = byName.remove(name);
                if (old != null) {
                    items.remove(old);
                    finished.add(old.broadcast);
                }
            } else if (!(b instanceof UniqueBroadcast)) {
                for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
                    Item cur = it.next();
                    if (!(cur.broadcast instanceof NamedBroadcast) && !(cur.broadcast instanceof UniqueBroadcast)
                            && b.invalidates(cur.broadcast)) {
                        it.remove();
                        finished.add(cur.broadcast);
                    }
                }
            }
            items.add(item);
            if (name != null && !name.isEmpty()) {
                byName.put(name, item);
            }
        } finally {
            lock.unlock();
        }
        finished.forEach(Broadcast::finished);
    }

    /**
     * Takes broadcasts for one packet: each costs {@code overhead} plus its length, all within
     * {@code limit}. Each message taken counts one transmission.
     */
    public List<byte[]> getBroadcasts(int overhead, int limit) {
        List<Broadcast> finished = new ArrayList<>();
        List<byte[]> out = new ArrayList<>();
        lock.lock();
        try {
            if (items.isEmpty()) {
                return out;
            }
            int transmitLimit = retransmitLimit(retransmitMult, numNodes.getAsInt());
            int used = 0;
            List<Item> reinsert = new ArrayList<>();
            // Walk the tiers of equal transmit counts, taking the largest message that still fits.
            int tier = items.first().transmits;
            int maxTier = items.last().transmits;
            while (tier <= maxTier) {
                int free = limit - used - overhead;
                if (free <= 0) {
                    break;
                }
                Item keep = null;
                for (Item cur : items) {
                    if (cur.transmits < tier) {
                        continue;
                    }
                    if (cur.transmits > tier) {
                        break;
                    }
                    if (cur.length <= free) {
                        keep = cur;
                        break;
                    }
                }
                if (keep == null) {
                    tier++;
                    continue;
                }
                used += overhead + keep.length;
                out.add(keep.broadcast.message());
                items.remove(keep);
                if (keep.name != null) {
                    byName.remove(keep.name);
                }
                if (keep.transmits + 1 >= transmitLimit) {
                    finished.add(keep.broadcast);
                } else {
                    keep.transmits++;
                    reinsert.add(keep);
                }
            }
            for (Item item : reinsert) {
                items.add(item);
                if (item.name != null) {
                    byName.put(item.name, item);
                }
            }
        } finally {
            lock.unlock();
        }
        finished.forEach(Broadcast::finished);
        return out;
    }

    public int numQueued() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything, calling {@link Broadcast#finished()} on each. */
    public void reset() {
        List<Item> all;
        lock.lock();
        try {
            all = new ArrayList<>(items);
            items.clear();
            byName.clear();
            idGen = 0;
        } finally {
            lock.unlock();
        }
        all.forEach(i -> i.broadcast.finished());
    }

    /** Keeps at most {@code maxRetain} messages, dropping the most-sent (then smallest, oldest) first. */
    public void prune(int maxRetain) {
        List<Broadcast> finished = new ArrayList<>();
        lock.lock();
        try {
            while (items.size() > maxRetain) {
                Item last = items.pollLast();
                if (last.name != null) {
                    byName.remove(last.name);
                }
                finished.add(last.broadcast);
            }
        } finally {
            lock.unlock();
        }
        finished.forEach(Broadcast::finished);
    }
}
