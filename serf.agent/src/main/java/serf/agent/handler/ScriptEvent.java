package serf.agent.handler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import serf.api.Event;
import serf.api.Member;
import serf.api.Query;

/**
 * One event as a handler script receives it: its type (the {@code SERF_EVENT} value), the name a
 * {@code user:NAME}/{@code query:NAME} filter compares, the event's own environment variables and
 * what is written to the script's stdin. Queries also carry where the script's output goes.
 *
 * <p>{@link #of} converts the Serf events the agent receives; the records can also be built
 * directly (tests, or an agent that is not backed by Serf).
 */
public sealed interface ScriptEvent {

    /** {@code member-join}, …, {@code user}, {@code query}. */
    String type();

    /** The user event or query name; empty for member events. */
    String name();

    /** Variables this event adds to the script's environment, in Go's order. */
    Map<String, String> env();

    /** The bytes written to the script's stdin. */
    byte[] stdin();

    /** Go's {@code event.String()}: {@code member-join}, {@code user-event: deploy}, {@code query: load}. */
    String description();

    /** A membership change of one or more members: one stdin line per member. */
    record Members(String type, List<Member> members) implements ScriptEvent {
        public Members {
            Objects.requireNonNull(type, "type");
            members = List.copyOf(members);
        }

        @Override
        public String name() {
            return "";
        }

        @Override
        public Map<String, String> env() {
            return Map.of();
        }

        @Override
        public byte[] stdin() {
            return StdinFormat.members(members);
        }

        @Override
        public String description() {
            return type;
        }
    }

    /** A user event: its payload on stdin, {@code SERF_USER_EVENT} and {@code SERF_USER_LTIME}. */
    record User(String name, long lTime, byte[] payload) implements ScriptEvent {
        public User {
            Objects.requireNonNull(name, "name");
            payload = payload == null ? new byte[0] : payload.clone();
        }

        @Override
        public String type() {
            return "user";
        }

        @Override
        public Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SERF_USER_EVENT", name);
            env.put("SERF_USER_LTIME", Long.toUnsignedString(lTime));
            return env;
        }

        @Override
        public byte[] stdin() {
            return StdinFormat.payload(payload);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public String description() {
            return "user-event: " + name;
        }
    }

    /**
     * A query: its payload on stdin, {@code SERF_QUERY_NAME} and {@code SERF_QUERY_LTIME}; a script
     * that exits 0 having written something answers it through {@code responder}.
     */
    record QueryEvent(String name, long lTime, byte[] payload, QueryResponder responder) implements ScriptEvent {
        public QueryEvent {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(responder, "responder");
            payload = payload == null ? new byte[0] : payload.clone();
        }

        @Override
        public String type() {
            return "query";
        }

        @Override
        public Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SERF_QUERY_NAME", name);
            env.put("SERF_QUERY_LTIME", Long.toUnsignedString(lTime));
            return env;
        }

        @Override
        public byte[] stdin() {
            return StdinFormat.payload(payload);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public String description() {
            return "query: " + name;
        }
    }

    /** The script view of a Serf event. */
    static ScriptEvent of(Event event) {
        return switch (event) {
            case Event.MemberEvent m -> new Members(m.type().toString(), m.members());
            case Event.UserEvent u -> new User(u.name(), u.lTime(), u.payload());
            case Query q -> new QueryEvent(q.name(), q.lTime(), q.payload(), q::respond);
        };
    }
}
