package serf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static serf.wire.TestBytes.hex;
import static serf.wire.TestBytes.toHex;
import static serf.wire.Vectors.list;
import static serf.wire.Vectors.map;
import static serf.wire.Vectors.str;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Every msgpack value in the shared vectors (real Go bytes) decodes to what the vector files say,
 * and re-encoding the decoded tree reproduces Go's bytes exactly where Go's output is deterministic.
 */
class MsgpackVectorTest {

    // ---- memberlist/messages.json -------------------------------------------------------------

    @Test
    void memberlistMessages() {
        int checked = 0;
        for (Map<String, Object> v : Vectors.memberlistMessages()) {
            String name = str(v, "name");
            Map<String, Object> decoded = map(v, "decoded");
            boolean wrapped = decoded.containsKey("encryption") || decoded.containsKey("encrypted_stream");
            byte[] message = hex(wrapped ? str(decoded, "plaintext_hex") : str(v, "wire_hex"));
            checked += checkMemberlistMessage(name, message, map(decoded, "message"));
        }
        assertThat(checked).as("msgpack values checked").isGreaterThan(60);
    }

    /** Decodes one memberlist message (type byte + body) against its structural decode; returns values checked. */
    private static int checkMemberlistMessage(String name, byte[] msg, Map<String, Object> d) {
        int type = msg[0] & 0xff;
        assertThat(type).as(name).isEqualTo(((Long) d.get("type")).intValue());
        MsgpackReader r = new MsgpackReader(msg, 1, msg.length - 1, DecodeLimits.DEFAULT);
        switch (type) {
            case 7 -> { // compound: count, u16 lengths, parts
                ByteBuffer b = ByteBuffer.wrap(msg, 1, msg.length - 1);
                int n = b.get() & 0xff;
                List<Object> lengths = list(d, "lengths");
                List<Object> parts = list(d, "parts");
                assertThat(n).as(name).isEqualTo(lengths.size()).isEqualTo(parts.size());
                int[] lens = new int[n];
                for (int i = 0; i < n; i++) {
                    lens[i] = b.getShort() & 0xffff;
                    assertThat((long) lens[i]).isEqualTo(lengths.get(i));
                }
                int checked = 0;
                for (int i = 0; i < n; i++) {
                    byte[] part = new byte[lens[i]];
                    b.get(part);
                    checked += checkMemberlistMessage(name + " part " + i, part, map(parts.get(i)));
                }
                return checked;
            }
            case 12 -> { // hasCrc: u32 CRC, then the inner message
                CRC32 crc = new CRC32();
                crc.update(msg, 5, msg.length - 5);
                assertThat(String.format("%08x", crc.getValue())).as(name).isEqualTo(str(d, "crc"));
                return checkMemberlistMessage(name + " inner", Arrays.copyOfRange(msg, 5, msg.length), map(d, "inner"));
            }
            case 9 -> { // compress {Algo, Buf}: the LZW itself is another module's business
                MsgValue.Map body = (MsgValue.Map) checkedValue(name, r, StringEncoding.GOSSIP_RAW);
                r.expectEnd();
                assertStructKeys(name, body, List.of("Algo", "Buf"));
                assertThat(body.get("Algo")).isEqualTo(new MsgValue.Int((Long) d.get("Algo"), true));
                assertThat(((MsgValue.Str) body.get("Buf")).bytes()).hasSize(((Long) d.get("compressed_len")).intValue());
                if (d.get("inner") != null) {
                    return 1 + checkMemberlistMessage(name + " decompressed", hex(str(d, "decompressed_hex")), map(d, "inner"));
                }
                return 1;
            }
            case 6 -> { // pushPull stream: header, Nodes x state, user state bytes
                MsgValue.Map header = (MsgValue.Map) checkedValue(name, r, StringEncoding.GOSSIP_RAW);
                assertMemberlistFields(name, header, map(d, "header"));
                int nodes = (int) ((MsgValue.Int) header.get("Nodes")).value();
                List<Object> expected = list(d, "nodes");
                assertThat(nodes).isEqualTo(expected.size());
                for (int i = 0; i < nodes; i++) {
                    MsgValue.Map state = (MsgValue.Map) checkedValue(name, r, StringEncoding.GOSSIP_RAW);
                    assertMemberlistFields(name + " node " + i, state, map(expected.get(i)));
                    assertVsn(name, state);
                }
                assertThat(toHex(r.remainingBytes())).isEqualTo(str(d, "user_state_hex"));
                return 1 + nodes;
            }
            case 8 -> { // user: bare bytes in a packet, {UserMsgLen} + bytes on a stream
                if (d.containsKey("header")) {
                    MsgValue.Map header = (MsgValue.Map) checkedValue(name, r, StringEncoding.GOSSIP_RAW);
                    assertMemberlistFields(name, header, map(d, "header"));
                    assertThat(toHex(r.remainingBytes())).isEqualTo(str(d, "body_hex"));
                    return 1;
                }
                assertThat(toHex(r.remainingBytes())).isEqualTo(str(d, "body_hex"));
                return 0;
            }
            default -> {
                MsgValue.Map body = (MsgValue.Map) checkedValue(name, r, StringEncoding.GOSSIP_RAW);
                r.expectEnd();
                assertMemberlistFields(name, body, map(d, "fields"));
                checkDocumentedFields(name, type, body);
                return 1;
            }
        }
    }

    /** The facts docs/protocol/memberlist-wire.md §0.3 spells out about particular vectors, checked on the decoded tree. */
    private static void checkDocumentedFields(String name, int type, MsgValue.Map body) {
        switch (type) {
            case 0 -> { // ping
                assertThat(body.get("SeqNo")).isInstanceOf(MsgValue.Int.class);
                if (name.contains("ping_minimal")) {
                    assertStructKeys(name, body, List.of("Node", "SeqNo")); // Source* omitted when empty
                    assertThat(body.get("Node")).isEqualTo(new MsgValue.Str(new byte[0]));
                    assertThat(body.get("SeqNo")).isEqualTo(new MsgValue.Int(7, true));
                } else {
                    assertStructKeys(name, body, List.of("Node", "SeqNo", "SourceAddr", "SourceNode", "SourcePort"));
                    assertThat(body.get("SeqNo")).isEqualTo(new MsgValue.Int(42, true));
                    assertThat(body.get("SourceAddr")).isEqualTo(new MsgValue.Str(hex("7f000001")));
                    assertThat(body.get("SourcePort")).isEqualTo(new MsgValue.Int(7946, true));
                }
            }
            case 2 -> { // ack: nil vs empty Payload
                MsgValue payload = body.get("Payload");
                if (name.contains("nil_payload")) {
                    assertThat(payload).isEqualTo(MsgValue.Nil.INSTANCE);
                } else if (name.contains("empty_payload")) {
                    assertThat(payload).isEqualTo(new MsgValue.Str(new byte[0]));
                } else {
                    assertThat(payload).isInstanceOf(MsgValue.Str.class);
                }
            }
            case 4 -> assertVsn(name, body);
            default -> {
            }
        }
    }

    /** Vsn is a 6-byte raw string, not an array. */
    private static void assertVsn(String name, MsgValue.Map body) {
        assertThat(body.get("Vsn")).as(name).isInstanceOfSatisfying(MsgValue.Str.class,
                s -> assertThat(s.bytes()).hasSize(6).startsWith(1, 5, 2));
    }

    /** Go writes struct fields as raw-string keys in ascending byte order. */
    private static void assertStructKeys(String name, MsgValue.Map body, List<String> expected) {
        List<String> keys = new ArrayList<>();
        for (MsgValue.Entry e : body.entries()) {
            keys.add(((MsgValue.Str) e.key()).text());
        }
        assertThat(keys).as(name).isEqualTo(expected);
    }

    private static void assertMemberlistFields(String name, MsgValue.Map body, Map<String, Object> fields) {
        Map<String, Object> expected = new LinkedHashMap<>(fields);
        expected.remove("serf_tags"); // a convenience decode of Meta, not a struct field
        assertStructKeys(name, body, expected.keySet().stream().sorted().toList());
        for (Map.Entry<String, Object> f : expected.entrySet()) {
            assertMemberlistValue(name + "." + f.getKey(), body.get(f.getKey()), f.getValue());
        }
    }

    /** The memberlist decode form: raw values as {"raw_text", "hex"} or {"hex"}, integers as numbers. */
    private static void assertMemberlistValue(String path, MsgValue actual, Object expected) {
        switch (expected) {
            case null -> assertThat(actual).as(path).isEqualTo(MsgValue.Nil.INSTANCE);
            case Boolean b -> assertThat(actual).as(path).isEqualTo(new MsgValue.Bool(b));
            case Long l -> assertThat(actual).as(path).isEqualTo(new MsgValue.Int(l, l >= 0));
            case Map<?, ?> m when m.containsKey("hex") -> {
                // Go's default handle writes strings and []byte alike as raw, never bin.
                assertThat(actual).as(path).isInstanceOf(MsgValue.Str.class);
                assertThat(toHex(((MsgValue.Str) actual).bytes())).as(path).isEqualTo(m.get("hex"));
                if (m.containsKey("raw_text")) {
                    assertThat(((MsgValue.Str) actual).text()).as(path).isEqualTo(m.get("raw_text"));
                }
            }
            default -> fail("unexpected decode form at " + path + ": " + expected);
        }
    }

    // ---- serf/messages.json -------------------------------------------------------------------

    @Test
    void serfMessages() {
        int checked = 0;
        Set<String> kinds = new HashSet<>();
        for (Map<String, Object> v : Vectors.serfMessages()) {
            String id = str(v, "id");
            String kind = str(v, "kind");
            kinds.add(kind);
            byte[] bytes = hex(str(v, "hex"));
            assertThat((long) bytes.length).as(id).isEqualTo(v.get("length"));
            Map<String, Object> d = map(v, "decoded");
            switch (kind) {
                case "serf-message", "serf-payload" -> checked += checkSerfMessage(id, bytes, d);
                case "node-meta" -> {
                    if (d.containsKey("magic")) {
                        assertThat(bytes[0]).isEqualTo((byte) 0xff);
                        MsgpackReader r = new MsgpackReader(bytes, 1, bytes.length - 1, DecodeLimits.DEFAULT);
                        assertSerfValue(id, checkedValue(id, r, StringEncoding.GOSSIP_RAW), d.get("tags"));
                        r.expectEnd();
                        checked++;
                    } else { // protocol 2: the bare role, not msgpack
                        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(d.get("roleOnly"));
                    }
                }
                case "ack-payload" -> {
                    assertThat((long) bytes[0]).isEqualTo(d.get("version"));
                    MsgpackReader r = new MsgpackReader(bytes, 1, bytes.length - 1, DecodeLimits.DEFAULT);
                    assertSerfValue(id, checkedValue(id, r, StringEncoding.GOSSIP_RAW), d.get("coordinate"));
                    r.expectEnd();
                    checked++;
                }
                case "filter" -> {
                    checkFilter(id, bytes, d);
                    checked++;
                }
                default -> fail("unknown kind " + kind + " in " + id);
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder("serf-message", "serf-payload", "node-meta", "ack-payload", "filter");
        assertThat(checked).isGreaterThan(60);
    }

    private static int checkSerfMessage(String id, byte[] bytes, Map<String, Object> d) {
        assertThat((long) (bytes[0] & 0xff)).as(id).isEqualTo(d.get("type"));
        MsgpackReader r = new MsgpackReader(bytes, 1, bytes.length - 1, DecodeLimits.DEFAULT);
        MsgValue first = checkedValue(id, r, StringEncoding.GOSSIP_RAW);
        if (d.containsKey("inner")) { // relay: header, then a whole message
            assertSerfValue(id + ".header", first, d.get("header"));
            return 1 + checkSerfMessage(id + " inner", r.remainingBytes(), map(d, "inner"));
        }
        r.expectEnd();
        assertSerfValue(id + ".body", first, d.get("body"));
        int checked = 1;
        if (d.containsKey("payloadDecoded")) {
            byte[] payload = ((MsgValue.Str) ((MsgValue.Map) first).get("Payload")).bytes();
            checked += checkSerfMessage(id + " payload", payload, map(d, "payloadDecoded"));
        }
        if (d.containsKey("filtersDecoded")) {
            List<MsgValue> filters = ((MsgValue.Array) ((MsgValue.Map) first).get("Filters")).elements();
            List<Object> expected = list(d, "filtersDecoded");
            assertThat(filters).hasSize(expected.size());
            for (int i = 0; i < filters.size(); i++) {
                checkFilter(id + " filter " + i, ((MsgValue.Str) filters.get(i)).bytes(), map(expected.get(i)));
                checked++;
            }
        }
        return checked;
    }

    private static void checkFilter(String id, byte[] bytes, Map<String, Object> d) {
        assertThat((long) bytes[0]).as(id).isEqualTo(d.get("filterType"));
        MsgpackReader r = new MsgpackReader(bytes, 1, bytes.length - 1, DecodeLimits.DEFAULT);
        assertSerfValue(id, checkedValue(id, r, StringEncoding.GOSSIP_RAW), d.get("value"));
        r.expectEnd();
    }

    /**
     * The serf decode form: raw values as their text, or "hex:..." when they are binary; floats and
     * integers as numbers; maps compared by content (Go map order is random).
     */
    private static void assertSerfValue(String path, MsgValue actual, Object expected) {
        switch (expected) {
            case null -> assertThat(actual).as(path).isEqualTo(MsgValue.Nil.INSTANCE);
            case Boolean b -> assertThat(actual).as(path).isEqualTo(new MsgValue.Bool(b));
            case Long l -> assertThat(actual).as(path).isEqualTo(new MsgValue.Int(l, l >= 0));
            case Double x -> {
                assertThat(actual).as(path).isInstanceOf(MsgValue.Float.class);
                assertThat(((MsgValue.Float) actual).value()).as(path).isEqualTo(x);
                assertThat(((MsgValue.Float) actual).singlePrecision()).as(path).isFalse();
            }
            case String s when s.startsWith("hex:") -> assertThat(actual).as(path).isEqualTo(new MsgValue.Str(hex(s.substring(4))));
            case String s -> assertThat(actual).as(path).isEqualTo(MsgValue.Str.of(s));
            case List<?> l -> {
                assertThat(actual).as(path).isInstanceOf(MsgValue.Array.class);
                List<MsgValue> items = ((MsgValue.Array) actual).elements();
                assertThat(items).as(path).hasSize(l.size());
                for (int i = 0; i < l.size(); i++) {
                    assertSerfValue(path + "[" + i + "]", items.get(i), l.get(i));
                }
            }
            case Map<?, ?> m -> {
                assertThat(actual).as(path).isInstanceOf(MsgValue.Map.class);
                MsgValue.Map mv = (MsgValue.Map) actual;
                assertThat(mv.entries()).as(path).hasSize(m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    MsgValue value = mv.get((String) e.getKey());
                    assertThat(value).as(path + "." + e.getKey()).isNotNull();
                    assertSerfValue(path + "." + e.getKey(), value, e.getValue());
                }
            }
            default -> fail("unexpected decode form at " + path + ": " + expected);
        }
    }

    // ---- agent/*.json -------------------------------------------------------------------------

    @Test
    void agentRpcStreams() {
        int objects = 0;
        int reencoded = 0;
        for (Path file : Vectors.agentFiles()) {
            Object doc = Vectors.load(file);
            boolean goClient = str(doc, "client").startsWith("Go CLI");
            for (String direction : List.of("c2s", "s2c")) {
                String where = file.getFileName() + " " + direction;
                Map<String, Object> stream = map(map(doc, "streams"), direction);
                byte[] all = hex(str(stream, "all_hex"));
                // The RPC stream has no framing: measure must find each object's end in the concatenation.
                int at = 0;
                for (Object o : list(stream, "objects")) {
                    String objHex = str(o, "hex");
                    byte[] obj = hex(objHex);
                    int len = MsgpackReader.measure(all, at, all.length - at, DecodeLimits.DEFAULT);
                    assertThat(len).as("%s object at %d", where, at).isEqualTo(obj.length);
                    assertThat(Arrays.copyOfRange(all, at, at + len)).isEqualTo(obj);
                    at += len;

                    MsgpackReader r = new MsgpackReader(obj);
                    MsgValue value = r.readValue();
                    r.expectEnd();
                    assertAgentValue(where + " " + objHex, value, map(o).get("decoded"));
                    // Go's side (both directions of Go-CLI captures, the agent's side of all) is byte-stable
                    // through our tree: smallest forms, str8 and bin, wire order of map entries kept.
                    if (goClient || direction.equals("s2c")) {
                        assertThat(toHex(MsgpackWriter.rpc().writeValue(value).toByteArray())).as(where).isEqualTo(objHex);
                        reencoded++;
                    }
                    objects++;
                }
                assertThat(at).as(where).isEqualTo(all.length);
            }
        }
        assertThat(objects).isGreaterThan(300);
        assertThat(reencoded).isGreaterThan(250);
    }

    /** The agent decode form: str as JSON strings, bin as {"$bin": hex}. */
    private static void assertAgentValue(String path, MsgValue actual, Object expected) {
        switch (expected) {
            case null -> assertThat(actual).as(path).isEqualTo(MsgValue.Nil.INSTANCE);
            case Boolean b -> assertThat(actual).as(path).isEqualTo(new MsgValue.Bool(b));
            case Long l -> assertThat(actual).as(path).isInstanceOfSatisfying(MsgValue.Int.class,
                    i -> assertThat(i.value()).isEqualTo(l));
            case Double x -> assertThat(actual).as(path).isInstanceOfSatisfying(MsgValue.Float.class,
                    f -> assertThat(f.value()).isEqualTo(x));
            case String s -> assertThat(actual).as(path).isEqualTo(MsgValue.Str.of(s));
            case List<?> l -> {
                assertThat(actual).as(path).isInstanceOf(MsgValue.Array.class);
                List<MsgValue> items = ((MsgValue.Array) actual).elements();
                assertThat(items).as(path).hasSize(l.size());
                for (int i = 0; i < l.size(); i++) {
                    assertAgentValue(path + "[" + i + "]", items.get(i), l.get(i));
                }
            }
            case Map<?, ?> m when m.size() == 1 && m.containsKey("$bin") ->
                    assertThat(actual).as(path).isEqualTo(new MsgValue.Bin(hex((String) m.get("$bin"))));
            case Map<?, ?> m -> {
                assertThat(actual).as(path).isInstanceOf(MsgValue.Map.class);
                MsgValue.Map mv = (MsgValue.Map) actual;
                assertThat(mv.entries()).as(path).hasSize(m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    MsgValue value = mv.get((String) e.getKey());
                    assertThat(value).as(path + "." + e.getKey()).isNotNull();
                    assertAgentValue(path + "." + e.getKey(), value, e.getValue());
                }
            }
            default -> fail("unexpected decode form at " + path + ": " + expected);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * Reads one value and checks the codec's other views of it: skip and measure agree on its length,
     * and writing the tree back in Go's encoding gives exactly the bytes Go wrote.
     */
    static MsgValue checkedValue(String name, MsgpackReader r, StringEncoding encoding) {
        byte[] rest = r.remainingBytes();
        int before = r.position();
        MsgValue v = r.readValue();
        int len = r.position() - before;
        MsgpackReader s = new MsgpackReader(rest);
        s.skip();
        assertThat(s.position()).as(name).isEqualTo(len);
        assertThat(MsgpackReader.measure(rest, 0, rest.length, DecodeLimits.DEFAULT)).as(name).isEqualTo(len);
        assertThat(toHex(new MsgpackWriter(encoding).writeValue(v).toByteArray())).as(name)
                .isEqualTo(toHex(Arrays.copyOf(rest, len)));
        return v;
    }
}
