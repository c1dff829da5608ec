package serf.api.internal.msg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import serf.api.internal.msg.SerfMessage.ConflictResponse;
import serf.api.internal.msg.SerfMessage.Join;
import serf.api.internal.msg.SerfMessage.KeyRequest;
import serf.api.internal.msg.SerfMessage.KeyResponse;
import serf.api.internal.msg.SerfMessage.Leave;
import serf.api.internal.msg.SerfMessage.MemberRecord;
import serf.api.internal.msg.SerfMessage.PushPull;
import serf.api.internal.msg.SerfMessage.Query;
import serf.api.internal.msg.SerfMessage.QueryResponse;
import serf.api.internal.msg.SerfMessage.Relay;
import serf.api.internal.msg.SerfMessage.UserEvent;
import serf.api.internal.msg.SerfMessage.UserEventCollection;
import serf.api.internal.msg.SerfMessage.UserEventData;
import serf.wire.DecodeException;
import serf.wire.MsgpackReader;

/**
 * The decoding half of {@link SerfCodec}: each message body read as Go reads it (keys in any order,
 * unknown keys skipped, structs sent as arrays in Go's declaration order, nil and zero defaults).
 */
final class SerfReader {
    // Go declaration orders, used only when a struct arrives as an array.
    private static final List<String> LEAVE_FIELDS = List.of("LTime", "Node", "Prune");
    private static final List<String> JOIN_FIELDS = List.of("LTime", "Node");
    private static final List<String> PUSH_PULL_FIELDS =
            List.of("LTime", "StatusLTimes", "LeftMembers", "EventLTime", "Events", "QueryLTime");
    private static final List<String> USER_EVENTS_FIELDS = List.of("LTime", "Events");
    private static final List<String> USER_EVENT_DATA_FIELDS = List.of("Name", "Payload");
    private static final List<String> USER_EVENT_FIELDS = List.of("LTime", "Name", "Payload", "CC");
    private static final List<String> QUERY_FIELDS = List.of("LTime", "ID", "Addr", "Port", "SourceNode",
            "Filters", "Flags", "RelayFactor", "Timeout", "Name", "Payload");
    private static final List<String> QUERY_RESPONSE_FIELDS = List.of("LTime", "ID", "From", "Flags", "Payload");
    private static final List<String> MEMBER_FIELDS = List.of("Name", "Addr", "Port", "Tags", "Status",
            "ProtocolMin", "ProtocolMax", "ProtocolCur", "DelegateMin", "DelegateMax", "DelegateCur");
    private static final List<String> KEY_REQUEST_FIELDS = List.of("Key");
    private static final List<String> KEY_RESPONSE_FIELDS = List.of("Result", "Message", "Keys", "PrimaryKey");
    private static final List<String> RELAY_HEADER_FIELDS = List.of("DestAddr", "DestName");
    private static final List<String> UDP_ADDR_FIELDS = List.of("IP", "Port", "Zone");

    private SerfReader() {
    }

    /** Reads the body of a message of {@code type}; {@code r} is just past the type byte. */
    static SerfMessage read(MsgpackReader r, SerfMessageType type) {
        return switch (type) {
            case LEAVE -> readLeave(r);
            case JOIN -> readJoin(r);
            case PUSH_PULL -> readPushPull(r);
            case USER_EVENT -> readUserEvent(r);
            case QUERY -> readQuery(r);
            case QUERY_RESPONSE -> readQueryResponse(r);
            case CONFLICT_RESPONSE -> readConflictResponse(r);
            case KEY_REQUEST -> readKeyRequest(r);
            case KEY_RESPONSE -> readKeyResponse(r);
            case RELAY -> readRelay(r);
        };
    }

    /** Go decodes an empty body as an EOF error rather than as a zero struct. */
    private static void requireBody(MsgpackReader r) {
        if (!r.hasRemaining()) {
            throw DecodeException.truncated("message body", r.position());
        }
    }

    private static Leave readLeave(MsgpackReader r) {
        requireBody(r);
        long[] lTime = {0};
        String[] node = {""};
        boolean[] prune = {false};
        GoStruct.read(r, LEAVE_FIELDS, (f, v) -> {
            switch (f) {
                case "LTime" -> lTime[0] = v.readUint64();
                case "Node" -> node[0] = v.readString();
                case "Prune" -> prune[0] = v.readBool();
                default -> v.skip();
            }
        });
        return new Leave(lTime[0], node[0], prune[0]);
    }

    private static Join readJoin(MsgpackReader r) {
        requireBody(r);
        long[] lTime = {0};
        String[] node = {""};
        GoStruct.read(r, JOIN_FIELDS, (f, v) -> {
            switch (f) {
                case "LTime" -> lTime[0] = v.readUint64();
                case "Node" -> node[0] = v.readString();
                default -> v.skip();
            }
        });
        return new Join(lTime[0], node[0]);
    }

    private static final class PushPullFields {
        long lTime;
        Map<String, Long> statusLTimes = Map.of();
        List<String> leftMembers = List.of();
        long eventLTime;
        List<UserEventCollection> events = List.of();
        long queryLTime;
    }

    private static PushPull readPushPull(MsgpackReader r) {
        requireBody(r);
        PushPullFields p = new PushPullFields();
        GoStruct.read(r, PUSH_PULL_FIELDS, (f, v) -> {
            switch (f) {
                case "LTime" -> p.lTime = v.readUint64();
                case "StatusLTimes" -> p.statusLTimes = readStatusLTimes(v);
                case "LeftMembers" -> p.leftMembers = GoStruct.readStringList(v);
                case "EventLTime" -> p.eventLTime = v.readUint64();
                case "Events" -> p.events = readEventRing(v);
                case "QueryLTime" -> p.queryLTime = v.readUint64();
                default -> v.skip();
            }
        });
        return new PushPull(p.lTime, p.statusLTimes, p.leftMembers, p.eventLTime, p.events, p.queryLTime);
    }

    private static Map<String, Long> readStatusLTimes(MsgpackReader r) {
        int n = r.readMapHeader();
        if (n <= 0) {
            return Map.of();
        }
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String name = r.readString();
            out.put(name, r.readUint64());
        }
        return Collections.unmodifiableMap(out);
    }

    /** The event ring: nil slots stay null, so the list may hold nulls. */
    private static List<UserEventCollection> readEventRing(MsgpackReader r) {
        int n = r.readArrayHeader();
        if (n <= 0) {
            return List.of();
        }
        List<UserEventCollection> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            out.add(r.tryReadNil() ? null : readSlot(r));
        }
        return Collections.unmodifiableList(out);
    }

    private static final class SlotFields {
        long lTime;
        List<UserEventData> events = List.of();
    }

    private static UserEventCollection readSlot(MsgpackReader r) {
        SlotFields s = new SlotFields();
        GoStruct.read(r, USER_EVENTS_FIELDS, (f, v) -> {
            switch (f) {
                case "LTime" -> s.lTime = v.readUint64();
                case "Events" -> s.events = readSlotEvents(v);
                default -> v.skip();
            }
        });
        return new UserEventCollection(s.lTime, s.events);
    }

    private static List<UserEventData> readSlotEvents(MsgpackReader r) {
        int n = r.readArrayHeader();
        if (n <= 0) {
            return List.of();
        }
        List<UserEventData> out = new ArrayList<>(Math.min(n, 256));
        for (int i = 0; i < n; i++) {
            String[] name = {""};
            byte[][] payload = {null};
            // elements are values, not pointers: nil is a zero event
            GoStruct.read(r, USER_EVENT_DATA_FIELDS, (f, v) -> {
                switch (f) {
                    case "Name" -> name[0] = v.readString();
                    case "Payload" -> payload[0] = v.readBytes();
                    default -> v.skip();
                }
            });
            out.add(new UserEventData(name[0], payload[0]));
        }
        return Collections.unmodifiableList(out);
    }

    private static UserEvent readUserEvent(MsgpackReader r) {
        requireBody(r);
        long[] lTime = {0};
        String[] name = {""};
        byte[][] payload = {null};
        boolean[] cc = {false};
        GoStruct.read(r, USER_EVENT_FIELDS, (f, v) -> {
            switch (f) {
                case "LTime" -> lTime[0] = v.readUint64();
                case "Name" -> name[0] = v.readString();
                case "Payload" -> payload[0] = v.readBytes();
                case "CC" -> cc[0] = v.readBool();
                default -> v.skip();
            }
        });
        return new UserEvent(lTime[0], name[0], payload[0], cc[0]);
    }

    private static final class QueryFields {
        long lTime;
        long id;
        byte[] addr;
        int port;
        String sourceNode = "";
        List<byte[]> filters;
        long flags;
        int relayFactor;
        long timeout;
        String name = "";
        byte[] payload;
    }

    private static Query readQuery(MsgpackReader r) {
        requireBody(r);
        QueryFields q = new QueryFields();
        GoStruct.read(r, QUERY_FIELDS, (f, v) -> {
            switch (f) {
                case "LTime" -> q.lTime = v.readUint64();
                case "ID" -> q.id = v.readUint32();
                case "Addr" -> q.addr = v.readBytes();
                case "Port" -> q.port = v.readUint16();
                case "SourceNode" -> q.sourceNode = v.readString();
                case "Filters" -> q.filters = readFilters(v);
                case "Flags" -> q.flags = v.readUint32();
                case "RelayFactor" -> q.relayFactor = v.readUint8();
                case "Timeout" -> q.timeout = v.readLong();
                case "Name" -> q.name = v.readString();
                case "Payload" -> q.payload = v.readBytes();
                default -> v.skip();
            }
        });
        return new Query(q.lTime, q.id, q.addr, q.port, q.sourceNode, q.filters, q.flags, q.relayFactor,
                q.timeout, q.name, q.payload);
    }

    /** nil stays null (no filters); a nil element becomes an empty filter, which matches nothing. */
    private static List<byte[]> readFilters(MsgpackReader r) {
        int n = r.readArrayHeader();
        if (n < 0) {
            return null;
        }
        List<byte[]> out = new ArrayList<>(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            byte[] f = r.readBytes();
            out.add(f == null ? new byte[0] : f);
        }
        return Collections.unmodifiableList(out);
    }

    private static QueryResponse readQueryResponse(MsgpackReader r) {
        requireBody(r);
        long[] nums = new long[3]; // lTime, id, flags
        String[] from = {""};
        byte[][] payload = {null};
        GoStruct.read(r, QUERY_RESPONSE_FIELDS, (f, v) -> {
            switch (f) {
                case "LTime" -> nums[0] = v.readUint64();
                case "ID" -> nums[1] = v.readUint32();
                case "From" -> from[0] = v.readString();
                case "Flags" -> nums[2] = v.readUint32();
                case "Payload" -> payload[0] = v.readBytes();
                default -> v.skip();
            }
        });
        return new QueryResponse(nums[0], nums[1], from[0], nums[2], payload[0]);
    }

    private static final class MemberFields {
        String name = "";
        byte[] addr;
        int port;
        Map<String, String> tags = Map.of();
        int status;
        final int[] versions = new int[6]; // protocol min/max/cur, delegate min/max/cur
    }

    private static ConflictResponse readConflictResponse(MsgpackReader r) {
        requireBody(r);
        if (r.tryReadNil()) {
            return new ConflictResponse(null);
        }
        MemberFields m = new MemberFields();
        GoStruct.read(r, MEMBER_FIELDS, (f, v) -> {
            switch (f) {
                case "Name" -> m.name = v.readString();
                case "Addr" -> m.addr = v.readBytes();
                case "Port" -> m.port = v.readUint16();
                case "Tags" -> m.tags = GoStruct.readStringMap(v);
                case "Status" -> m.status = v.readInt();
                case "ProtocolMin" -> m.versions[0] = v.readUint8();
                case "ProtocolMax" -> m.versions[1] = v.readUint8();
                case "ProtocolCur" -> m.versions[2] = v.readUint8();
                case "DelegateMin" -> m.versions[3] = v.readUint8();
                case "DelegateMax" -> m.versions[4] = v.readUint8();
                case "DelegateCur" -> m.versions[5] = v.readUint8();
                default -> v.skip();
            }
        });
        int[] vs = m.versions;
        return new ConflictResponse(new MemberRecord(m.name, m.addr, m.port, m.tags, m.status,
                vs[0], vs[1], vs[2], vs[3], vs[4], vs[5]));
    }

    static KeyRequest readKeyRequest(MsgpackReader r) {
        requireBody(r);
        byte[][] key = {null};
        GoStruct.read(r, KEY_REQUEST_FIELDS, (f, v) -> {
            if (f.equals("Key")) {
                key[0] = v.readBytes();
            } else {
                v.skip();
            }
        });
        return new KeyRequest(key[0]);
    }

    private static final class KeyResponseFields {
        boolean result;
        String message = "";
        List<String> keys;
        String primaryKey = "";
    }

    private static KeyResponse readKeyResponse(MsgpackReader r) {
        requireBody(r);
        KeyResponseFields k = new KeyResponseFields();
        GoStruct.read(r, KEY_RESPONSE_FIELDS, (f, v) -> {
            switch (f) {
                case "Result" -> k.result = v.readBool();
                case "Message" -> k.message = v.readString();
                case "Keys" -> k.keys = v.tryReadNil() ? null : GoStruct.readStringList(v);
                case "PrimaryKey" -> k.primaryKey = v.readString();
                default -> v.skip();
            }
        });
        return new KeyResponse(k.result, k.message, k.keys, k.primaryKey);
    }

    private static final class RelayFields {
        byte[] ip;
        int port;
        String zone = "";
        String destName = "";
    }

    private static Relay readRelay(MsgpackReader r) {
        requireBody(r);
        RelayFields h = new RelayFields();
        GoStruct.read(r, RELAY_HEADER_FIELDS, (f, v) -> {
            switch (f) {
                case "DestAddr" -> GoStruct.read(v, UDP_ADDR_FIELDS, (af, av) -> {
                    switch (af) {
                        case "IP" -> h.ip = av.readBytes();
                        case "Port" -> h.port = av.readInt();
                        case "Zone" -> h.zone = av.readString();
                        default -> av.skip();
                    }
                });
                case "DestName" -> h.destName = v.readString();
                default -> v.skip();
            }
        });
        return new Relay(h.ip, h.port, h.zone, h.destName, r.remainingBytes());
    }
}
