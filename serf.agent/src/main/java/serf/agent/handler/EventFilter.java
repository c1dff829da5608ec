package serf.agent.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which events a handler script wants, as the Go agent parses it: an event type
 * ({@code member-join}, {@code member-leave}, {@code member-failed}, {@code member-update},
 * {@code member-reap}, {@code user}, {@code query} or {@code *}) and, for {@code user} and
 * {@code query}, an optional exact name ({@code user:deploy}, {@code query:load}).
 *
 * <p>Parsing never fails; {@link #valid()} says whether the agent accepts the filter (the agent
 * refuses to start, or the RPC refuses a stream, otherwise). The same syntax is used by the RPC
 * {@code stream} command.
 *
 * @param event the event type text, {@code *} for every event
 * @param name  the user event or query name to match exactly; empty matches any name
 */
public record EventFilter(String event, String name) {

    /** Matches every event. */
    public static final EventFilter ALL = new EventFilter("*", "");

    public EventFilter {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(name, "name");
    }

    /**
     * Parses a comma-separated filter list; an empty string means {@code *}. Each element becomes one
     * filter, in order, so {@code user,user:deploy} yields two filters.
     */
    public static List<EventFilter> parseList(String spec) {
        String v = spec.isEmpty() ? "*" : spec;
        List<EventFilter> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int comma = v.indexOf(',', from);
            String element = comma < 0 ? v.substring(from) : v.substring(from, comma);
            out.add(parse(element));
            if (comma < 0) {
                return out;
            }
            from = comma + 1;
        }
    }

    /** One element: {@code user:NAME} and {@code query:NAME} split off their name; anything else is the event. */
    public static EventFilter parse(String element) {
        if (element.startsWith("user:")) {
            return new EventFilter("user", element.substring("user:".length()));
        }
        if (element.startsWith("query:")) {
            return new EventFilter("query", element.substring("query:".length()));
        }
        return new EventFilter(element, "");
    }

    /** Whether the event type is one the agent knows. */
    public boolean valid() {
        return switch (event) {
            case "member-join", "member-leave", "member-failed", "member-update", "member-reap", "user", "query", "*" -> true;
            default -> false;
        };
    }

    /**
     * Whether an event of type {@code eventType} (its text, e.g. {@code member-join}) and, for user
     * events and queries, name {@code eventName} passes this filter.
     */
    public boolean matches(String eventType, String eventName) {
        if (event.equals("*")) {
            return true;
        }
        if (!event.equals(eventType)) {
            return false;
        }
        if ((event.equals("user") || event.equals("query")) && !name.isEmpty()) {
            return name.equals(eventName);
        }
        return true;
    }

    /** {@code event:name} as the agent's {@code stats} lists handlers ({@code *:} for a catch-all). */
    public String statsKey() {
        return event + ":" + name;
    }

    /** {@code event} or {@code event:name}, as in the agent's error messages. */
    @Override
    public String toString() {
        return name.isEmpty() ? event : event + ":" + name;
    }
}
