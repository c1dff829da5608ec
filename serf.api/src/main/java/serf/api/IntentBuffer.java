package serf.api;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Go 0.9.4's recent-intent buffer: the newest join or leave intent per node not (yet) known, so an
 * intent that arrives before memberlist reports the node is not lost. Bounded by a size cap and by
 * the reaper's age limit. Guarded by Serf's member lock.
 */
final class IntentBuffer {
    enum Kind { JOIN, LEAVE }

    record Intent(Kind kind, long lTime, long atNanos) {
    }

    private static final int MAX_ENTRIES = 65536;
    private final Map<String, Intent> intents = new HashMap<>();

    /** Records the intent if newer than what is held; true if it was new (then it is rebroadcast). */
    boolean upsert(String node, Kind kind, long lTime) {
        Intent cur = intents.get(node);
        if (cur != null && Long.compareUnsigned(lTime, cur.lTime()) <= 0) {
            return false;
        }
        if (cur == null && intents.size() >= MAX_ENTRIES) {
            return false; // a flood of intents about unknown nodes must not grow memory without bound
        }
        intents.put(node, new Intent(kind, lTime, System.nanoTime()));
        return true;
    }

    Intent get(String node) {
        return intents.get(node);
    }

    void remove(String node) {
        intents.remove(node);
    }

    void reap(long maxAgeNanos) {
        long now = System.nanoTime();
        for (Iterator<Intent> it = intents.values().iterator(); it.hasNext(); ) {
            if (now - it.next().atNanos() > maxAgeNanos) {
                it.remove();
            }
        }
    }
}
