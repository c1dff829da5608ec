package serf.api;

import java.lang.ref.WeakReference;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One shared instance per distinct {@link Member} value for every member tracker in the process.
 * {@code Member} is an immutable record, so nodes that see a member alike (same name, address, port,
 * tags, status and versions) can hold the same object: in one process running many nodes (the
 * simulator, the scale benchmark) each node holds every member, and without sharing every node holds
 * its own copy of each (with its own tags map). An agent runs one node, so there every value is held
 * once anyway and the pool costs a lookup per member change.
 *
 * <p>Weak: a value stays in the pool only while some node (or event, or caller) still refers to it,
 * so churn (tag changes, members come and gone) leaves nothing behind. Striped by hash, each stripe
 * under its own lock.
 */
final class MemberPool {
    private static final int STRIPES = 16;
    private static final Stripe[] POOL = new Stripe[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) {
            POOL[i] = new Stripe();
        }
    }

    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        final WeakHashMap<Member, WeakReference<Member>> values = new WeakHashMap<>();
    }

    private MemberPool() {
    }

    /** {@return the shared instance equal to {@code m}: {@code m} itself if none is held} */
    static Member intern(Member m) {
        int h = m.hashCode();
        Stripe s = POOL[(h ^ (h >>> 16)) & (STRIPES - 1)];
        s.lock.lock();
        try {
            WeakReference<Member> ref = s.values.get(m);
            Member held = ref == null ? null : ref.get();
            if (held != null) {
                return held;
            }
            s.values.put(m, new WeakReference<>(m));
            return m;
        } finally {
            s.lock.unlock();
        }
    }

    /** How many values the pool holds (some may be about to be cleared), for tests. */
    static int size() {
        int n = 0;
        for (Stripe s : POOL) {
            s.lock.lock();
            try {
                n += s.values.size();
            } finally {
                s.lock.unlock();
            }
        }
        return n;
    }
}
