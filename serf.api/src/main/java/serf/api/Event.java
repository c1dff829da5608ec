package serf.api;

import java.util.List;

/**
 * What Serf tells the application: membership changes, user events and queries, delivered in
 * order to the {@link Config#eventSink} consumer.
 */
public sealed interface Event permits Event.MemberEvent, Event.UserEvent, Query {

    /**
     * What kind of event this is.
     *
     * @return the event's type; {@link EventType#USER} for user events, {@link EventType#QUERY} for queries
     */
    EventType type();

    /**
     * One membership change (join, leave, failed, update or reap) of one or more members (Go's
     * {@code MemberEvent}); with coalescing, several members' changes of one type come together.
     *
     * @param type    the change: {@code MEMBER_JOIN}, {@code MEMBER_LEAVE}, {@code MEMBER_FAILED},
     *                {@code MEMBER_UPDATE} or {@code MEMBER_REAP}
     * @param members the members it concerns, as they were after the change
     */
    record MemberEvent(EventType type, List<Member> members) implements Event {
        /**
         * Checks the type and copies the list.
         *
         * @throws IllegalArgumentException when {@code type} is {@code USER} or {@code QUERY}
         */
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

    /**
     * A custom event sent with {@link Serf#userEvent} (Go's {@code UserEvent}).
     *
     * @param lTime    the event's Lamport time
     * @param name     the event's name
     * @param payload  its payload; null or empty when none was sent
     * @param coalesce whether the sender allowed it to be coalesced with newer events of the same name
     */
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
