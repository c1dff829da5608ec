package serf.agent.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import serf.api.Event;
import serf.api.Query;

/**
 * An event filter list as {@code stream} and event handlers write it: comma-separated
 * {@code member-join}, …, {@code user}, {@code user:NAME}, {@code query}, {@code query:NAME}, {@code *};
 * empty means {@code *}.
 */
public record EventFilterSpec(List<Entry> entries) {

    /** One element: an event kind ("*" for any) and, for user events and queries, a name ("" for any). */
    public record Entry(String event, String name) {
        boolean matches(Event e) {
            if (event.equals("*")) {
                return true;
            }
            return switch (e) {
                case Event.UserEvent u -> event.equals("user") && (name.isEmpty() || name.equals(u.name()));
                case Query q -> event.equals("query") && (name.isEmpty() || name.equals(q.name()));
                case Event.MemberEvent m -> event.equals(m.type().toString());
            };
        }
    }

    private static final List<String> KINDS = List.of("member-join", "member-leave", "member-failed",
            "member-update", "member-reap", "user", "query", "*");

    /** Parses a filter list; empty when any element is invalid. */
    public static Optional<EventFilterSpec> parse(String spec) {
        List<Entry> out = new ArrayList<>();
        String s = spec == null ? "" : spec;
        if (s.isEmpty()) {
            s = "*";
        }
        for (String part : s.split(",", -1)) {
            String event = part;
            String name = "";
            int colon = part.indexOf(':');
            if (colon >= 0) {
                event = part.substring(0, colon);
                name = part.substring(colon + 1);
                if (!event.equals("user") && !event.equals("query")) {
                    return Optional.empty();
                }
            }
            if (!KINDS.contains(event)) {
                return Optional.empty();
            }
            out.add(new Entry(event, name));
        }
        return Optional.of(new EventFilterSpec(List.copyOf(out)));
    }

    public boolean matches(Event e) {
        for (Entry en : entries) {
            if (en.matches(e)) {
                return true;
            }
        }
        return false;
    }

}
