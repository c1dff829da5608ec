package serf.memberlist;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered set of a {@link TransmitLimitedQueue}: fewest transmissions first, then longest, then
 * newest (highest id), Go's btree order. A treap whose nodes are the queued items themselves
 * ({@link QueuedBroadcast}), so a queued message costs one 48-byte object instead of an item and a
 * TreeMap entry (80 bytes), and a walk down the tree touches one object per level instead of two. The
 * heap priorities are a hash of the item's id: deterministic, and unrelated to the order. Not
 * thread-safe: guarded by the queue's lock.
 */
final class BroadcastTree {
    private QueuedBroadcast root;
    private int size;
    private long comparisons;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return root == null;
    }

    /** Comparisons of keys so far: the work done, for tests. */
    long comparisons() {
        return comparisons;
    }

    /** Whether {@code a} comes before the key (transmits, length, id). */
    private int compare(QueuedBroadcast a, int transmits, int length, long id) {
        comparisons++;
        if (a.transmits != transmits) {
            return a.transmits < transmits ? -1 : 1;
        }
        if (a.length != length) {
            return a.length > length ? -1 : 1;
        }
        return Long.compare(id, a.id);
    }

    private int compare(QueuedBroadcast a, QueuedBroadcast b) {
        return compare(a, b.transmits, b.length, b.id);
    }

    /** Adds {@code x}, which is not in the tree; its key must not change until it is removed. */
    void add(QueuedBroadcast x) {
        x.left = null;
        x.right = null;
        root = insert(root, x);
        size++;
    }

    private QueuedBroadcast insert(QueuedBroadcast t, QueuedBroadcast x) {
        if (t == null) {
            return x;
        }
        if (compare(x, t) < 0) {
            t.left = insert(t.left, x);
            if (t.left.priority > t.priority) {
                return rotateRight(t);
            }
        } else {
            t.right = insert(t.right, x);
            if (t.right.priority > t.priority) {
                return rotateLeft(t);
            }
        }
        return t;
    }

    /** Removes {@code x}, which is in the tree. */
    void remove(QueuedBroadcast x) {
        root = delete(root, x);
        x.left = null;
        x.right = null;
        size--;
    }

    private QueuedBroadcast delete(QueuedBroadcast t, QueuedBroadcast x) {
        if (t == null) {
            throw new IllegalStateException("not in the tree: " + x);
        }
        if (t == x) {
            return merge(t.left, t.right);
        }
        if (compare(x, t) < 0) {
            t.left = delete(t.left, x);
        } else {
            t.right = delete(t.right, x);
        }
        return t;
    }

    /** Joins two treaps, every key of {@code a} before every key of {@code b}. */
    private static QueuedBroadcast merge(QueuedBroadcast a, QueuedBroadcast b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.priority > b.priority) {
            a.right = merge(a.right, b);
            return a;
        }
        b.left = merge(a, b.left);
        return b;
    }

    private static QueuedBroadcast rotateRight(QueuedBroadcast t) {
        QueuedBroadcast l = t.left;
        t.left = l.right;
        l.right = t;
        return l;
    }

    private static QueuedBroadcast rotateLeft(QueuedBroadcast t) {
        QueuedBroadcast r = t.right;
        t.right = r.left;
        r.left = t;
        return r;
    }

    QueuedBroadcast first() {
        QueuedBroadcast t = root;
        if (t == null) {
            return null;
        }
        while (t.left != null) {
            t = t.left;
        }
        return t;
    }

    QueuedBroadcast last() {
        QueuedBroadcast t = root;
        if (t == null) {
            return null;
        }
        while (t.right != null) {
            t = t.right;
        }
        return t;
    }

    /** The first item at or after the key (transmits, length, id), or null. */
    QueuedBroadcast ceiling(int transmits, int length, long id) {
        QueuedBroadcast best = null;
        QueuedBroadcast t = root;
        while (t != null) {
            if (compare(t, transmits, length, id) >= 0) {
                best = t;
                t = t.left;
            } else {
                t = t.right;
            }
        }
        return best;
    }

    /** Every item, in order. */
    List<QueuedBroadcast> toList() {
        List<QueuedBroadcast> out = new ArrayList<>(size);
        ArrayDeque<QueuedBroadcast> stack = new ArrayDeque<>();
        QueuedBroadcast t = root;
        while (t != null || !stack.isEmpty()) {
            while (t != null) {
                stack.push(t);
                t = t.left;
            }
            t = stack.pop();
            out.add(t);
            t = t.right;
        }
        return out;
    }

    void clear() {
        root = null;
        size = 0;
    }
}
