package serf.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Folds bursts of events into fewer ones before the application sees them (Go's coalesce loop):
 * the first coalescable event starts a quantum of {@code coalescePeriod}; each one restarts a
 * quiescent timer of {@code quiescentPeriod}; whichever ends first flushes. Other events pass
 * straight through. One virtual thread per coalescer, a bounded input queue that never makes
 * the caller wait: when it is full (the stage behind is slower than the events arriving) the event
 * is dropped and counted, so the protocol threads never wait on the application.
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

    private static final Event.MemberEvent STOP = new Event.MemberEvent(EventType.MEMBER_REAP, List.of());

    private final Strategy strategy;
    private final Duration coalescePeriod;
    private final Duration quiescentPeriod;
    private final Consumer<Event> out;
    private final BlockingQueue<Event> in;
    private final DropCounter drops;
    private final Thread thread;

    Coalescer(String name, Strategy strategy, Duration coalescePeriod, Duration quiescentPeriod, int buffer,
              DropCounter drops, Consumer<Event> out) {
        this.strategy = strategy;
        this.drops = drops;
        this.coalescePeriod = coalescePeriod;
        this.quiescentPeriod = quiescentPeriod;
        this.out = out;
        this.in = new ArrayBlockingQueue<>(Math.max(1, buffer));
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    /**
     * Hands an event in without waiting; when the buffer is full the event is dropped and counted
     * (Go's channel would block the protocol instead).
     */
    @Override
    public void accept(Event e) {
        if (in.offer(e)) {
            drops.passed();
        } else {
            drops.dropped(e.toString());
        }
    }

    /** Flushes what is held and ends the thread. */
    void shutdown() {
        if (!in.offer(STOP)) {
            thread.interrupt();
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        drops.flush();
    }

    private void run() {
        long quantumEnd = 0;
        long quiescentEnd = 0;
        boolean holding = false;
        try {
            while (true) {
                Event e;
                if (holding) {
                    long until = Math.min(quantumEnd, quiescentEnd);
                    e = in.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (e == null) {
                        strategy.flush(out);
                        holding = false;
                        continue;
                    }
                } else {
                    e = in.take();
                }
                if (e == STOP) {
                    strategy.flush(out);
                    return;
                }
                if (!strategy.handles(e)) {
                    out.accept(e);
                    continue;
                }
                long now = System.nanoTime();
                if (!holding) {
                    holding = true;
                    quantumEnd = now + coalescePeriod.toNanos();
                }
                quiescentEnd = now + quiescentPeriod.toNanos();
                strategy.coalesce(e);
                if (strategy.held() >= MAX_HELD) {
                    strategy.flush(out);
                    holding = false;
                }
            }
        } catch (InterruptedException ex) {
            strategy.flush(out);
        }
    }
}
