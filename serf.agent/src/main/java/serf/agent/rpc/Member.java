package serf.agent.rpc;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * A cluster member as the agent reports it. {@code addr} is the raw IP (4 bytes for IPv4, 16 for
 * IPv6; null when absent); {@code tags} null means Go's nil map (the agent sends {@code {}} for a
 * member without tags). Protocol numbers are Go uint8s: {@code protocol*} are memberlist's,
 * {@code delegate*} Serf's.
 */
public record Member(String name, byte[] addr, int port, Map<String, String> tags, String status,
                     int protocolMin, int protocolMax, int protocolCur,
                     int delegateMin, int delegateMax, int delegateCur) {

    private static final List<String> DECLARED = List.of("Name", "Addr", "Port", "Tags", "Status",
            "ProtocolMin", "ProtocolMax", "ProtocolCur", "DelegateMin", "DelegateMax", "DelegateCur");

    public Member {
        name = Wire.str(name);
        status = Wire.str(status);
        tags = Wire.copy(tags);
        addr = addr == null ? null : addr.clone();
    }

    @Override
    public byte[] addr() {
        return addr == null ? null : addr.clone();
    }

    /** Fields in ascending name order, as Go writes a struct. */
    public void encode(MsgpackWriter w) {
        w.writeMapHeader(11);
        w.writeKey("Addr").writeBytes(addr);
        w.writeKey("DelegateCur").writeInt(delegateCur);
        w.writeKey("DelegateMax").writeInt(delegateMax);
        w.writeKey("DelegateMin").writeInt(delegateMin);
        w.writeKey("Name").writeString(name);
        w.writeKey("Port").writeInt(port);
        w.writeKey("ProtocolCur").writeInt(protocolCur);
        w.writeKey("ProtocolMax").writeInt(protocolMax);
        w.writeKey("ProtocolMin").writeInt(protocolMin);
        w.writeKey("Status").writeString(status);
        w.writeKey("Tags");
        Wire.writeStringMap(w, tags);
    }

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
        Wire.readStruct(r, DECLARED, (k, in) -> {
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

    static void encodeList(MsgpackWriter w, List<Member> members) {
        if (members == null) {
            w.writeNil();
            return;
        }
        w.writeArrayHeader(members.size());
        for (Member m : members) {
            m.encode(w);
        }
    }

    static List<Member> decodeList(MsgpackReader r) {
        int n = r.readArrayHeader();
        if (n < 0) {
            return null;
        }
        var out = new java.util.ArrayList<Member>(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            out.add(decode(r));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Member m && name.equals(m.name) && Arrays.equals(addr, m.addr) && port == m.port
                && Objects.equals(tags, m.tags) && status.equals(m.status)
                && protocolMin == m.protocolMin && protocolMax == m.protocolMax && protocolCur == m.protocolCur
                && delegateMin == m.delegateMin && delegateMax == m.delegateMax && delegateCur == m.delegateCur;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(addr), port, tags, status, protocolMin, protocolMax, protocolCur,
                delegateMin, delegateMax, delegateCur);
    }

    @Override
    public String toString() {
        return "Member[" + name + " " + Wire.hex(addr) + ":" + port + " " + status + " tags=" + tags
                + " protocol=" + protocolMin + "/" + protocolMax + "/" + protocolCur
                + " delegate=" + delegateMin + "/" + delegateMax + "/" + delegateCur + "]";
    }
}
