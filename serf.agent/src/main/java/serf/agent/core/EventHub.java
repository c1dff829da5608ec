package serf.agent.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import serf.api.Event;

/**
 * The agent's single event loop fan-out (Go's agent eventLoop): every Serf event goes to the
 * event-handler scripts first, then to each IPC event stream, in order.
 */
public final class EventHub implements Consumer<Event> {
    private final List<Consumer<Event>> handlers = new CopyOnWriteArrayList<>();

    public Runnable subscribe(Consumer<Event> handler) {
        handlers.add(handler);
        return () -> handlers.remove(handler);
    }

    @Override
    public void accept(Event e) {
        for (Consumer<Event> h : handlers) {
            h.accept(e);
        }
    }
}
