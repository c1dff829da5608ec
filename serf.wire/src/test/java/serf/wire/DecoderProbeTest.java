package serf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static serf.wire.TestBytes.hex;
import static serf.wire.TestBytes.toHex;
import static serf.wire.Vectors.str;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * The hand-made bodies of decoder_probes.json, decoded the way the struct codecs of the other modules
 * decode (by name, with the typed reader methods). Everything Go accepts, we accept with the same
 * values. Where Go rejects, we reject too except for the cases listed in {@link #GO_REJECTS_WE_ACCEPT}.
 */
class DecoderProbeTest {

    /**
     * Go's default handle refuses bin for a Go {@code string}; our {@code readString} accepts it because
     * the RPC handle (and third-party RPC clients) need exactly that, and accepting more is harmless.
     */
    private static final Set<String> GO_REJECTS_WE_ACCEPT = Set.of("ping_node_as_bin");

    private enum Kind { STRING, BYTES, VSN, U16, U32, INT, BOOL }

    /** Field name → kind, in Go declaration order (the order a struct sent as an array uses). */
    private static final Map<String, Map<String, Kind>> STRUCTS = Map.of(
            "ping", ordered("SeqNo", Kind.U32, "Node", Kind.STRING, "SourceAddr", Kind.BYTES,
                    "SourcePort", Kind.U16, "SourceNode", Kind.STRING),
            "alive", ordered("Incarnation", Kind.U32, "Node", Kind.STRING, "Addr", Kind.BYTES, "Port", Kind.U16,
                    "Meta", Kind.BYTES, "Vsn", Kind.VSN),
            "indirect", ordered("SeqNo", Kind.U32, "Nack", Kind.BOOL),
            "pushpull", ordered("Nodes", Kind.INT, "UserStateLen", Kind.INT, "Join", Kind.BOOL));

    @Test
    void probes() {
        int accepted = 0;
        int rejected = 0;
        for (Map<String, Object> p : Vectors.probes()) {
            String name = str(p, "name");
            byte[] input = hex(str(p, "input_hex"));
            boolean goAccepts = Boolean.TRUE.equals(p.get("go_accepts"));
            if (name.startsWith("compound_")) {
                // Not a msgpack body (compound framing, tested with memberlist); the codec must still not crash on it.
                assertDecodeExceptionOrValue(input);
                continue;
            }
            Map<String, Kind> struct = STRUCTS.get(name.substring(0, name.indexOf('_')));
            assertThat(struct).as(name).isNotNull();
            if (goAccepts) {
                Map<String, Object> got = decodeStruct(input, struct);
                Map<String, Object> expected = Vectors.map(p.get("decoded"));
                assertThat(got).as(name).containsExactlyInAnyOrderEntriesOf(expected);
                // And the generic tree reader sees one whole value.
                MsgpackReader r = new MsgpackReader(input);
                r.readValue();
                r.expectEnd();
                accepted++;
            } else if (GO_REJECTS_WE_ACCEPT.contains(name)) {
                assertThat(decodeStruct(input, struct)).as(name).isNotEmpty();
            } else {
                assertThatThrownBy(() -> decodeStruct(input, struct)).as(name + ": " + p.get("go_error"))
                        .isInstanceOf(DecodeException.class);
                rejected++;
            }
        }
        assertThat(accepted).isEqualTo(14);
        assertThat(rejected).isEqualTo(5);
    }

    /**
     * A struct decoder written against the reader API the way the message codecs use it: a map keyed
     * by exact field name (unknown keys skipped, missing ones left zero), or, as Go also allows, an
     * array in declaration order. The result is in the probes' printed form.
     */
    private static Map<String, Object> decodeStruct(byte[] input, Map<String, Kind> struct) {
        Map<String, Object> out = new LinkedHashMap<>();
        struct.forEach((field, kind) -> out.put(field, zero(kind)));
        MsgpackReader r = new MsgpackReader(input);
        if (r.peekFormat() == MsgpackFormat.ARRAY) {
            int n = r.readArrayHeader();
            List<String> fields = List.copyOf(struct.keySet());
            for (int i = 0; i < n; i++) {
                if (i < fields.size()) {
                    out.put(fields.get(i), read(r, struct.get(fields.get(i))));
                } else {
                    r.skip();
                }
            }
        } else {
            int n = r.readMapHeader();
            for (int i = 0; i < n; i++) {
                String key = r.readString();
                Kind kind = struct.get(key);
                if (kind == null) {
                    r.skip();
                } else {
                    out.put(key, read(r, kind));
                }
            }
        }
        r.expectEnd();
        return out;
    }

    private static Object read(MsgpackReader r, Kind kind) {
        return switch (kind) {
            case STRING -> r.readString();
            case BYTES -> {
                byte[] b = r.readBytes();
                yield b == null ? "" : toHex(b);
            }
            case VSN -> goSlice(r.readBytes());
            case U16 -> (long) r.readUint16();
            case U32 -> r.readUint32();
            case INT -> r.readLong();
            case BOOL -> r.readBool();
        };
    }

    private static Object zero(Kind kind) {
        return switch (kind) {
            case STRING, BYTES -> "";
            case VSN -> "[]";
            case U16, U32, INT -> 0L;
            case BOOL -> false;
        };
    }

    /** Go's %v of a []uint8: "[1 5 2 2 5 4]". */
    private static String goSlice(byte[] b) {
        StringJoiner j = new StringJoiner(" ", "[", "]");
        if (b != null) {
            for (byte x : b) {
                j.add(Integer.toString(x & 0xff));
            }
        }
        return j.toString();
    }

    private static void assertDecodeExceptionOrValue(byte[] input) {
        try {
            new MsgpackReader(input).readValue();
        } catch (DecodeException expected) {
            // fine: malformed as msgpack
        }
    }

    private static Map<String, Kind> ordered(Object... pairs) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Kind) pairs[i + 1]);
        }
        return m;
    }
}
