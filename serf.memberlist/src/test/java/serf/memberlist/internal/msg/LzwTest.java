package serf.memberlist.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import serf.wire.DecodeException;
import serf.wire.MsgpackReader;

class LzwTest {

    /** Every LZW stream Go wrote in the vectors: (compressed bytes, the bytes they decode to). */
    private static List<byte[][]> goStreams() {
        List<byte[][]> out = new ArrayList<>();
        for (Map<String, Object> v : MsgVectors.messages().values()) {
            String name = (String) v.get("name");
            Object plain = v.get("plaintext_hex");
            if (name.startsWith("compressed_") || name.equals("pushpull_stream_compressed")) {
                out.add(new byte[][] {bufOf(MsgVectors.hex(v.get("wire_hex"))), MsgVectors.hex(plain)});
            }
            if (plain != null && ((String) plain).startsWith("09")) {
                byte[] inner = MsgVectors.hex(plain);
                out.add(new byte[][] {bufOf(inner), null});
            }
        }
        // Captured compressed messages from real agents (plaintext or decrypted).
        for (Path p : MsgVectors.captures()) {
            Map<String, Object> cap = MsgVectors.loadCapture(p);
            for (Object o : MsgVectors.list(cap.get("udp"))) {
                Map<String, Object> u = MsgVectors.map(o);
                Object ph = u.get("plaintext_hex") != null ? u.get("plaintext_hex") : u.get("wire_hex");
                byte[] b = MsgVectors.hex(ph);
                if (b.length > 5 && b[0] == 0x0c && b[5] == 0x09) {
                    b = Arrays.copyOfRange(b, 5, b.length);
                }
                if (b.length > 0 && b[0] == 0x09) {
                    out.add(new byte[][] {bufOf(b), null});
                }
            }
            for (Object o : MsgVectors.list(cap.get("tcp"))) {
                byte[] b = MsgVectors.hex(MsgVectors.map(o).get("wire_hex"));
                if (b.length > 0 && b[0] == 0x09) {
                    out.add(new byte[][] {bufOf(b), null});
                }
            }
        }
        return out;
    }

    /** The Buf of a compress message (type byte 09 first). */
    private static byte[] bufOf(byte[] compressMessage) {
        MsgpackReader r = new MsgpackReader(compressMessage, 1, compressMessage.length - 1, MessageCodec.LIMITS);
        return MessageReader.readCompress(r).buf();
    }

    @Test
    void reproducesEveryGoStreamByteForByte() {
        List<byte[][]> streams = goStreams();
        assertThat(streams).hasSizeGreaterThan(20);
        for (byte[][] s : streams) {
            byte[] plain = Lzw.decompress(s[0], 0, s[0].length, 1 << 20);
            if (s[1] != null) {
                assertThat(plain).isEqualTo(s[1]);
            }
            assertThat(Lzw.compress(plain)).as("re-compressing %d bytes", plain.length).isEqualTo(s[0]);
        }
    }

    @Test
    void emptyInputIsClearThenEof() {
        assertThat(Lzw.compress(new byte[0])).containsExactly(0x00, 0x03, 0x02);
        assertThat(Lzw.decompress(new byte[] {0x00, 0x03, 0x02}, 0, 3, 10)).isEmpty();
    }

    @Test
    void roundTripsRandomDataPastTheTableReset() {
        Random rnd = new Random(42);
        int[] sizes = {1, 2, 3, 255, 256, 257, 1000, 4095, 4096, 5000, 20_000, 70_000, 200_000};
        for (int size : sizes) {
            for (int alphabet : new int[] {2, 16, 256}) {
                byte[] in = new byte[size];
                for (int i = 0; i < size; i++) {
                    in[i] = (byte) rnd.nextInt(alphabet);
                }
                byte[] c = Lzw.compress(in);
                assertThat(Lzw.decompress(c, 0, c.length, size)).as("size %d alphabet %d", size, alphabet).isEqualTo(in);
            }
        }
        // Long runs exercise the KwKwK case and fill the table with long chains.
        byte[] zeros = new byte[200_000];
        byte[] c = Lzw.compress(zeros);
        assertThat(c.length).isLessThan(2_000);
        assertThat(Lzw.decompress(c, 0, c.length, zeros.length)).isEqualTo(zeros);
    }

    @Test
    void decodesAtAnOffsetAndIgnoresBytesAfterEof() {
        byte[] in = "hello hello hello hello".getBytes();
        byte[] c = Lzw.compress(in);
        byte[] padded = new byte[c.length + 10];
        Arrays.fill(padded, (byte) 0x5a);
        System.arraycopy(c, 0, padded, 3, c.length);
        assertThat(Lzw.decompress(padded, 3, c.length + 7, 1000)).isEqualTo(in);
    }

    @Test
    void acceptsAStreamWithoutTheLeadingClearCode() {
        // 'a' 'b' EOF as 9-bit codes, no clear code: 0x061 | 0x062<<9 | 0x101<<18.
        long bits = 0x61L | (0x62L << 9) | (0x101L << 18);
        byte[] c = {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)};
        assertThat(Lzw.decompress(c, 0, c.length, 10)).containsExactly('a', 'b');
    }

    @Test
    void refusesAStreamWithoutEof() {
        byte[] c = Lzw.compress("some text that is long enough".getBytes());
        for (int cut = 0; cut < c.length - 1; cut++) {
            int n = cut;
            assertThatThrownBy(() -> Lzw.decompress(c, 0, n, 1000))
                    .isInstanceOf(DecodeException.class);
        }
    }

    @Test
    void refusesCodesBeyondTheTable() {
        // clear, then code 300 while the next free code is 257.
        long bits = 0x100L | (300L << 9) | (0x101L << 18);
        byte[] c = {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)};
        assertThatThrownBy(() -> Lzw.decompress(c, 0, c.length, 10))
                .isInstanceOf(DecodeException.class).hasMessageContaining("invalid code");
    }

    @Test
    void aZipBombFailsInsteadOfAllocating() {
        byte[] big = new byte[5_000_000];
        byte[] bomb = Lzw.compress(big);
        assertThat(bomb.length).isLessThan(40_000);
        assertThatThrownBy(() -> Lzw.decompress(bomb, 0, bomb.length, 1_000_000))
                .isInstanceOf(DecodeException.class).hasMessageContaining("exceeds the limit");
        assertThat(Lzw.decompress(bomb, 0, bomb.length, big.length)).hasSize(big.length);
        assertThatThrownBy(() -> Lzw.decompress(bomb, 0, bomb.length, big.length - 1))
                .isInstanceOf(DecodeException.class);
    }

    @Test
    void randomGarbageOnlyRaisesDecodeException() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[rnd.nextInt(64)];
            rnd.nextBytes(junk);
            try {
                byte[] out = Lzw.decompress(junk, 0, junk.length, 4096);
                assertThat(out.length).isLessThanOrEqualTo(4096);
            } catch (DecodeException expected) {
                // fine
            }
        }
    }
}
