package serf.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;

/**
 * User events (Go's UserEvent, handleUserEvent and eventBuffer): the size checks of one this node
 * starts; the event Lamport clock, the minimum LTime still accepted (raised by a snapshot or by a
 * join that ignores old events), and the ring that deduplicates gossip and is replayed in push/pull.
 * A new event is handed to {@code emit} outside the lock.
 */
final class UserEvents {
    static final int MAX_EVENTS_PER_SLOT = 64;
    /** What slots may hold beyond their first event: far more than bursts of 512-byte events need. */
    static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024;
    private static final int ENTRY_OVERHEAD = 48;
    private static final byte[] EMPTY = new byte[0];

    private final LamportClock clock = new LamportClock();
    private final ReentrantLock lock = new ReentrantLock();
    private final LTimeRing<SerfMessage.UserEventData> ring;
    private final DropCounter drops;
    private final System.Logger log;
    private final Consumer<Event> emit;
    private long minTime;
    private volatile boolean joinIgnore;

    UserEvents(int bufferSize, long maxBytes, DropCounter drops, System.Logger log, Consumer<Event> emit) {
        this.ring = newRing(bufferSize, maxBytes);
        this.drops = drops;
        this.log = log;
        this.emit = emit;
    }

    /** The ring user events are kept in (its own method so the bounds are tested on their own). */
    static LTimeRing<SerfMessage.UserEventData> newRing(int size, long maxBytes) {
        return new LTimeRing<>(size, MAX_EVENTS_PER_SLOT, maxBytes, UserEvents::cost,
                (a, b) -> a.name().equals(b.name()) && samePayload(a.payload(), b.payload()));
    }

    LamportClock clock() {
        return clock;
    }

    /** Events at an LTime below {@code t} are ignored (a snapshot saw them already). */
    private SerfMetrics metrics = SerfMetrics.detached();

    /** The node's metrics (set once, before memberlist starts). */
    void metrics(SerfMetrics m) {
        metrics = m;
    }

    void setMinTime(long t) {
        lock.lock();
        try {
            minTime = t;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A user event this node starts: checks its size before and after encoding (against the
     * configured limit and Go's hard limit), ticks the event clock and delivers it here first.
     *
     * @return the encoded message, to be gossiped
     * @throws SerfException when the event is too large
     */
    byte[] originate(String name, byte[] payload, boolean coalesce, int sizeLimit) throws SerfException {
        int payloadLen = payload == null ? 0 : payload.length;
        int rawLen = name.getBytes(StandardCharsets.UTF_8).length + payloadLen;
        if (rawLen > sizeLimit) {
            throw new SerfException("user event exceeds configured limit of " + sizeLimit + " bytes before encoding");
        }
        if (rawLen > Config.USER_EVENT_SIZE_HARD_LIMIT) {
            throw new SerfException("user event exceeds sane limit of " + Config.USER_EVENT_SIZE_HARD_LIMIT + " bytes before encoding");
        }
        SerfMessage.UserEvent msg = new SerfMessage.UserEvent(clock.time(), name, payload, coalesce);
        byte[] raw = SerfCodec.encode(msg);
        if (raw.length > sizeLimit) {
            throw new SerfException("encoded user event exceeds configured limit of " + sizeLimit + " bytes after encoding");
        }
        if (raw.length > Config.USER_EVENT_SIZE_HARD_LIMIT) {
            throw new SerfException("encoded user event exceeds sane limit of " + Config.USER_EVENT_SIZE_HARD_LIMIT + " bytes before encoding");
        }
        clock.increment();
        handle(msg);
        return raw;
    }

    /** While a join with {@code ignoreOld} runs, push/pull raises the minimum LTime to the peer's clock. */
    void setJoinIgnore(boolean v) {
        joinIgnore = v;
    }

    /** Records and delivers a user event; true if it was new (then it is rebroadcast). */
    boolean handle(SerfMessage.UserEvent ue) {
        clock.witness(ue.lTime());
        lock.lock();
        try {
            if (Long.compareUnsigned(ue.lTime(), minTime) < 0) {
                return false;
            }
            long cur = clock.time();
            if (LTimeRing.outsideWindow(ue.lTime(), cur, ring.size())) {
                log.log(System.Logger.Level.WARNING, "serf: received old event " + ue.name() + " from time "
                        + ue.lTime() + " (current: " + cur + ")");
                return false;
            }
            LTimeRing.Outcome outcome = tooLarge(ue) ? LTimeRing.Outcome.FULL
                    : ring.record(ue.lTime(), new SerfMessage.UserEventData(ue.name(), ue.payload()));
            switch (outcome) {
                case DUPLICATE -> {
                    return false;
                }
                case FULL -> {
                    drops.dropped("user event " + ue.name() + " at LTime " + ue.lTime());
                    return false;
                }
                case NEW -> drops.passed();
            }
        } finally {
            lock.unlock();
        }
        metrics.userEvent(ue.name());
        serf.memberlist.internal.jfr.Flight.userEvent(ue.name(), ue.lTime(), ue.payload() == null ? 0 : ue.payload().length);
        emit.accept(new Event.UserEvent(ue.lTime(), ue.name(), ue.payload(), ue.cc()));
        return true;
    }

    /** Larger than any sender may make (Go's hard limit on name plus payload): never recorded. */
    private static boolean tooLarge(SerfMessage.UserEvent ue) {
        return ue.name().length() + (ue.payload() == null ? 0 : (long) ue.payload().length) > Config.USER_EVENT_SIZE_HARD_LIMIT;
    }

    /** The ring's slots as push/pull sends them (empty slots as null). */
    List<SerfMessage.UserEventCollection> snapshot() {
        lock.lock();
        try {
            List<SerfMessage.UserEventCollection> out = new ArrayList<>(ring.size());
            for (LTimeRing.Slot<SerfMessage.UserEventData> s : ring.snapshot()) {
                out.add(s == null ? null : new SerfMessage.UserEventCollection(s.lTime(), s.items()));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Push/pull from a peer: witness its clock, raise the minimum when joining with ignoreOld, replay its events. */
    void merge(long remoteClock, List<SerfMessage.UserEventCollection> events, boolean join) {
        if (remoteClock > 0) {
            clock.witness(remoteClock - 1);
        }
        if (join && joinIgnore) {
            lock.lock();
            try {
                if (Long.compareUnsigned(remoteClock, minTime) > 0) {
                    minTime = remoteClock;
                }
            } finally {
                lock.unlock();
            }
        }
        if (events == null) {
            return;
        }
        for (SerfMessage.UserEventCollection slot : events) {
            if (slot == null || slot.events() == null) {
                continue;
            }
            for (SerfMessage.UserEventData d : slot.events()) {
                handle(new SerfMessage.UserEvent(slot.lTime(), d.name(), d.payload(), false));
            }
        }
    }

    /**
     * Go's {@code bytes.Equal}: a nil payload equals an empty one. Go peers send an empty event
     * payload as msgpack nil in one path and as an empty raw in another (gossip vs push/pull), so
     * telling them apart ran a handler twice for one event.
     */
    static boolean samePayload(byte[] a, byte[] b) {
        return Arrays.equals(a == null ? EMPTY : a, b == null ? EMPTY : b);
    }

    private static long cost(SerfMessage.UserEventData d) {
        return ENTRY_OVERHEAD + (long) d.name().length() * 2 + (d.payload() == null ? 0 : d.payload().length);
    }
}
