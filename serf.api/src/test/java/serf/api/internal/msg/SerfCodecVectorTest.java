package serf.api.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static serf.api.internal.msg.SerfVectors.HEX;
import static serf.api.internal.msg.SerfVectors.assertMatches;
import static serf.api.internal.msg.SerfVectors.body;
import static serf.api.internal.msg.SerfVectors.bytes;
import static serf.api.internal.msg.SerfVectors.jsonBytes;
import static serf.api.internal.msg.SerfVectors.list;
import static serf.api.internal.msg.SerfVectors.map;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import serf.api.internal.msg.SerfMessage.ConflictResponse;
import serf.api.internal.msg.SerfMessage.KeyRequest;
import serf.api.internal.msg.SerfMessage.KeyResponse;
import serf.api.internal.msg.SerfMessage.PushPull;
import serf.api.internal.msg.SerfMessage.Query;
import serf.api.internal.msg.SerfMessage.QueryResponse;
import serf.api.internal.msg.SerfMessage.Relay;

/** Every serf-message and serf-payload vector of messages.json: decoded field by field, re-encoded to Go's bytes. */
class SerfCodecVectorTest {

    static Stream<Arguments> serfMessages() {
        return SerfVectors.messages().stream()
                .filter(v -> v.get("kind").equals("serf-message") || v.get("kind").equals("serf-payload"))
                .map(v -> Arguments.of(v.get("id"), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serfMessages")
    void decodesToTheDocumentedFields(String id, Map<String, Object> vector) {
        byte[] raw = bytes(vector);
        assertThat(raw).hasSize(((Number) vector.get("length")).intValue());
        Map<String, Object> decoded = map(vector.get("decoded"));
        SerfMessage m = SerfCodec.decode(raw, 0, raw.length);

        assertThat(m.type().code()).isEqualTo(((Number) decoded.get("type")).intValue());
        if (m instanceof Relay r) {
            assertMatches(body(r), decoded.get("header"), id + ".header");
            Map<String, Object> inner = map(decoded.get("inner"));
            SerfMessage in = SerfCodec.decode(r.inner(), 0, r.inner().length);
            assertThat(in.type().code()).isEqualTo(((Number) inner.get("type")).intValue());
            assertMatches(body(in), inner.get("body"), id + ".inner");
        } else {
            assertMatches(body(m), decoded.get("body"), id);
        }

        if (decoded.containsKey("payloadDecoded")) {
            byte[] payload = switch (m) {
                case Query q -> q.payload();
                case QueryResponse q -> q.payload();
                default -> throw new AssertionError("payloadDecoded on " + m.type());
            };
            Map<String, Object> pd = map(decoded.get("payloadDecoded"));
            SerfMessage inner = ((Number) pd.get("type")).intValue() == 7
                    ? SerfCodec.decodeKeyRequestPayload(payload)
                    : SerfCodec.decode(payload, 0, payload.length);
            assertThat(inner.type().code()).isEqualTo(((Number) pd.get("type")).intValue());
            assertMatches(body(inner), pd.get("body"), id + ".payload");
            assertThat(SerfCodec.encode(inner)).as("payload re-encoded").isEqualTo(payload);
        }

        if (decoded.containsKey("filtersDecoded")) {
            List<byte[]> filters = ((Query) m).filters();
            List<Object> expected = list(decoded.get("filtersDecoded"));
            assertThat(filters).hasSameSizeAs(expected);
            for (int i = 0; i < filters.size(); i++) {
                assertFilter(Filters.decode(filters.get(i)), map(expected.get(i)));
                assertThat(Filters.encode(Filters.decode(filters.get(i)))).isEqualTo(filters.get(i));
            }
        }
    }

    /**
     * Go writes maps in random order, so a message holding a map of two or more entries is compared
     * by content after a round trip; every other vector (all go-encoder ones included) must come back
     * byte for byte.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("serfMessages")
    void reencodesToGoBytes(String id, Map<String, Object> vector) {
        byte[] raw = bytes(vector);
        SerfMessage m = SerfCodec.decode(raw, 0, raw.length);
        byte[] again = SerfCodec.encode(m);
        if (hasUnorderedMap(m)) {
            assertThat(again).hasSameSizeAs(raw);
            assertThat(SerfVectors.canon(SerfCodec.decode(again, 0, again.length))).isEqualTo(SerfVectors.canon(m));
        } else {
            assertThat(HEX.formatHex(again)).isEqualTo(HEX.formatHex(raw));
        }
    }

    private static boolean hasUnorderedMap(SerfMessage m) {
        return switch (m) {
            case PushPull p -> p.statusLTimes().size() > 1;
            case ConflictResponse c -> c.member() != null && c.member().tags().size() > 1;
            default -> false;
        };
    }

    @Test
    void everyGoEncoderSerfVectorIsByteExact() {
        long checked = SerfVectors.messages().stream()
                .filter(v -> ((String) v.get("origin")).startsWith("go-encoder"))
                .filter(v -> v.get("kind").equals("serf-message") || v.get("kind").equals("serf-payload"))
                .peek(v -> {
                    byte[] raw = bytes(v);
                    assertThat(SerfCodec.encode(SerfCodec.decode(raw, 0, raw.length))).as((String) v.get("id")).isEqualTo(raw);
                })
                .count();
        assertThat(checked).isEqualTo(19);
    }

    @Test
    void capturedPushPullRingKeepsSlotsAndLeftMembers() {
        byte[] raw = bytes(SerfVectors.message("captured/push_pull_user_state"));
        PushPull p = (PushPull) SerfCodec.decode(raw, 0, raw.length);
        assertThat(p.events()).hasSize(512);
        assertThat(p.events().stream().filter(s -> s != null).count()).isEqualTo(2);
        assertThat(p.events().get(1).lTime()).isEqualTo(1);
        assertThat(p.events().get(1).events().get(0).name()).isEqualTo("deploy");
        assertThat(p.leftMembers()).containsExactly("gamma");
        assertThat(p.statusLTimes()).containsExactlyInAnyOrderEntriesOf(Map.of("alpha", 0L, "beta", 1L, "gamma", 3L));
        // array16 header for the 512-slot ring, as Go writes it
        assertThat(HEX.formatHex(SerfCodec.encode(p))).contains("a64576656e7473dc0200c0");
    }

    @Test
    void keyRequestPayloadIgnoresItsFirstByte() {
        byte[] payload = HEX.parseHex("0781a34b6579b0000102030405060708090a0b0c0d0e0f");
        payload[0] = 0x42; // Go never checks it
        KeyRequest k = SerfCodec.decodeKeyRequestPayload(payload);
        assertThat(k.key()).isEqualTo(HEX.parseHex("000102030405060708090a0b0c0d0e0f"));
        assertThat(SerfCodec.encode(new KeyRequest(new byte[0]))).isEqualTo(HEX.parseHex("0781a34b6579a0"));
    }

    @Test
    void conflictResponseForAnUnknownNameIsNil() {
        assertThat(SerfCodec.encode(new ConflictResponse(null))).isEqualTo(new byte[] {6, (byte) 0xc0});
        assertThat(((ConflictResponse) SerfCodec.decode(new byte[] {6, (byte) 0xc0}, 0, 2)).member()).isNull();
    }

    @Test
    void keyResponseKeysNilOutsideListKeys() {
        byte[] raw = SerfCodec.encode(new KeyResponse(true, "", null, ""));
        assertThat(HEX.formatHex(raw)).isEqualTo("0884a44b657973c0a74d657373616765a0aa5072696d6172794b6579a0a6526573756c74c3");
        assertThat(((KeyResponse) SerfCodec.decode(raw, 0, raw.length)).keys()).isNull();
    }

    private static void assertFilter(Filters.Filter f, Map<String, Object> expected) {
        int type = ((Number) expected.get("filterType")).intValue();
        switch (f) {
            case Filters.NodeFilter n -> {
                assertThat(type).isZero();
                assertThat(n.nodes()).isEqualTo(list(expected.get("value")));
            }
            case Filters.TagFilter t -> {
                assertThat(type).isOne();
                Map<String, Object> v = map(expected.get("value"));
                assertThat(t.tag()).isEqualTo(v.get("Tag"));
                assertThat(t.expr()).isEqualTo(v.get("Expr"));
            }
        }
    }

    static Stream<Arguments> filterVectors() {
        return SerfVectors.messages("filter").stream().map(v -> Arguments.of(v.get("id"), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterVectors")
    void filterVectorsDecodeAndReencode(String id, Map<String, Object> vector) {
        byte[] raw = bytes(vector);
        Filters.Filter f = Filters.decode(raw);
        assertFilter(f, map(vector.get("decoded")));
        assertThat(Filters.encode(f)).isEqualTo(raw);
    }

    /** The annotated dumps show the same bytes as messages.json, and they decode and re-encode alike. */
    @Test
    void annotatedDumpsAgreeWithTheVectors() throws java.io.IOException {
        int checked = 0;
        try (var files = java.nio.file.Files.list(SerfVectors.ROOT.resolve("annotated"))) {
            for (java.nio.file.Path f : files.sorted().toList()) {
                List<String> lines = java.nio.file.Files.readAllLines(f);
                String hexLine = lines.stream().filter(l -> l.startsWith("# hex: ")).findFirst().orElse(null);
                if (hexLine == null) {
                    continue; // a decoded payload, no raw bytes of its own
                }
                String id = lines.get(0).substring(2).trim();
                byte[] raw = HEX.parseHex(hexLine.substring(7).trim());
                Map<String, Object> vector = SerfVectors.message(id);
                assertThat(raw).as(f.toString()).isEqualTo(bytes(vector));
                if (vector.get("kind").equals("serf-message") || vector.get("kind").equals("serf-payload")) {
                    SerfMessage m = SerfCodec.decode(raw, 0, raw.length);
                    assertThat(SerfVectors.canon(SerfCodec.decode(SerfCodec.encode(m), 0, SerfCodec.encode(m).length)))
                            .isEqualTo(SerfVectors.canon(m));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(15);
    }

    @Test
    void jsonBytesHelperUnderstandsBothForms() {
        assertThat(jsonBytes("hex:7f000001")).containsExactly(0x7f, 0, 0, 1);
        assertThat(jsonBytes("web")).containsExactly('w', 'e', 'b');
    }
}
