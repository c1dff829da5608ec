package serf.api.internal.msg;

import java.util.List;
import java.util.Map;

/**
 * A decoded Serf message (docs/protocol/serf-messages.md §3): what travels inside memberlist user messages,
 * push/pull user state and query payloads. {@code null} stands for Go's nil for byte arrays, lists
 * and maps. Lamport times are unsigned 64-bit values held in a long.
 */
public sealed interface SerfMessage {

    SerfMessageType type();

    /** leave intent (0): {@code node} is leaving; {@code prune} erases it at once (force-leave -prune). */
    record Leave(long lTime, String node, boolean prune) implements SerfMessage {
        public SerfMessageType type() {
            return SerfMessageType.LEAVE;
        }
    }

    /** join intent (1). */
    record Join(long lTime, String node) implements SerfMessage {
        public SerfMessageType type() {
            return SerfMessageType.JOIN;
        }
    }

    /**
     * push/pull user state (2). {@code events} is the sender's whole event ring buffer: element i
     * holds the events whose LTime % size == i, or null for an empty slot.
     */
    record PushPull(long lTime, Map<String, Long> statusLTimes, List<String> leftMembers, long eventLTime,
                    List<UserEventCollection> events, long queryLTime) implements SerfMessage {
        public SerfMessageType type() {
            return SerfMessageType.PUSH_PULL;
        }
    }

    /** One slot of the push/pull event ring: the events seen at one LTime. */
    record UserEventCollection(long lTime, List<UserEventData> events) {
    }

    /** An event inside a push/pull slot (no CC: replayed events are never coalesced). */
    record UserEventData(String name, byte[] payload) {
    }

    /** user event (3). {@code cc}: the event may be coalesced. */
    record UserEvent(long lTime, String name, byte[] payload, boolean cc) implements SerfMessage {
        public SerfMessageType type() {
            return SerfMessageType.USER_EVENT;
        }
    }

    /**
     * query (4). {@code filters} are encoded filters (type byte + msgpack), null when there are
     * none; {@code flags} bit 0 = ack requested, bit 1 = no broadcast; {@code timeoutNanos} is a Go
     * time.Duration.
     */
    record Query(long lTime, long id, byte[] addr, int port, String sourceNode, List<byte[]> filters, long flags,
                 int relayFactor, long timeoutNanos, String name, byte[] payload) implements SerfMessage {
        public static final long FLAG_ACK = 1;
        public static final long FLAG_NO_BROADCAST = 2;

        public SerfMessageType type() {
            return SerfMessageType.QUERY;
        }

        public boolean ack() {
            return (flags & FLAG_ACK) != 0;
        }

        public boolean noBroadcast() {
            return (flags & FLAG_NO_BROADCAST) != 0;
        }
    }

    /** query response or ack (5): {@code flags} 1 = ack. */
    record QueryResponse(long lTime, long id, String from, long flags, byte[] payload) implements SerfMessage {
        public SerfMessageType type() {
            return SerfMessageType.QUERY_RESPONSE;
        }

        public boolean ack() {
            return (flags & 1) != 0;
        }
    }

    /** conflict response (6): the responder's record of the contested name, or null if unknown. */
    record ConflictResponse(MemberRecord member) implements SerfMessage {
        public SerfMessageType type() {
            return SerfMessageType.CONFLICT_RESPONSE;
        }
    }

    /** Go's serf.Member as encoded in a conflict response; {@code status} 0 none … 4 failed. */
    record MemberRecord(String name, byte[] addr, int port, Map<String, String> tags, int status,
                        int protocolMin, int protocolMax, int protocolCur,
                        int delegateMin, int delegateMax, int delegateCur) {
    }

    /** key request (7): the key for install/use/remove, empty for list. */
    record KeyRequest(byte[] key) implements SerfMessage {
        public SerfMessageType type() {
            return SerfMessageType.KEY_REQUEST;
        }
    }

    /** key response (8). {@code keys} (base64, primary first) only for list-keys, else null. */
    record KeyResponse(boolean result, String message, List<String> keys, String primaryKey) implements SerfMessage {
        public SerfMessageType type() {
            return SerfMessageType.KEY_RESPONSE;
        }
    }

    /**
     * relay (9): forward {@code inner} (a complete Serf message, type byte included) unchanged to
     * {@code destAddr}:{@code destPort}, node {@code destName}.
     */
    record Relay(byte[] destAddr, int destPort, String destZone, String destName, byte[] inner) implements SerfMessage {
        public SerfMessageType type() {
            return SerfMessageType.RELAY;
        }
    }
}
