package serf.api.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static serf.api.internal.msg.SerfVectors.HEX;
import static serf.api.internal.msg.SerfVectors.bytes;
import static serf.api.internal.msg.SerfVectors.map;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Node meta: both encodings, Go's decoding rules, the size limit. */
class TagsTest {

    static Stream<Arguments> metaVectors() {
        return SerfVectors.messages("node-meta").stream().map(v -> Arguments.of(v.get("id"), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metaVectors")
    void metaVectorsDecodeToTheirTags(String id, Map<String, Object> vector) {
        byte[] raw = bytes(vector);
        Map<String, Object> decoded = map(vector.get("decoded"));
        Map<String, String> tags = Tags.decodeMeta(raw);
        if (decoded.containsKey("roleOnly")) {
            assertThat(tags).containsExactly(Map.entry("role", (String) decoded.get("roleOnly")));
            assertThat(Tags.encodeMeta(Map.of("role", "web", "dc", "x"), 2)).isEqualTo(raw);
        } else {
            assertThat(tags).isEqualTo(map(decoded.get("tags")));
            // one entry or none: Go's random map order cannot differ, so the bytes must match
            byte[] again = Tags.encodeMeta(tags, 5);
            if (tags.size() <= 1) {
                assertThat(HEX.formatHex(again)).isEqualTo(HEX.formatHex(raw));
            } else {
                assertThat(again).hasSameSizeAs(raw);
                assertThat(Tags.decodeMeta(again)).isEqualTo(tags);
            }
        }
    }

    @Test
    void protocolTwoSendsTheBareRoleOnly() {
        assertThat(Tags.encodeMeta(Map.of("role", "web", "dc", "east"), 2)).isEqualTo("web".getBytes(StandardCharsets.UTF_8));
        assertThat(Tags.encodeMeta(Map.of("dc", "east"), 2)).isEmpty();
        assertThat(Tags.encodeMeta(null, 2)).isEmpty();
        assertThat(Tags.decodeMeta("web".getBytes(StandardCharsets.UTF_8))).containsExactly(Map.entry("role", "web"));
        assertThat(Tags.encodeMeta(Map.of("role", "web"), 3)[0]).isEqualTo((byte) 0xff);
    }

    @Test
    void emptyOrMagiclessMetaIsARole() {
        assertThat(Tags.decodeMeta(new byte[0])).containsExactly(Map.entry("role", ""));
        assertThat(Tags.decodeMeta(null)).containsExactly(Map.entry("role", ""));
        assertThat(Tags.decodeMeta(new byte[] {(byte) 0x81, (byte) 0xa1, 'a'})).containsOnlyKeys("role");
        assertThat(Tags.encodeMeta(Map.of(), 5)).isEqualTo(new byte[] {(byte) 0xff, (byte) 0x80});
        assertThat(Tags.decodeMeta(new byte[] {(byte) 0xff})).isEmpty();
        assertThat(Tags.decodeMeta(new byte[] {(byte) 0xff, (byte) 0xc0})).isEmpty();
    }

    @Test
    void aBrokenMapKeepsWhatDecodedBeforeTheError() {
        // {a: "1", b: "2", c: <int>, d: "4"}: Go stops at c and keeps a and b
        byte[] meta = HEX.parseHex("ff84" + "a161a131" + "a162a132" + "a16305" + "a164a134");
        assertThat(Tags.decodeMeta(meta)).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
        // truncated in the middle of the second value
        byte[] cut = HEX.parseHex("ff82a161a131a162a5313233");
        assertThat(Tags.decodeMeta(cut)).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1"));
        // the map form but not a map
        assertThat(Tags.decodeMeta(HEX.parseHex("ff93"))).isEmpty();
        // nil values read as "", as Go leaves a string zero
        assertThat(Tags.decodeMeta(HEX.parseHex("ff81a161c0"))).containsExactly(Map.entry("a", ""));
    }

    @Test
    void encodingIsDeterministicWhateverTheMapOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> b = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            a.put("k" + i, "v" + i);
        }
        for (int i = 19; i >= 0; i--) {
            b.put("k" + i, "v" + i);
        }
        assertThat(Tags.encodeMeta(a, 5)).isEqualTo(Tags.encodeMeta(b, 5));
        assertThat(Tags.decodeMeta(Tags.encodeMeta(a, 5))).isEqualTo(a);
    }

    @Test
    void oversizeTagsAreRefusedWithGosMessage() {
        // ff + fixmap(1) + fixstr "k" (2 bytes) + raw16 header (3 bytes) = 7 bytes of overhead
        Map<String, String> exactly = Map.of("k", "x".repeat(Tags.META_MAX - 7));
        assertThat(Tags.encodeMetaChecked(exactly, 5)).hasSize(Tags.META_MAX);
        Map<String, String> tooBig = Map.of("k", "x".repeat(Tags.META_MAX - 6));
        assertThat(Tags.encodeMeta(tooBig, 5)).hasSize(Tags.META_MAX + 1);
        assertThatThrownBy(() -> Tags.encodeMetaChecked(tooBig, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Encoded length of tags exceeds limit of 512 bytes");
        assertThatThrownBy(() -> Tags.encodeMetaChecked(Map.of("role", "r".repeat(513)), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Tags.META_TOO_LARGE);
        assertThat(Tags.encodeMetaChecked(Map.of("role", "r".repeat(512)), 2)).hasSize(512);
    }
}
