package serf.api;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import serf.memberlist.Clock;

/**
 * Go 0.9.4's recent-intent buffer: the newest join or leave intent per node not (yet) known, so an
 * intent that arrives before memberlist reports the node is not lost. Bounded by a count and by the
 * characters of the names it holds (anyone can send intents about made-up nodes), and by the
 * reaper's age limit (on the node's clock); an intent that does not fit is dropped and counted.
 * Guarded by the member tracker's lock.
 */
final class IntentBuffer {
    enum Kind { JOIN, LEAVE }

    record Intent(Kind kind, long lTime, long atNanos) {
    }

    static final int MAX_ENTRIES = 8192;
    static final long MAX_NAME_CHARS = 512 * 1024;
    private final Map<String, Intent> intents = new HashMap<>();
    private final DropCounter drops;
    private final Clock clock;
    private long nameChars;

    IntentBuffer(DropCounter drops, Clock clock) {
        this.drops = drops;
        this.clock = clock;
    }

    /** Records the intent if newer than what is held; true if it was new (then it is rebroadcast). */
    boolean upsert(String node, Kind kind, long lTime) {
        Intent cur = intents.get(node);
        if (cur != null && Long.compareUnsigned(lTime, cur.lTime()) <= 0) {
            return false;
        }
        if (cur == null) {
            if (intents.size() >= MAX_ENTRIES || nameChars + node.length() > MAX_NAME_CHARS) {
                drops.dropped(kind + " intent for " + node);
                return false;
            }
            nameChars += node.length();
        }
        intents.put(node, new Intent(kind, lTime, clock.nanoTime()));
        drops.passed();
        return true;
    }

    Intent get(String node) {
        return intents.get(node);
    }

    void remove(String node) {
        if (intents.remove(node) != null) {
            nameChars -= node.length();
        }
    }

    int size() {
        return intents.size();
    }

    /** Forgets intents older than {@code maxAgeNanos}. */
    void reap(long maxAgeNanos) {
        long now = clock.nanoTime();
        for (Iterator<Map.Entry<String, Intent>> it = intents.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Intent> e = it.next();
            if (now - e.getValue().atNanos() > maxAgeNanos) {
                nameChars -= e.getKey().length();
                it.remove();
            }
        }
    }
}
