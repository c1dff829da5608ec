package serf.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import serf.api.internal.msg.SerfMessage;

/**
 * The user events seen recently, one slot per LTime modulo the buffer size (Go's eventBuffer):
 * it deduplicates gossip and is replayed in push/pull. Go lets a slot grow without limit; here a
 * slot holds at most {@link #MAX_EVENTS_PER_SLOT} events, an event larger than any sender may
 * make (Go's 9216-byte hard limit on name plus payload) is refused, and a slot grows past its first
 * event only while the ring holds less than {@code maxBytes}; so a flood of distinct events at one
 * LTime cannot exhaust the heap (at most about {@code max(maxBytes, size × 9 KiB)}). What does not
 * fit is refused: not recorded, not delivered, not rebroadcast. Guarded by Serf's event lock.
 */
final class UserEventRing {
    /** What happened to an event offered to the ring. */
    enum Outcome { NEW, DUPLICATE, FULL }

    static final int MAX_EVENTS_PER_SLOT = 64;
    /** What slots may hold beyond their first event: far more than bursts of 512-byte events need. */
    static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024;
    private static final int ENTRY_OVERHEAD = 48;

    private final SerfMessage.UserEventCollection[] slots;
    private final long[] slotBytes;
    private final long maxBytes;
    private long bytes;

    UserEventRing(int size, long maxBytes) {
        this.slots = new SerfMessage.UserEventCollection[size];
        this.slotBytes = new long[size];
        this.maxBytes = maxBytes;
    }

    int size() {
        return slots.length;
    }

    /** Records the event unless it is a duplicate or there is no room. */
    Outcome record(long lTime, String name, byte[] payload) {
        int idx = (int) Long.remainderUnsigned(lTime, slots.length);
        SerfMessage.UserEventCollection seen = slots[idx];
        SerfMessage.UserEventData data = new SerfMessage.UserEventData(name, payload);
        long cost = cost(data);
        if (name.length() + (payload == null ? 0 : (long) payload.length) > Config.USER_EVENT_SIZE_HARD_LIMIT) {
            return Outcome.FULL;
        }
        if (seen != null && seen.lTime() == lTime) {
            for (SerfMessage.UserEventData prev : seen.events()) {
                if (prev.name().equals(name) && samePayload(prev.payload(), payload)) {
                    return Outcome.DUPLICATE;
                }
            }
            if (seen.events().size() >= MAX_EVENTS_PER_SLOT || bytes + cost > maxBytes) {
                return Outcome.FULL;
            }
            List<SerfMessage.UserEventData> more = new ArrayList<>(seen.events().size() + 1);
            more.addAll(seen.events());
            more.add(data);
            slots[idx] = new SerfMessage.UserEventCollection(lTime, List.copyOf(more));
            slotBytes[idx] += cost;
            bytes += cost;
            return Outcome.NEW;
        }
        // A newer LTime takes the slot over (always: that is how the ring forgets); its old events go.
        bytes += cost - slotBytes[idx];
        slotBytes[idx] = cost;
        slots[idx] = new SerfMessage.UserEventCollection(lTime, List.of(data));
        return Outcome.NEW;
    }

    /**
     * Go's {@code bytes.Equal}: a nil payload equals an empty one. Go peers send an empty event
     * payload as msgpack nil in one path and as an empty raw in another (gossip vs push/pull), so
     * telling them apart ran a handler twice for one event.
     */
    private static boolean samePayload(byte[] a, byte[] b) {
        return Arrays.equals(a == null ? EMPTY : a, b == null ? EMPTY : b);
    }

    private static final byte[] EMPTY = new byte[0];

    /** The slots as push/pull sends them (empty slots as null). */
    List<SerfMessage.UserEventCollection> snapshot() {
        return Arrays.asList(slots.clone());
    }

    /** Bytes of names and payloads held (with a fixed overhead per event). */
    long bytes() {
        return bytes;
    }

    private static long cost(SerfMessage.UserEventData d) {
        return ENTRY_OVERHEAD + (long) d.name().length() * 2 + (d.payload() == null ? 0 : d.payload().length);
    }
}
