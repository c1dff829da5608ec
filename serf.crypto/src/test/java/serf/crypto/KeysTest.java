package serf.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeysTest {

    @Test
    void decodesTheVectorKeys() {
        assertThat(Keys.decode("AAECAwQFBgcICQoLDA0ODw==")).isEqualTo(KeyringTest.K1);
        assertThat(Keys.decode("EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8=")).isEqualTo(KeyringTest.K2);
        assertThat(Keys.decode("QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZX")).isEqualTo(KeyringTest.KX);
        assertThat(Keys.encode(KeyringTest.K1)).isEqualTo("AAECAwQFBgcICQoLDA0ODw==");
        assertThat(Keys.encode(KeyringTest.KX)).isEqualTo("QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZX");
    }

    @Test
    void newlinesAreIgnoredAsGoDoes() {
        assertThat(Keys.decode("AAECAwQF\nBgcICQoL\r\nDA0ODw==\n")).isEqualTo(KeyringTest.K1);
        assertThat(Keys.decode("AAECAwQFBgcICQoLDA0ODw=\n=")).isEqualTo(KeyringTest.K1);
    }

    /** Offsets follow Go's quantum decoder; each row was checked against the real agent (serf keys -install). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "badkey|4",
            "AAECAwQFBgcICQoLDA0ODw|20",
            "AAECAwQFBgcICQoLDA0ODw=|23",
            "AAECAwQFBgcICQoLDA0ODw==x|24",
            "AAEC!wQFBgcICQoLDA0ODw==|4",
            "A===|1",
            "====|0",
            "A|0",
            "AAA=A|4",
            "AA==AA==|4",
            "AA=x|2",
            "AAECAwQFBgcICQoLDA0ODw-_|22",
            "AAéC|2",
            "' AAECAwQFBgcICQoLDA0ODw=='|0"})
    void badBase64ReportsGoOffset(String input, int offset) {
        assertThatThrownBy(() -> Keys.decode(input))
                .isInstanceOf(KeyringException.class)
                .hasMessage("illegal base64 data at input byte " + offset);
    }

    @Test
    void wrongSizeIsReportedWithGoText() {
        for (String input : new String[] {"", "AAAA", "AAECAwQFBgcICQoLDA0O", "AAECAwQFBgcICQoLDA0ODxA="}) {
            assertThatThrownBy(() -> Keys.decode(input))
                    .isInstanceOf(KeyringException.class).hasMessage("key size must be 16, 24 or 32 bytes");
        }
        assertThatThrownBy(() -> Keys.decode(null)).isInstanceOf(KeyringException.class);
    }

    @Test
    void agreesWithTheJdkOnEveryWellFormedEncoding() {
        SplittableRandom random = new SplittableRandom(1);
        for (int length = 0; length <= 100; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            String encoded = Base64.getEncoder().encodeToString(data);
            assertThat(Keys.decodeStandardBase64(encoded.getBytes())).isEqualTo(data);
        }
    }

    @Test
    void nonZeroTrailingBitsAreToleratedLikeGo() {
        // Go's StdEncoding is not strict: "AB==" decodes to 0x00 although its last bits are not zero
        assertThat(Keys.decodeStandardBase64("AB==".getBytes())).containsExactly(0);
    }

    @Test
    void generateMakesDistinctAes256Keys() {
        byte[] a = Keys.generate();
        byte[] b = Keys.generate();
        assertThat(a).hasSize(32);
        assertThat(a).isNotEqualTo(b);
        assertThat(Keys.decode(Keys.encode(a))).isEqualTo(a);
    }
}
