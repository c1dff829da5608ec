package serf.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import serf.memberlist.Clock;
import serf.memberlist.Scheduler;

/**
 * Folds bursts of events into fewer ones before the application sees them (Go's coalesce loop):
 * the first coalescable event starts a quantum of {@code coalescePeriod}; each one restarts a
 * quiescent period of {@code quiescentPeriod}; whichever ends first flushes. Other events pass
 * straight through, in order. No thread of its own: an event is folded on the caller's stack
 * (cheap, never waits), and one timer on the node's scheduler, due at the earlier of the two ends,
 * flushes; when it fires early because the quiescent period was extended, it re-arms for the
 * remainder. A window never holds more than {@link #MAX_HELD} events (a flood is flushed early).
 * After {@link #shutdown} events are dropped and counted.
 */
final class Coalescer implements Consumer<Event> {

    /** What is folded and how. */
    sealed interface Strategy permits MemberStrategy, UserStrategy {
        boolean handles(Event e);

        void coalesce(Event e);

        void flush(Consumer<Event> out);

        /** Events held until the next flush that would not be there without this window. */
        default int held() {
            return 0;
        }
    }

    /** A window never holds more than this many events: a flood is flushed early instead of piling up. */
    static final int MAX_HELD = 1024;

    /** Latest event type per member; a member's type is re-emitted only when it changed (updates always). */
    static final class MemberStrategy implements Strategy {
        private record Latest(EventType type, Member member) {
        }

        private final Map<String, Latest> latest = new LinkedHashMap<>();
        private final Map<String, EventType> lastEmitted = new HashMap<>();

        @Override
        public boolean handles(Event e) {
            return e instanceof Event.MemberEvent;
        }

        @Override
        public void coalesce(Event e) {
            Event.MemberEvent me = (Event.MemberEvent) e;
            for (Member m : me.members()) {
                latest.put(m.name(), new Latest(me.type(), m));
            }
        }

        @Override
        public void flush(Consumer<Event> out) {
            Map<EventType, List<Member>> byType = new LinkedHashMap<>();
            for (Map.Entry<String, Latest> en : latest.entrySet()) {
                Latest l = en.getValue();
                EventType prev = lastEmitted.get(en.getKey());
                if (prev == l.type() && l.type() != EventType.MEMBER_UPDATE) {
                    continue;
                }
                lastEmitted.put(en.getKey(), l.type());
                byType.computeIfAbsent(l.type(), t -> new ArrayList<>()).add(l.member());
            }
            // Go keeps the latest map (it is never cleared); bound both maps by forgetting reaped members.
            latest.entrySet().removeIf(en -> {
                boolean reaped = en.getValue().type() == EventType.MEMBER_REAP;
                if (reaped) {
                    lastEmitted.remove(en.getKey());
                }
                return reaped;
            });
            byType.forEach((type, members) -> out.accept(new Event.MemberEvent(type, members)));
        }
    }

    /** Per event name, the events with the highest LTime seen in the window. */
    static final class UserStrategy implements Strategy {
        private record Latest(long lTime, List<Event.UserEvent> events) {
        }

        private final Map<String, Latest> events = new LinkedHashMap<>();
        private int held;

        @Override
        public boolean handles(Event e) {
            return e instanceof Event.UserEvent ue && ue.coalesce();
        }

        @Override
        public int held() {
            return held;
        }

        @Override
        public void coalesce(Event e) {
            Event.UserEvent ue = (Event.UserEvent) e;
            Latest cur = events.get(ue.name());
            if (cur == null || Long.compareUnsigned(ue.lTime(), cur.lTime()) > 0) {
                List<Event.UserEvent> l = new ArrayList<>();
                l.add(ue);
                held += 1 - (cur == null ? 0 : cur.events().size());
                events.put(ue.name(), new Latest(ue.lTime(), l));
            } else if (ue.lTime() == cur.lTime()) {
                cur.events().add(ue);
                held++;
            }
        }

        @Override
        public void flush(Consumer<Event> out) {
            for (Latest l : events.values()) {
                l.events().forEach(out);
            }
            events.clear();
            held = 0;
        }
    }

    private final Strategy strategy;
    private final long coalesceNanos;
    private final long quiescentNanos;
    private final Consumer<Event> out;
    private final Scheduler scheduler;
    private final Clock clock;
    private final DropCounter drops;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean holding;
    private long quantumEnd;
    private long quiescentEnd;
    private Scheduler.Timer timer;
    private boolean closed;

    Coalescer(Strategy strategy, Duration coalescePeriod, Duration quiescentPeriod, Scheduler scheduler, Clock clock,
              DropCounter drops, Consumer<Event> out) {
        this.strategy = strategy;
        this.coalesceNanos = coalescePeriod.toNanos();
        this.quiescentNanos = quiescentPeriod.toNanos();
        this.scheduler = scheduler;
        this.clock = clock;
        this.drops = drops;
        this.out = out;
    }

    /** Folds a coalescable event into the window, passes any other one on; never waits. */
    @Override
    public void accept(Event e) {
        lock.lock();
        try {
            if (closed) {
                drops.dropped(e.toString());
                return;
            }
            drops.passed();
            if (!strategy.handles(e)) {
                out.accept(e);
                return;
            }
            long now = clock.nanoTime();
            if (!holding) {
                holding = true;
                quantumEnd = now + coalesceNanos;
            }
            quiescentEnd = now + quiescentNanos;
            strategy.coalesce(e);
            if (strategy.held() >= MAX_HELD) {
                flushLocked();
            } else if (timer == null) {
                arm(now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** True while events are held for the next flush. */
    boolean holding() {
        lock.lock();
        try {
            return holding;
        } finally {
            lock.unlock();
        }
    }

    private void arm(long now) {
        long due = Math.min(quantumEnd, quiescentEnd);
        Scheduler.Timer[] self = new Scheduler.Timer[1];
        self[0] = scheduler.schedule(Duration.ofNanos(Math.max(0, due - now)), () -> onTimer(self));
        timer = self[0];
    }

    private void onTimer(Scheduler.Timer[] self) {
        lock.lock();
        try {
            if (timer != self[0]) {
                return; // cancelled, but it had already started
            }
            timer = null;
            if (!holding || closed) {
                return;
            }
            long now = clock.nanoTime();
            if (now - Math.min(quantumEnd, quiescentEnd) >= 0) {
                flushLocked();
            } else {
                arm(now);
            }
        } finally {
            lock.unlock();
        }
    }

    private void flushLocked() {
        holding = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        strategy.flush(out);
    }

    /** Flushes what is held; later events are dropped (and counted). */
    void shutdown() {
        lock.lock();
        try {
            if (!closed) {
                flushLocked();
                closed = true;
            }
        } finally {
            lock.unlock();
        }
        drops.flush();
    }
}
