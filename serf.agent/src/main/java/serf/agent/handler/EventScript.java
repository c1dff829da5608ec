package serf.agent.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One (filter, script) pair of the agent's {@code -event-handler} / {@code event_handlers}
 * configuration. A spec is {@code [FILTERS=]SCRIPT}, split at the first {@code =}; with no
 * {@code =} the filter is {@code *}. {@code member-join,user:deploy=run.sh} yields two pairs, so an
 * event matching both runs the script twice, as in Go. A script containing {@code =} therefore
 * needs an explicit filter ({@code *=cmd a=b}).
 *
 * @param filter which events run the script
 * @param script the command line handed to {@code /bin/sh -c}
 */
public record EventScript(EventFilter filter, String script) {

    public EventScript {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(script, "script");
    }

    /** Parses one spec into its pairs (at least one). */
    public static List<EventScript> parse(String spec) {
        int eq = spec.indexOf('=');
        String filters = eq < 0 ? "" : spec.substring(0, eq);
        String script = eq < 0 ? spec : spec.substring(eq + 1);
        List<EventScript> out = new ArrayList<>();
        for (EventFilter f : EventFilter.parseList(filters)) {
            out.add(new EventScript(f, script));
        }
        return out;
    }

    /** Parses every spec, in order (Go's {@code Config.EventScripts()}). */
    public static List<EventScript> parseAll(List<String> specs) {
        List<EventScript> out = new ArrayList<>();
        for (String spec : specs) {
            out.addAll(parse(spec));
        }
        return List.copyOf(out);
    }

    public boolean valid() {
        return filter.valid();
    }

    /** Go's text: {@code Event 'member-join' invoking 'x.sh'} or {@code Event 'user:deploy' invoking 'x.sh'}. */
    @Override
    public String toString() {
        return "Event '" + filter + "' invoking '" + script + "'";
    }
}
