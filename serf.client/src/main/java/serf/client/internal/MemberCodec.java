package serf.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import serf.client.Coordinate;
import serf.client.Member;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * The wire forms of the public {@link Member} and {@link Coordinate} records: Go structs written
 * with their fields in ascending name order, read leniently (see {@link Wire}).
 */
public final class MemberCodec {
    private static final List<String> MEMBER_FIELDS = List.of("Name", "Addr", "Port", "Tags", "Status",
            "ProtocolMin", "ProtocolMax", "ProtocolCur", "DelegateMin", "DelegateMax", "DelegateCur");
    private static final List<String> COORD_FIELDS = List.of("Vec", "Error", "Adjustment", "Height");

    private MemberCodec() {
    }

    /** Writes one member. */
    public static void encode(MsgpackWriter w, Member m) {
        w.writeMapHeader(11);
        w.writeKey("Addr").writeBytes(m.addr());
        w.writeKey("DelegateCur").writeInt(m.delegateCur());
        w.writeKey("DelegateMax").writeInt(m.delegateMax());
        w.writeKey("DelegateMin").writeInt(m.delegateMin());
        w.writeKey("Name").writeString(m.name());
        w.writeKey("Port").writeInt(m.port());
        w.writeKey("ProtocolCur").writeInt(m.protocolCur());
        w.writeKey("ProtocolMax").writeInt(m.protocolMax());
        w.writeKey("ProtocolMin").writeInt(m.protocolMin());
        w.writeKey("Status").writeString(m.status());
        w.writeKey("Tags");
        Wire.writeStringMap(w, m.tags());
    }

    /** Reads one member. */
    public static Member decode(MsgpackReader r) {
        var f = new Object() {
            String name = "";
            byte[] addr;
            int port;
            Map<String, String> tags;
            String status = "";
            int pMin;
            int pMax;
            int pCur;
            int dMin;
            int dMax;
            int dCur;
        };
        Wire.readStruct(r, MEMBER_FIELDS, (k, in) -> {
            switch (k) {
                case "Name" -> f.name = in.readString();
                case "Addr" -> f.addr = in.readBytes();
                case "Port" -> f.port = in.readUint16();
                case "Tags" -> f.tags = Wire.readStringMap(in);
                case "Status" -> f.status = in.readString();
                case "ProtocolMin" -> f.pMin = in.readUint8();
                case "ProtocolMax" -> f.pMax = in.readUint8();
                case "ProtocolCur" -> f.pCur = in.readUint8();
                case "DelegateMin" -> f.dMin = in.readUint8();
                case "DelegateMax" -> f.dMax = in.readUint8();
                case "DelegateCur" -> f.dCur = in.readUint8();
                default -> in.skip();
            }
        });
        return new Member(f.name, f.addr, f.port, f.tags, f.status, f.pMin, f.pMax, f.pCur, f.dMin, f.dMax, f.dCur);
    }

    /** Writes a list of members; null is Go's nil slice. */
    public static void encodeList(MsgpackWriter w, List<Member> members) {
        if (members == null) {
            w.writeNil();
            return;
        }
        w.writeArrayHeader(members.size());
        for (Member m : members) {
            encode(w, m);
        }
    }

    /** Reads a list of members; nil is null. */
    public static List<Member> decodeList(MsgpackReader r) {
        int n = r.readArrayHeader();
        if (n < 0) {
            return null;
        }
        var out = new ArrayList<Member>(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            out.add(decode(r));
        }
        return out;
    }

    /** Writes a coordinate. */
    public static void encode(MsgpackWriter w, Coordinate c) {
        w.writeMapHeader(4);
        w.writeKey("Adjustment").writeFloat64(c.adjustment());
        w.writeKey("Error").writeFloat64(c.error());
        w.writeKey("Height").writeFloat64(c.height());
        w.writeKey("Vec");
        Wire.writeDoubleList(w, c.vec());
    }

    /** Reads a coordinate. */
    public static Coordinate decodeCoordinate(MsgpackReader r) {
        var f = new Object() {
            List<Double> vec;
            double error;
            double adjustment;
            double height;
        };
        Wire.readStruct(r, COORD_FIELDS, (k, in) -> {
            switch (k) {
                case "Vec" -> f.vec = Wire.readDoubleList(in);
                case "Error" -> f.error = in.readDouble();
                case "Adjustment" -> f.adjustment = in.readDouble();
                case "Height" -> f.height = in.readDouble();
                default -> in.skip();
            }
        });
        return new Coordinate(f.vec, f.error, f.adjustment, f.height);
    }
}
