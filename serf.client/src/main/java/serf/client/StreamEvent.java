package serf.client;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An event delivered by {@link SerfClient#stream}: a change of membership, a user event or a
 * query to answer with {@link SerfClient#respond}.
 */
public sealed interface StreamEvent {

    /**
     * The event's type as the agent names it: {@code member-join}, {@code member-leave},
     * {@code member-failed}, {@code member-update}, {@code member-reap}, {@code user} or
     * {@code query}.
     *
     * @return the type
     */
    String type();

    /**
     * Members that joined, left, failed, changed their tags or were reaped.
     *
     * @param type    the member event's type, e.g. {@code member-join}
     * @param members the members concerned
     */
    record MemberEvent(String type, List<Member> members) implements StreamEvent {
        /**
         * Copies the list; a null list becomes empty.
         */
        public MemberEvent {
            type = type == null ? "" : type;
            members = members == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(members));
        }
    }

    /**
     * A user event.
     *
     * @param ltime    the event's Lamport time
     * @param name     the event's name
     * @param payload  the event's payload (empty when none was sent); not copied, treat as read-only
     * @param coalesce whether the sender allowed coalescing it with later events of the same name
     */
    record UserEvent(long ltime, String name, byte[] payload, boolean coalesce) implements StreamEvent {
        /**
         * Null strings and payloads become empty.
         */
        public UserEvent {
            name = name == null ? "" : name;
            payload = payload == null ? new byte[0] : payload;
        }

        /**
         * Always {@code user}.
         *
         * @return {@code user}
         */
        @Override
        public String type() {
            return "user";
        }

        /**
         * Equal when every field is, the payload compared by content.
         *
         * @param o the other object
         * @return true when equal
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof UserEvent e && ltime == e.ltime && name.equals(e.name)
                    && Arrays.equals(payload, e.payload) && coalesce == e.coalesce;
        }

        /**
         * A hash over every field, the payload by content.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            return Objects.hash(ltime, name, Arrays.hashCode(payload), coalesce);
        }

        /**
         * A description with the payload in hex.
         *
         * @return the description
         */
        @Override
        public String toString() {
            return "UserEvent[ltime=" + ltime + ", name=" + name + ", payload=" + HexFormat.of().formatHex(payload)
                    + ", coalesce=" + coalesce + "]";
        }
    }

    /**
     * A query this client may answer with {@link SerfClient#respond(long, byte[])} (on the same
     * client, before the query's timeout).
     *
     * @param id      the number to answer with
     * @param ltime   the query's Lamport time
     * @param name    the query's name
     * @param payload the query's payload (empty when none was sent); not copied, treat as read-only
     */
    record QueryEvent(long id, long ltime, String name, byte[] payload) implements StreamEvent {
        /**
         * Null strings and payloads become empty.
         */
        public QueryEvent {
            name = name == null ? "" : name;
            payload = payload == null ? new byte[0] : payload;
        }

        /**
         * Always {@code query}.
         *
         * @return {@code query}
         */
        @Override
        public String type() {
            return "query";
        }

        /**
         * Equal when every field is, the payload compared by content.
         *
         * @param o the other object
         * @return true when equal
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof QueryEvent e && id == e.id && ltime == e.ltime && name.equals(e.name)
                    && Arrays.equals(payload, e.payload);
        }

        /**
         * A hash over every field, the payload by content.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            return Objects.hash(id, ltime, name, Arrays.hashCode(payload));
        }

        /**
         * A description with the payload in hex.
         *
         * @return the description
         */
        @Override
        public String toString() {
            return "QueryEvent[id=" + Long.toUnsignedString(id) + ", ltime=" + ltime + ", name=" + name
                    + ", payload=" + HexFormat.of().formatHex(payload) + "]";
        }
    }
}
