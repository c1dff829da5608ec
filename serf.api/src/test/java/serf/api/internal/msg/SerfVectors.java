package serf.api.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
import serf.wire.json.Json;

/** The Serf vector files, and a comparison of decoded messages with their documented {@code decoded} JSON. */
public final class SerfVectors {
    public static final Path ROOT = serf.testkit.TestVectors.root().resolve("serf");
    public static final HexFormat HEX = HexFormat.of();

    private SerfVectors() {
    }

    public static Object load(String relative) {
        try {
            return Json.parse(Files.readString(ROOT.resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** messages.json, in file order. */
    public static List<Map<String, Object>> messages() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : list(load("messages.json"))) {
            out.add(map(o));
        }
        return out;
    }

    public static List<Map<String, Object>> messages(String kind) {
        return messages().stream().filter(v -> kind.equals(v.get("kind"))).toList();
    }

    public static Map<String, Object> message(String id) {
        return messages().stream().filter(v -> id.equals(v.get("id"))).findFirst().orElseThrow();
    }

    public static byte[] bytes(Map<String, Object> vector) {
        return HEX.parseHex((String) vector.get("hex"));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    /** A JSON byte field: {@code "hex:..."}, a UTF-8 string, or null. */
    public static byte[] jsonBytes(Object o) {
        if (o == null) {
            return null;
        }
        String s = (String) o;
        return s.startsWith("hex:") ? HEX.parseHex(s.substring(4)) : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The message as the vectors' {@code body} shows it: Go field names, byte fields as byte[]. */
    public static Object body(SerfMessage m) {
        Map<String, Object> b = new LinkedHashMap<>();
        switch (m) {
            case Leave l -> {
                b.put("LTime", l.lTime());
                b.put("Node", l.node());
                b.put("Prune", l.prune());
            }
            case Join j -> {
                b.put("LTime", j.lTime());
                b.put("Node", j.node());
            }
            case PushPull p -> {
                b.put("EventLTime", p.eventLTime());
                List<Object> ring = new ArrayList<>();
                for (UserEventCollection slot : p.events()) {
                    if (slot == null) {
                        ring.add(null);
                        continue;
                    }
                    List<Object> evs = new ArrayList<>();
                    for (UserEventData d : slot.events()) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("Name", d.name());
                        e.put("Payload", d.payload());
                        evs.add(e);
                    }
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("Events", evs);
                    s.put("LTime", slot.lTime());
                    ring.add(s);
                }
                b.put("Events", ring);
                b.put("LTime", p.lTime());
                b.put("LeftMembers", p.leftMembers());
                b.put("QueryLTime", p.queryLTime());
                b.put("StatusLTimes", p.statusLTimes());
            }
            case UserEvent e -> {
                b.put("CC", e.cc());
                b.put("LTime", e.lTime());
                b.put("Name", e.name());
                b.put("Payload", e.payload());
            }
            case Query q -> {
                b.put("Addr", q.addr());
                b.put("Filters", q.filters());
                b.put("Flags", q.flags());
                b.put("ID", q.id());
                b.put("LTime", q.lTime());
                b.put("Name", q.name());
                b.put("Payload", q.payload());
                b.put("Port", q.port());
                b.put("RelayFactor", q.relayFactor());
                b.put("SourceNode", q.sourceNode());
                b.put("Timeout", q.timeoutNanos());
            }
            case QueryResponse r -> {
                b.put("Flags", r.flags());
                b.put("From", r.from());
                b.put("ID", r.id());
                b.put("LTime", r.lTime());
                b.put("Payload", r.payload());
            }
            case ConflictResponse c -> {
                MemberRecord mr = c.member();
                if (mr == null) {
                    return null;
                }
                b.put("Addr", mr.addr());
                b.put("DelegateCur", mr.delegateCur());
                b.put("DelegateMax", mr.delegateMax());
                b.put("DelegateMin", mr.delegateMin());
                b.put("Name", mr.name());
                b.put("Port", mr.port());
                b.put("ProtocolCur", mr.protocolCur());
                b.put("ProtocolMax", mr.protocolMax());
                b.put("ProtocolMin", mr.protocolMin());
                b.put("Status", mr.status());
                b.put("Tags", mr.tags());
            }
            case KeyRequest k -> b.put("Key", k.key());
            case KeyResponse k -> {
                b.put("Keys", k.keys());
                b.put("Message", k.message());
                b.put("PrimaryKey", k.primaryKey());
                b.put("Result", k.result());
            }
            case Relay r -> {
                Map<String, Object> addr = new LinkedHashMap<>();
                addr.put("IP", r.destAddr());
                addr.put("Port", r.destPort());
                addr.put("Zone", r.destZone());
                b.put("DestAddr", addr);
                b.put("DestName", r.destName());
            }
        }
        return b;
    }

    /** {@link #body} with byte arrays as hex and maps sorted, so that equal messages give equal values. */
    public static Object canon(Object o) {
        return switch (o) {
            case byte[] b -> "hex:" + HEX.formatHex(b);
            case Map<?, ?> m -> {
                Map<String, Object> out = new java.util.TreeMap<>();
                m.forEach((k, v) -> out.put(String.valueOf(k), canon(v)));
                yield out;
            }
            case List<?> l -> l.stream().map(x -> x == null ? "<nil>" : canon(x)).toList();
            case SerfMessage m -> {
                Map<String, Object> out = new java.util.TreeMap<>();
                out.put("type", m.type().code());
                out.put("body", canon(body(m)));
                if (m instanceof Relay r) {
                    out.put("inner", canon(r.inner()));
                }
                yield out;
            }
            case null -> "<nil>";
            default -> o;
        };
    }

    /**
     * Asserts that {@code actual} (built by {@link #body}) equals the vector JSON {@code expected}:
     * maps by key set, byte arrays against "hex:"/UTF-8 strings, numbers by value.
     */
    public static void assertMatches(Object actual, Object expected, String path) {
        if (expected == null) {
            assertThat(actual).as(path).isNull();
            return;
        }
        switch (actual) {
            case null -> throw new AssertionError(path + ": expected " + expected + " but was null");
            case byte[] b -> assertThat(b).as(path).isEqualTo(jsonBytes(expected));
            case Number n -> assertThat(n.longValue()).as(path).isEqualTo(((Number) expected).longValue());
            case Map<?, ?> m -> {
                Map<String, Object> e = map(expected);
                assertThat(new java.util.HashSet<Object>(m.keySet())).as(path + " keys").isEqualTo(new java.util.HashSet<Object>(e.keySet()));
                for (Map.Entry<String, Object> en : e.entrySet()) {
                    assertMatches(m.get(en.getKey()), en.getValue(), path + "." + en.getKey());
                }
            }
            case List<?> l -> {
                List<Object> e = list(expected);
                assertThat(l).as(path + " size").hasSize(e.size());
                for (int i = 0; i < l.size(); i++) {
                    assertMatches(l.get(i), e.get(i), path + "[" + i + "]");
                }
            }
            default -> assertThat(actual).as(path).isEqualTo(expected);
        }
    }
}
