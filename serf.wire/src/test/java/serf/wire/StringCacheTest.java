package serf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StringCacheTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCachedStringComesBackAsTheSameInstanceWithItsHashCode() {
        StringCache cache = new StringCache(64, 32);
        byte[] b = bytes("xxnode-17yy");
        String first = cache.get(b, 2, 7);
        String again = cache.get(bytes("node-17"), 0, 7);
        assertThat(first).isEqualTo("node-17");
        assertThat(again).isSameAs(first);
        assertThat(first.hashCode()).isEqualTo("node-17".hashCode());
    }

    @Test
    void collidingLongAndNonAsciiStringsAreStillDecodedRight() {
        StringCache cache = new StringCache(1, 8); // one slot: every string replaces the last
        for (int i = 0; i < 100; i++) {
            String s = "n" + i;
            assertThat(cache.get(bytes(s), 0, s.length())).isEqualTo(s);
        }
        assertThat(cache.get(bytes("a-very-long-name"), 0, 16)).isEqualTo("a-very-long-name");
        byte[] utf8 = bytes("nœud-é");
        assertThat(cache.get(utf8, 0, utf8.length)).isEqualTo("nœud-é");
        byte[] invalid = {'a', (byte) 0xff, 'b'};
        assertThat(cache.get(invalid, 0, 3)).isEqualTo(new String(invalid, StandardCharsets.UTF_8));
        assertThat(cache.get(new byte[0], 0, 0)).isEmpty();
    }

    @Test
    void readsThroughTheReaderLikeReadString() {
        StringCache cache = new StringCache(16, 64);
        byte[] msg = new MsgpackWriter(StringEncoding.GOSSIP_RAW).writeString("Node").writeString("Node").writeNil().toByteArray();
        MsgpackReader r = new MsgpackReader(msg);
        String a = r.readString(cache);
        String b = r.readString(cache);
        assertThat(a).isEqualTo("Node").isSameAs(b);
        assertThat(r.readString(cache)).isEmpty();
    }

    @Test
    void sizesOutsideTheBoundsAreRefused() {
        assertThatThrownBy(() -> new StringCache(0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StringCache(65537, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StringCache(8, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
