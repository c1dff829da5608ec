package serf.agent.handler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import serf.api.Member;

/**
 * The variables the Go agent adds to a handler script's environment (on top of its own whole
 * environment, later entries winning): {@code SERF_EVENT}, {@code SERF_SELF_NAME},
 * {@code SERF_SELF_ROLE}, one {@code SERF_TAG_<NAME>} per local tag, then the event's own
 * ({@code SERF_USER_EVENT}/{@code SERF_USER_LTIME} or {@code SERF_QUERY_NAME}/{@code SERF_QUERY_LTIME}).
 */
final class ScriptEnvironment {

    private ScriptEnvironment() {
    }

    /**
     * The additions for one script run.
     *
     * @param self the local member at the time of the event (its name and tags); null gives empty values
     */
    static Map<String, String> of(ScriptEvent event, Member self) {
        Map<String, String> tags = self == null ? Map.of() : self.tags();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERF_EVENT", event.type());
        env.put("SERF_SELF_NAME", self == null ? "" : self.name());
        env.put("SERF_SELF_ROLE", tags.getOrDefault("role", ""));
        List<String> names = new ArrayList<>(tags.keySet());
        names.sort(null);
        for (String name : names) {
            env.put("SERF_TAG_" + tagVariable(name), tags.get(name));
        }
        env.putAll(event.env());
        return env;
    }

    /**
     * Go's sanitising of a tag name: upper-cased rune by rune (simple case mapping, so {@code ß}
     * stays {@code ß}), then every rune outside {@code [A-Z0-9_]} replaced by one {@code _}.
     */
    static String tagVariable(String tag) {
        StringBuilder b = new StringBuilder(tag.length());
        tag.codePoints().forEach(cp -> {
            int u = Character.toUpperCase(cp);
            boolean ok = (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_';
            b.append(ok ? (char) u : '_');
        });
        return b.toString();
    }
}
