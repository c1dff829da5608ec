package serf.memberlist;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * The retransmit-limited broadcast queue of memberlist (used by Serf too for its three queues).
 * Each message is sent at most {@code retransmitMult × ceil(log10(n + 1))} times; selection for a
 * packet prefers the least-sent messages and, among those, the largest that still fits.
 *
 * <p>The messages are kept in one ordered set ({@link BroadcastTree}: fewest transmissions, then
 * longest, then newest first, Go's btree order), so taking the {@code k} messages of a packet costs {@code O(k log n)} ceiling
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
     * at most {@code MemberlistConfig.maxNodes}; Serf prunes its queues to {@code maxQueueDepth}, 4,096).
     */
    public static final int DEFAULT_MAX_QUEUED = 1 << 16;

    private final ReentrantLock lock = new ReentrantLock();
    private final BroadcastTree items = new BroadcastTree();
    private Map<String, QueuedBroadcast> byName = new HashMap<>();
    /** The most names {@link #byName} held since the queue was last empty. */
    private int namesPeak;
    private final IntSupplier numNodes;
    private final int retransmitMult;
    private final int maxQueued;
    private long idGen;
    private long dropped;
    private long pruned;
    private volatile Runnable onQueued;

    /**
     * A queue holding at most {@link #DEFAULT_MAX_QUEUED} messages.
     *
     * @param numNodes       the cluster size used for the retransmit limit (read on every selection)
     * @param retransmitMult the retransmit multiplier (LAN 4)
     */
    public TransmitLimitedQueue(IntSupplier numNodes, int retransmitMult) {
        this(numNodes, retransmitMult, DEFAULT_MAX_QUEUED);
    }

    /**
     * As above, holding at most {@code maxQueued} messages (at least 1).
     *
     * @param numNodes reads the current number of members
     * @param retransmitMult the multiplier of the retransmission limit
     * @param maxQueued the most messages kept
     */
    public TransmitLimitedQueue(IntSupplier numNodes, int retransmitMult, int maxQueued) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1: " + maxQueued);
        }
        this.numNodes = numNodes;
        this.retransmitMult = retransmitMult;
        this.maxQueued = maxQueued;
    }

    /**
     * {@code mult × ceil(log10(n + 1))}: how often a message is sent in a cluster of {@code n}.
     *
     * @param retransmitMult the multiplier
     * @param n the number of members
     * @return the number of transmissions
     */
    public static int retransmitLimit(int retransmitMult, int n) {
        int scale = (int) Math.ceil(Math.log10(n + 1.0));
        return retransmitMult * scale;
    }

    /**
     * Queues a broadcast. It replaces a queued one of the same name (a {@link NamedBroadcast}) or the
     * plain ones it invalidates; when {@link #maxQueued()} are queued, the most-sent one is dropped
     * and counted in {@link #dropped()}.
     *
     * @param b the broadcast
     */
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
            QueuedBroadcast item = new QueuedBroadcast(initialTransmits, idGen, b, name);
            if (name != null) {
                QueuedBroadcast old = byName.put(name, item);
                namesPeak = Math.max(namesPeak, byName.size());
                if (old != null) {
                    items.remove(old);
                    finished.add(old.broadcast);
                }
            } else if (!(b instanceof UniqueBroadcast)) {
                for (QueuedBroadcast cur : items.toList()) {
                    if (!(cur.broadcast instanceof NamedBroadcast) && !(cur.broadcast instanceof UniqueBroadcast)
                            && b.invalidates(cur.broadcast)) {
                        items.remove(cur);
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
        Runnable listener = onQueued;
        if (listener != null) {
            listener.run();
        }
    }

    /**
     * Runs {@code listener} after every message queued from now on, outside the queue's lock: a
     * {@link Memberlist} uses it to wake its gossip, which sleeps while nothing is queued (see
     * {@link Memberlist#broadcastQueued()}). One listener; null removes it. It must be quick and must not block.
     *
     * @param listener what to run, or null
     */
    public void onQueued(Runnable listener) {
        this.onQueued = listener;
    }

    /**
     * Takes broadcasts for one packet: each costs {@code overhead} plus its length, all within
     * {@code limit}. Each message taken counts one transmission.
     *
     * @param overhead bytes added to each message
     * @param limit bytes available
     * @return the messages to send, in order
     */
    public List<byte[]> getBroadcasts(int overhead, int limit) {
        List<Broadcast> finished = new ArrayList<>(); // no array until something is added
        List<byte[]> out = new ArrayList<>();
        lock.lock();
        try {
            if (!items.isEmpty()) {
                int transmitLimit = retransmitLimit(retransmitMult, numNodes.getAsInt());
                // Messages sent as often as the limit allows (it falls when the cluster shrinks) are
                // the last in order: finish them from the end instead of sending them once more.
                while (!items.isEmpty() && items.last().transmits >= transmitLimit) {
                    finished.add(removeLast());
                }
                takeLocked(overhead, limit, transmitLimit, out, finished);
                if (items.isEmpty()) {
                    restartEmpty();
                }
            }
        } finally {
            lock.unlock();
        }
        finished.forEach(Broadcast::finished);
        return out;
    }

    /** Go's selection: tier by tier from the least sent, in each the longest that fits, until full. */
    private void takeLocked(int overhead, int limit, int transmitLimit, List<byte[]> out, List<Broadcast> finished) {
        if (items.isEmpty()) {
            return;
        }
        int used = 0;
        List<QueuedBroadcast> reinsert = new ArrayList<>();
        int tier = items.first().transmits;
        while (true) {
            int free = limit - used - overhead;
            if (free <= 0) {
                break;
            }
            // The first item at or after (tier, length = free): the longest that fits in this tier,
            // else the first item of a later tier, whose tier is searched next. (Removing it walks
            // the same path again, which the lookup has just brought into the cache.)
            QueuedBroadcast next = items.ceiling(tier, free, Long.MAX_VALUE);
            if (next == null) {
                break;
            }
            if (next.transmits != tier) {
                tier = next.transmits;
                continue;
            }
            used += overhead + next.length;
            out.add(next.broadcast.message());
            items.remove(next);
            if (next.transmits + 1 >= transmitLimit) {
                if (next.name != null) {
                    byName.remove(next.name, next);
                }
                finished.add(next.broadcast);
            } else {
                // Back in only after the walk, or it would be found again in the next tier. It
                // stays in byName under its name meanwhile: the lock is held throughout.
                next.transmits++;
                reinsert.add(next);
            }
        }
        reinsert.forEach(items::add);
    }

    /** {@return the number of messages queued now} */
    public int numQueued() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** {@return the bound on queued messages} */
    public int maxQueued() {
        return maxQueued;
    }

    /**
     * Messages dropped because {@link #maxQueued()} were queued when another came.
     *
     * @return the count so far
     */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Messages removed by {@link #prune}.
     *
     * @return the count so far
     */
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
            return items.comparisons();
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything, calling {@link Broadcast#finished()} on each. */
    public void reset() {
        List<QueuedBroadcast> all;
        lock.lock();
        try {
            all = items.toList();
            items.clear();
            byName.clear();
            restartEmpty();
        } finally {
            lock.unlock();
        }
        all.forEach(i -> i.broadcast.finished());
    }

    /**
     * Keeps at most {@code maxRetain} messages, dropping the most-sent (then smallest, oldest) first.
     *
     * @param maxRetain the most messages to keep
     */
    public void prune(int maxRetain) {
        List<Broadcast> finished = new ArrayList<>();
        lock.lock();
        try {
            while (items.size() > Math.max(0, maxRetain)) {
                finished.add(removeLast());
                pruned++;
            }
            if (items.isEmpty()) {
                restartEmpty();
            }
        } finally {
            lock.unlock();
        }
        finished.forEach(Broadcast::finished);
    }

    /**
     * The queue is empty: ids start over (as in Go), and a name index grown by a burst (a join's alive
     * messages about every member) is given back, since a HashMap never shrinks. Under the lock.
     */
    private void restartEmpty() {
        idGen = 0;
        if (namesPeak > 256) {
            byName = new HashMap<>();
        }
        namesPeak = 0;
    }

    /** Removes the last item in order (most sent, smallest, oldest); under the lock, items not empty. */
    private Broadcast removeLast() {
        QueuedBroadcast last = items.last();
        items.remove(last);
        if (last.name != null) {
            byName.remove(last.name, last);
        }
        return last.broadcast;
    }
}
