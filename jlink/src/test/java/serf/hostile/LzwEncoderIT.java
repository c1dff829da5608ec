package serf.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The suite's LZW encoder makes Go's bytes (vectors from vectors/memberlist/messages.json),
 * and its bomb really expands to what the suite says (counted by a decoder that follows Go's
 * reader, widening and table-full rules included).
 */
class LzwEncoderIT {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesAsGoDoes() {
        String plain = "08" + "736572662d".repeat(60);
        assertThat(HEX.formatHex(GossipMessages.compress(LzwEncoder.encode(HEX.parseHex(plain)))))
                .as("vector compressed_user_repetitive")
                .isEqualTo("0982a4416c676f00a3427566da003f0011cc2923c74c8b81050f12348890e14285091b427418f1a1c48b163356d"
                        + "c48b1e3c48f183982d4e83164499223459a4c795225ca95305fca7449b3a5c180");
        assertThat(HEX.formatHex(GossipMessages.compress(LzwEncoder.encode(new byte[0]))))
                .as("vector compressed_empty").isEqualTo("0982a4416c676f00a3427566a3000302");
    }

    @Test
    void runOfOneByteEqualsTheGeneralEncoder() {
        byte[] zeros = new byte[9_000_000];
        assertThat(LzwEncoder.run(0, zeros.length)).isEqualTo(LzwEncoder.encode(zeros));
    }

    @Test
    void bombsFitADatagramAndExpandAsSaid() {
        for (Bombs.Bomb bomb : new Bombs.Bomb[] {Bombs.MIB_16, Bombs.JUST_UNDER_10_MIB}) {
            assertThat(GossipMessages.compress(bomb.lzw()).length).as("datagram").isLessThan(65_000);
            assertThat(decodedLength(bomb.lzw())).isEqualTo(bomb.expandsTo());
        }
    }

    /** How many bytes {@code lzw} decodes to, by Go's compress/lzw reader rules (lengths only). */
    private static long decodedLength(byte[] lzw) {
        int[] length = new int[4096];
        java.util.Arrays.fill(length, 0, 256, 1);
        int width = 9;
        int hi = 257;
        int overflow = 512;
        int last = -1;
        long out = 0;
        long bits = 0;
        int bitCount = 0;
        int pos = 0;
        while (true) {
            while (bitCount < width) {
                if (pos == lzw.length) {
                    throw new AssertionError("LZW stream ends before its EOF code");
                }
                bits |= (long) (lzw[pos++] & 0xff) << bitCount;
                bitCount += 8;
            }
            int code = (int) (bits & ((1 << width) - 1));
            bits >>>= width;
            bitCount -= width;
            if (code == 256) {
                width = 9;
                hi = 257;
                overflow = 512;
                last = -1;
                continue;
            }
            if (code == 257) {
                return out;
            }
            if (code > hi || (code == hi && last < 0)) {
                throw new AssertionError("invalid LZW code " + code + " at hi " + hi);
            }
            out += code == hi ? length[last] + 1 : length[code];
            if (last >= 0) {
                length[hi] = length[last] + 1;
            }
            last = code;
            hi++;
            if (hi >= overflow) {
                if (width == 12) {
                    last = -1;
                    hi--;
                } else {
                    width++;
                    overflow <<= 1;
                }
            }
        }
    }
}
