package serf.api.internal.msg;

import java.util.ArrayList;
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
import serf.wire.MsgpackWriter;

/**
 * The encoding half of {@link SerfCodec}: each message as the msgpack of its Go struct, fields in
 * ascending name order and Go maps in sorted key order, so the bytes are Go's.
 */
final class SerfWriter {
    private SerfWriter() {
    }

    /** Writes the body of {@code m} (after its type byte). */
    static void write(MsgpackWriter w, SerfMessage m) {
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
}
