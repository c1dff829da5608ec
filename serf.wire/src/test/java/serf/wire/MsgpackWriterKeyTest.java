package serf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Field names come from a cache of their encoded bytes: the bytes must be those of writeString. */
class MsgpackWriterKeyTest {
    private static byte[] asKey(StringEncoding enc, String name) {
        return new MsgpackWriter(enc).writeKey(name).toByteArray();
    }

    private static byte[] asString(StringEncoding enc, String name) {
        return new MsgpackWriter(enc).writeString(name).toByteArray();
    }

    @Test
    void aKeyIsWrittenAsItsStringInBothEncodings() {
        List<String> names = new ArrayList<>(List.of("", "Name", "Addr", "ProtocolMin", "Incarnation",
                "x".repeat(31), "y".repeat(32), "z".repeat(300), "Größe", "名前", "a\u007f"));
        for (int i = 0; i < 2_000; i++) { // more names than the cache has slots: collisions and misses
            names.add("Field" + i);
        }
        for (int pass = 0; pass < 3; pass++) { // the first pass fills the cache, the others read it
            for (StringEncoding enc : StringEncoding.values()) {
                for (String name : names) {
                    assertThat(asKey(enc, name)).as("%s %s", enc, name).isEqualTo(asString(enc, name));
                    // an equal name that is another String object
                    assertThat(asKey(enc, new String(name))).isEqualTo(asString(enc, name));
                }
            }
        }
    }

    @Test
    void aNullKeyIsTheEmptyString() {
        for (StringEncoding enc : StringEncoding.values()) {
            assertThat(asKey(enc, null)).isEqualTo(asString(enc, ""));
        }
    }

    @Test
    void aCachedKeyMeetsTheSizeLimitAsAStringDoes() {
        asKey(StringEncoding.GOSSIP_RAW, "Name"); // cached now
        // A string's header asks for 5 bytes besides its own: 9 for "Name".
        assertThatThrownBy(() -> new MsgpackWriter(StringEncoding.GOSSIP_RAW, 4, 8).writeKey("Name"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new MsgpackWriter(StringEncoding.GOSSIP_RAW, 4, 8).writeString("Name"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(new MsgpackWriter(StringEncoding.GOSSIP_RAW, 4, 9).writeKey("Name").toByteArray())
                .isEqualTo(asString(StringEncoding.GOSSIP_RAW, "Name"));
    }
}
