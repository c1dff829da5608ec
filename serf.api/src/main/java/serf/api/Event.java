package serf.api;

import java.util.List;

/**
 * What Serf tells the application: membership changes, user events and queries, delivered in
 * order to the {@link Config#eventSink} consumer.
 */
public sealed interface Event permits Event.MemberEvent, Event.UserEvent, Query {

    EventType type();

    /** One membership change (join, leave, failed, update or reap) of one or more members. */
    record MemberEvent(EventType type, List<Member> members) implements Event {
        public MemberEvent {
            members = List.copyOf(members);
            if (type == EventType.USER || type == EventType.QUERY) {
                throw new IllegalArgumentException("not a member event type: " + type);
            }
        }

        @Override
        public String toString() {
            return type.toString();
        }
    }

    /** A custom event sent with {@link Serf#userEvent}. {@code payload} may be null. */
    record UserEvent(long lTime, String name, byte[] payload, boolean coalesce) implements Event {
        @Override
        public EventType type() {
            return EventType.USER;
        }

        @Override
        public String toString() {
            return "user-event: " + name;
        }
    }
}
