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
import serf.wire.DecodeLimits;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * Serf messages on the wire (docs/protocol/serf-messages.md §3): one type byte, then the msgpack of the Go struct.
 *
 * <p>Encoding reproduces Go's bytes exactly: fields in ascending name order, strings and byte
 * slices as raw, integers in their smallest unsigned form, null byte arrays/filters/keys/slots as nil.
 * Go maps (StatusLTimes, member tags) are written in sorted key order, so equal messages give equal
 * bytes; Go itself writes them in random order. A relay is {@code 09}, the header, and the inner
 * message bytes verbatim.
 *
 * <p>Decoding accepts what Go accepts: keys in any order, unknown keys skipped, missing keys zero,
 * structs sent as arrays, nil for any string/bytes/collection, any integer width, and bytes after the
 * value (Go's decoder stops after one value). Collections Go never sends as nil (StatusLTimes,
 * LeftMembers, Events, a slot's events, member tags) decode from nil as empty; those where nil is
 * meaningful (payloads, addresses, Filters, Keys, ring slots) decode as null. Every failure is a
 * {@link DecodeException} whose offset counts from the type byte. All methods are stateless and
 * thread-safe.
 */
public final class SerfCodec {

    private static final DecodeLimits LIMITS = DecodeLimits.DEFAULT;

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

    private SerfCodec() {
    }

    // ---- encoding -------------------------------------------------------------------------------

    /**
     * Type byte + msgpack, byte for byte as Go's {@code encodeMessage} writes it.
     *
     * @throws IllegalArgumentException if a field is outside its Go type's range (e.g. a port above 65535)
     */
    public static byte[] encode(SerfMessage m) {
        MsgpackWriter w = MsgpackWriter.gossip();
        w.writeByte(m.type().code());
        switch (m) {
            case Leave l -> {
                w.writeMapHeader(3);
                w.writeKey("LTime").writeUint64(l.lTime());
                w.writeKey("Node").writeString(l.node());
                w.writeKey("Prune").writeBool(l.prune());
            }
            case Join j -> {
                w.writeMapHeader(2);
                w.writeKey("LTime").writeUint64(j.lTime());
                w.writeKey("Node").writeString(j.node());
            }
            case PushPull p -> writePushPull(w, p);
            case UserEvent e -> {
                w.writeMapHeader(4);
                w.writeKey("CC").writeBool(e.cc());
                w.writeKey("LTime").writeUint64(e.lTime());
                w.writeKey("Name").writeString(e.name());
                w.writeKey("Payload").writeBytes(e.payload());
            }
            case Query q -> writeQuery(w, q);
            case QueryResponse r -> {
                w.writeMapHeader(5);
                w.writeKey("Flags").writeUint64(uint32(r.flags(), "Flags"));
                w.writeKey("From").writeString(r.from());
                w.writeKey("ID").writeUint64(uint32(r.id(), "ID"));
                w.writeKey("LTime").writeUint64(r.lTime());
                w.writeKey("Payload").writeBytes(r.payload());
            }
            case ConflictResponse c -> writeMember(w, c.member());
            case KeyRequest k -> {
                w.writeMapHeader(1);
                w.writeKey("Key").writeBytes(k.key());
            }
            case KeyResponse k -> {
                w.writeMapHeader(4);
                w.writeKey("Keys");
                if (k.keys() == null) {
                    w.writeNil();
                } else {
                    w.writeArrayHeader(k.keys().size());
                    k.keys().forEach(w::writeString);
                }
                w.writeKey("Message").writeString(k.message());
                w.writeKey("PrimaryKey").writeString(k.primaryKey());
                w.writeKey("Result").writeBool(k.result());
            }
            case Relay r -> {
                w.writeMapHeader(2);
                w.writeKey("DestAddr").writeMapHeader(3);
                w.writeKey("IP").writeBytes(r.destAddr());
                w.writeKey("Port").writeInt(r.destPort());
                w.writeKey("Zone").writeString(r.destZone());
                w.writeKey("DestName").writeString(r.destName());
                if (r.inner() != null) {
                    w.writeRaw(r.inner());
                }
            }
        }
        return w.toByteArray();
    }

    private static void writePushPull(MsgpackWriter w, PushPull p) {
        w.writeMapHeader(6);
        w.writeKey("EventLTime").writeUint64(p.eventLTime());
        w.writeKey("Events");
        List<UserEventCollection> events = p.events() == null ? List.of() : p.events();
        w.writeArrayHeader(events.size());
        for (UserEventCollection slot : events) {
            if (slot == null) {
                w.writeNil();
                continue;
            }
            w.writeMapHeader(2);
            w.writeKey("Events");
            List<UserEventData> data = slot.events() == null ? List.of() : slot.events();
            w.writeArrayHeader(data.size());
            for (UserEventData d : data) {
                w.writeMapHeader(2);
                w.writeKey("Name").writeString(d == null ? "" : d.name());
                w.writeKey("Payload").writeBytes(d == null ? null : d.payload());
            }
            w.writeKey("LTime").writeUint64(slot.lTime());
        }
        w.writeKey("LTime").writeUint64(p.lTime());
        w.writeKey("LeftMembers");
        List<String> left = p.leftMembers() == null ? List.of() : p.leftMembers();
        w.writeArrayHeader(left.size()); // Go always sends a (possibly empty) array here, never nil
        left.forEach(w::writeString);
        w.writeKey("QueryLTime").writeUint64(p.queryLTime());
        w.writeKey("StatusLTimes");
        Map<String, Long> status = p.statusLTimes() == null ? Map.of() : p.statusLTimes();
        List<String> names = new ArrayList<>(status.keySet());
        names.sort(GoStruct.GO_ORDER);
        w.writeMapHeader(names.size());
        for (String n : names) {
            Long t = status.get(n);
            w.writeString(n).writeUint64(t == null ? 0 : t);
        }
    }

    private static void writeQuery(MsgpackWriter w, Query q) {
        w.writeMapHeader(11);
        w.writeKey("Addr").writeBytes(q.addr());
        w.writeKey("Filters");
        if (q.filters() == null) {
            w.writeNil();
        } else {
            w.writeArrayHeader(q.filters().size());
            q.filters().forEach(w::writeBytes);
        }
        w.writeKey("Flags").writeUint64(uint32(q.flags(), "Flags"));
        w.writeKey("ID").writeUint64(uint32(q.id(), "ID"));
        w.writeKey("LTime").writeUint64(q.lTime());
        w.writeKey("Name").writeString(q.name());
        w.writeKey("Payload").writeBytes(q.payload());
        w.writeKey("Port").writeUint64(ranged(q.port(), 0xffff, "Port"));
        w.writeKey("RelayFactor").writeUint64(ranged(q.relayFactor(), 0xff, "RelayFactor"));
        w.writeKey("SourceNode").writeString(q.sourceNode());
        w.writeKey("Timeout").writeInt(q.timeoutNanos());
    }

    private static void writeMember(MsgpackWriter w, MemberRecord m) {
        if (m == null) {
            w.writeNil(); // Go encodes a nil *Member: "06 c0", the answer for an unknown name
            return;
        }
        w.writeMapHeader(11);
        w.writeKey("Addr").writeBytes(m.addr());
        w.writeKey("DelegateCur").writeUint64(ranged(m.delegateCur(), 0xff, "DelegateCur"));
        w.writeKey("DelegateMax").writeUint64(ranged(m.delegateMax(), 0xff, "DelegateMax"));
        w.writeKey("DelegateMin").writeUint64(ranged(m.delegateMin(), 0xff, "DelegateMin"));
        w.writeKey("Name").writeString(m.name());
        w.writeKey("Port").writeUint64(ranged(m.port(), 0xffff, "Port"));
        w.writeKey("ProtocolCur").writeUint64(ranged(m.protocolCur(), 0xff, "ProtocolCur"));
        w.writeKey("ProtocolMax").writeUint64(ranged(m.protocolMax(), 0xff, "ProtocolMax"));
        w.writeKey("ProtocolMin").writeUint64(ranged(m.protocolMin(), 0xff, "ProtocolMin"));
        w.writeKey("Status").writeInt(m.status());
        w.writeKey("Tags");
        GoStruct.writeStringMap(w, m.tags());
    }

    private static long uint32(long v, String field) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException(field + " out of uint32 range: " + v);
        }
        return v;
    }

    private static long ranged(int v, int max, String field) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(field + " out of range 0.." + max + ": " + v);
        }
        return v;
    }

    // ---- decoding -------------------------------------------------------------------------------

    /**
     * Decodes one message: {@code buf[off]} is the type byte. Bytes after the msgpack value are
     * ignored, except for a relay, where they are the inner message.
     *
     * @throws DecodeException for an empty buffer, an unknown type, or a malformed body
     */
    public static SerfMessage decode(byte[] buf, int off, int len) {
        MsgpackReader r = new MsgpackReader(buf, off, len, LIMITS);
        if (!r.hasRemaining()) {
            throw DecodeException.truncated("empty serf message", 0);
        }
        int code = r.readFixed(1)[0] & 0xff;
        SerfMessageType type = SerfMessageType.of(code);
        if (type == null) {
            throw new DecodeException("unknown serf message type " + code, 0);
        }
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

    /**
     * Decodes a key query payload as Go's key handlers do: {@code payload[1:]} as a keyRequest,
     * whatever byte 0 holds.
     *
     * @throws DecodeException if the payload is empty or its body malformed
     */
    public static KeyRequest decodeKeyRequestPayload(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw DecodeException.truncated("empty key request payload", 0);
        }
        MsgpackReader r = new MsgpackReader(payload, 0, payload.length, LIMITS);
        r.readFixed(1); // not checked, as in Go
        return readKeyRequest(r);
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

    private static KeyRequest readKeyRequest(MsgpackReader r) {
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
