package serf.client.internal;

import serf.client.Coordinate;
import serf.client.Member;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * A record pushed by the agent on a stream (header {@code {Error:"", Seq}} + this body): the
 * events of a {@code stream} ({@link Event}), the log lines of a {@code monitor} ({@link Log}) and
 * the acks, responses and end of a {@code query} ({@link QueryResult}).
 *
 * <p>Byte arrays are not copied; treat them as immutable.
 */
public sealed interface StreamRecord {

    void encode(MsgpackWriter w);

    /** A record of an event stream: the body's {@code Event} field says which kind. */
    sealed interface Event extends StreamRecord {
        /** {@code user}, {@code query} or a member event type such as {@code member-join}. */
        String event();

        /**
         * Decodes an event record in one pass: {@code Event:"user"} is a user event,
         * {@code Event:"query"} a query, anything else a member event.
         */
        static Event decode(MsgpackReader r) {
            var f = new Object() {
                String event = "";
                long ltime;
                long id;
                String name = "";
                byte[] payload;
                boolean coalesce;
                List<Member> members;
            };
            Wire.readStruct(r, List.of("Event"), (k, in) -> {
                switch (k) {
                    case "Event" -> f.event = in.readString();
                    case "LTime" -> f.ltime = in.readUint64();
                    case "ID" -> f.id = in.readUint64();
                    case "Name" -> f.name = in.readString();
                    case "Payload" -> f.payload = in.readBytes();
                    case "Coalesce" -> f.coalesce = in.readBool();
                    case "Members" -> f.members = MemberCodec.decodeList(in);
                    default -> in.skip();
                }
            });
            return switch (f.event) {
                case "user" -> new UserEvent(f.ltime, f.name, f.payload, f.coalesce);
                case "query" -> new QueryEvent(f.id, f.ltime, f.name, f.payload);
                default -> new MemberEvent(f.event, f.members);
            };
        }
    }

    /** {@code {Coalesce, Event:"user", LTime, Name, Payload}}. */
    record UserEvent(long ltime, String name, byte[] payload, boolean coalesce) implements Event {
        public UserEvent {
            name = Wire.str(name);
        }

        public String event() {
            return "user";
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(5);
            w.writeKey("Coalesce").writeBool(coalesce);
            w.writeKey("Event").writeString("user");
            w.writeKey("LTime").writeUint64(ltime);
            w.writeKey("Name").writeString(name);
            w.writeKey("Payload").writeBytes(payload);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UserEvent e && ltime == e.ltime && name.equals(e.name)
                    && Arrays.equals(payload, e.payload) && coalesce == e.coalesce;
        }

        @Override
        public int hashCode() {
            return Objects.hash(ltime, name, Arrays.hashCode(payload), coalesce);
        }

        @Override
        public String toString() {
            return "UserEvent[ltime=" + ltime + ", name=" + name + ", payload=" + Wire.hex(payload)
                    + ", coalesce=" + coalesce + "]";
        }
    }

    /** {@code {Event:"query", ID, LTime, Name, Payload}}; {@code id} is what {@code respond} takes. */
    record QueryEvent(long id, long ltime, String name, byte[] payload) implements Event {
        public QueryEvent {
            name = Wire.str(name);
        }

        public String event() {
            return "query";
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(5);
            w.writeKey("Event").writeString("query");
            w.writeKey("ID").writeUint64(id);
            w.writeKey("LTime").writeUint64(ltime);
            w.writeKey("Name").writeString(name);
            w.writeKey("Payload").writeBytes(payload);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof QueryEvent e && id == e.id && ltime == e.ltime && name.equals(e.name)
                    && Arrays.equals(payload, e.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, ltime, name, Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "QueryEvent[id=" + id + ", ltime=" + ltime + ", name=" + name + ", payload=" + Wire.hex(payload) + "]";
        }
    }

    /** {@code {Event, Members}}: member-join, member-leave, member-failed, member-update, member-reap. */
    record MemberEvent(String event, List<Member> members) implements Event {
        public MemberEvent {
            event = Wire.str(event);
            members = Wire.copy(members);
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(2);
            w.writeKey("Event").writeString(event);
            w.writeKey("Members");
            MemberCodec.encodeList(w, members);
        }
    }

    /** {@code {Log}}: one log line without its trailing newline. */
    record Log(String log) implements StreamRecord {
        public Log {
            log = Wire.str(log);
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(1);
            w.writeKey("Log").writeString(log);
        }

        public static Log decode(MsgpackReader r) {
            String[] v = {""};
            Wire.readStruct(r, List.of("Log"), (k, in) -> {
                if (k.equals("Log")) {
                    v[0] = in.readString();
                } else {
                    in.skip();
                }
            });
            return new Log(v[0]);
        }
    }

    /**
     * {@code {From, Payload, Type}} of a query stream: {@code Type} is {@code ack} (payload nil),
     * {@code response} or {@code done} (the last record, {@code From} empty).
     */
    record QueryResult(String type, String from, byte[] payload) implements StreamRecord {
        public static final String ACK = "ack";
        public static final String RESPONSE = "response";
        public static final String DONE = "done";
        private static final List<String> DECLARED = List.of("Type", "From", "Payload");

        public QueryResult {
            type = Wire.str(type);
            from = Wire.str(from);
        }

        public static QueryResult ack(String from) {
            return new QueryResult(ACK, from, null);
        }

        public static QueryResult response(String from, byte[] payload) {
            return new QueryResult(RESPONSE, from, payload);
        }

        public static QueryResult done() {
            return new QueryResult(DONE, "", null);
        }

        public boolean isDone() {
            return DONE.equals(type);
        }

        public void encode(MsgpackWriter w) {
            w.writeMapHeader(3);
            w.writeKey("From").writeString(from);
            w.writeKey("Payload").writeBytes(payload);
            w.writeKey("Type").writeString(type);
        }

        public static QueryResult decode(MsgpackReader r) {
            var f = new Object() {
                String type = "";
                String from = "";
                byte[] payload;
            };
            Wire.readStruct(r, DECLARED, (k, in) -> {
                switch (k) {
                    case "Type" -> f.type = in.readString();
                    case "From" -> f.from = in.readString();
                    case "Payload" -> f.payload = in.readBytes();
                    default -> in.skip();
                }
            });
            return new QueryResult(f.type, f.from, f.payload);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof QueryResult q && type.equals(q.type) && from.equals(q.from)
                    && Arrays.equals(payload, q.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, from, Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "QueryResult[type=" + type + ", from=" + from + ", payload=" + Wire.hex(payload) + "]";
        }
    }
}
