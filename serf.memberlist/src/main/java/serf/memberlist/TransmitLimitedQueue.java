package serf.memberlist;

import java.util.ArrayList;
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
 * <p>The messages are kept in one ordered set (fewest transmissions, then longest, then newest first,
 * Go's btree order), so taking the {@code k} messages of a packet costs {@code O(k log n)} ceiling
 * lookups plus one per transmit tier skipped, whatever the queue holds. Named broadcasts replace a
 * queued broadcast of the same name (found through a name map); plain broadcasts ask every queued
 * plain broadcast whether they invalidate it (linear, as in Go; nothing in this library queues plain
 * ones); unique broadcasts do neither.
 *
 * <p>Bounded: beyond {@code maxQueued} messages the most-sent (then smallest, then oldest) one is
 * dropped, as {@link #prune} does, and counted in {@link #dropped()}. Thread-safe.
 */
public final class TransmitLimitedQueue {

    /**
     * A backstop well above what the queues hold by design (memberlist: one message per known node,
     * at most {@code Config.maxNodes}; Serf prunes its queues to {@code maxQueueDepth}, 4,096).
     */
    public static final int DEFAULT_MAX_QUEUED = 1 << 16;

    /** A queued message; also the probe of a lookup (then {@code broadcast} is null). */
    private static final class Item {
        int transmits;
        int length;
        long id;
        final Broadcast broadcast;
        final String name;

        Item(int transmits, int length, long id, Broadcast broadcast, String name) {
            this.transmits = transmits;
            this.length = length;
            this.id = id;
            this.broadcast = broadcast;
            this.name = name;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final TreeSet<Item> items = new TreeSet<>(this::compare);
    private final Map<String, Item> byName = new HashMap<>();
    /** Reused for lookups, under the lock. */
    private final Item probe = new Item(0, 0, 0, null, null);
    private final IntSupplier numNodes;
    private final int retransmitMult;
    private final int maxQueued;
    private long idGen;
    private long comparisons;
    private long dropped;
    private long pruned;

    /**
     * @param numNodes       the cluster size used for the retransmit limit (read on every selection)
     * @param retransmitMult the retransmit multiplier (LAN 4)
     */
    public TransmitLimitedQueue(IntSupplier numNodes, int retransmitMult) {
        this(numNodes, retransmitMult, DEFAULT_MAX_QUEUED);
    }

    /** As above, holding at most {@code maxQueued} messages (at least 1). */
    public TransmitLimitedQueue(IntSupplier numNodes, int retransmitMult, int maxQueued) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1: " + maxQueued);
        }
        this.numNodes = numNodes;
        this.retransmitMult = retransmitMult;
        this.maxQueued = maxQueued;
    }

    /** {@code mult × ceil(log10(n + 1))}: how often a message is sent in a cluster of {@code n}. */
    public static int retransmitLimit(int retransmitMult, int n) {
        int scale = (int) Math.ceil(Math.log10(n + 1.0));
        return retransmitMult * scale;
    }

    /** Fewest transmissions first, then longest first, then newest (highest id) first. */
    private int compare(Item a, Item b) {
        comparisons++;
        if (a.transmits != b.transmits) {
            return a.transmits < b.transmits ? -1 : 1;
        }
        if (a.length != b.length) {
            return a.length > b.length ? -1 : 1;
        }
        return Long.compare(b.id, a.id);
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
            if (name != null && name.isEmpty()) {
                name = null;
            }
            Item item = new Item(initialTransmits, b.message().length, idGen, b, name);
            if (name != null) {
                Item old = byName.put(name, item);
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
            while (items.size() >= maxQueued) {
                finished.add(removeLast());
                dropped++;
            }
            items.add(item);
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
        List<Broadcast> finished = null;
        List<byte[]> out = new ArrayList<>();
        lock.lock();
        try {
            if (items.isEmpty()) {
                return out;
            }
            int transmitLimit = retransmitLimit(retransmitMult, numNodes.getAsInt());
            int used = 0;
            List<Item> reinsert = new ArrayList<>();
            int tier = items.first().transmits;
            while (true) {
                int free = limit - used - overhead;
                if (free <= 0) {
                    break;
                }
                // The first item at or after (tier, length = free): the longest that fits in this
                // tier, else the first item of a later tier, whose tier is searched next.
                // Through an iterator, so that the item found is removed without a second search.
                probe.transmits = tier;
                probe.length = free;
                probe.id = Long.MAX_VALUE;
                Iterator<Item> from = items.tailSet(probe, true).iterator();
                if (!from.hasNext()) {
                    break;
                }
                Item next = from.next();
                if (next.transmits != tier) {
                    tier = next.transmits;
                    continue;
                }
                used += overhead + next.length;
                out.add(next.broadcast.message());
                from.remove();
                if (next.transmits + 1 >= transmitLimit) {
                    if (next.name != null) {
                        byName.remove(next.name, next);
                    }
                    if (finished == null) {
                        finished = new ArrayList<>();
                    }
                    finished.add(next.broadcast);
                } else {
                    // Back in only after the walk, or it would be found again in the next tier.
                    // It stays in byName under its name meanwhile: the lock is held throughout.
                    next.transmits++;
                    reinsert.add(next);
                }
            }
            items.addAll(reinsert);
            if (items.isEmpty()) {
                idGen = 0;
            }
        } finally {
            lock.unlock();
        }
        if (finished != null) {
            finished.forEach(Broadcast::finished);
        }
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

    /** The bound on queued messages. */
    public int maxQueued() {
        return maxQueued;
    }

    /** Messages dropped because {@link #maxQueued()} were queued when another came. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Messages removed by {@link #prune}. */
    public long pruned() {
        lock.lock();
        try {
            return pruned;
        } finally {
            lock.unlock();
        }
    }

    /** Comparator calls so far: the work of the ordered set, for tests. */
    long comparisons() {
        lock.lock();
        try {
            return comparisons;
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
            while (items.size() > Math.max(0, maxRetain)) {
                finished.add(removeLast());
                pruned++;
            }
            if (items.isEmpty()) {
                idGen = 0;
            }
        } finally {
            lock.unlock();
        }
        finished.forEach(Broadcast::finished);
    }

    /** Removes the last item in order (most sent, smallest, oldest); under the lock, items not empty. */
    private Broadcast removeLast() {
        Item last = items.pollLast();
        if (last.name != null) {
            byName.remove(last.name, last);
        }
        return last.broadcast;
    }
}
