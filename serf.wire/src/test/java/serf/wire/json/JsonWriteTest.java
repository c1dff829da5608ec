package serf.wire.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonWriteTest {

    private static final Path VECTORS = serf.wire.Vectors.ROOT;

    @Test
    void compactOutputHasNoWhitespace() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", 1);
        map.put("a", List.of(true, false));
        map.put("n", null);
        map.put("e", Map.of());
        map.put("l", List.of());
        assertThat(Json.write(map)).isEqualTo("{\"z\":1,\"a\":[true,false],\"n\":null,\"e\":{},\"l\":[]}");
    }

    @Test
    void prettyOutputMatchesGoMarshalIndent() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("k", "v");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", List.of(1, List.of(), Map.of(), inner));
        map.put("c", Map.of());
        assertThat(Json.writePretty(map)).isEqualTo("""
                {
                  "a": 1,
                  "b": [
                    1,
                    [],
                    {},
                    {
                      "k": "v"
                    }
                  ],
                  "c": {}
                }""");
        assertThat(Json.writePretty(List.of())).isEqualTo("[]");
        assertThat(Json.writePretty("x")).isEqualTo("\"x\"");
    }

    @Test
    void prettyListOfKeysIsByteForByteWhatTheGoAgentWroteToItsKeyringFile() throws Exception {
        Path file = VECTORS.resolve("serf/keyring/beta.after-use.json");
        String goText = Files.readString(file, StandardCharsets.UTF_8);
        Object parsed = Json.parse(goText);
        assertThat(Json.writePretty(parsed)).isEqualTo(goText);
    }

    @Test
    void escapesStringsExactlyAsGoEncodingJson() {
        assertThat(Json.write("<a href=\"x\">&amp;</a>"))
                .isEqualTo("\"\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e\"");
        assertThat(Json.write("\\ / \n \r \t \b \f \u0000 \u001f \u007f"))
                .isEqualTo("\"\\\\ / \\n \\r \\t \\u0008 \\u000c \\u0000 \\u001f \u007f\"");
        assertThat(Json.write("line\u2028para\u2029")).isEqualTo("\"line\\u2028para\\u2029\"");
        assertThat(Json.write("é€😀")).isEqualTo("\"é€😀\"");
    }

    @Test
    void loneSurrogatesBecomeTheReplacementCharacterAsGoDoesForInvalidUtf8() {
        assertThat(Json.write("a\uD83Db")).isEqualTo("\"a\\ufffdb\"");
        assertThat(Json.write("\uDE00")).isEqualTo("\"\\ufffd\"");
        assertThat(Json.write("\uD83D")).isEqualTo("\"\\ufffd\"");
    }

    @Test
    void bytesAreStandardBase64() {
        byte[] key = new byte[16];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        assertThat(Json.write(key)).isEqualTo("\"AAECAwQFBgcICQoLDA0ODw==\"");
        assertThat(Json.write(new byte[0])).isEqualTo("\"\"");
    }

    @Test
    void integersOfEveryJdkType() {
        assertThat(Json.write(List.of(1, 2L, (short) 3, (byte) -4, Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"))))
                .isEqualTo("[1,2,3,-4,-9223372036854775808,123456789012345678901234567890]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.0|0", "-0.0|-0", "1.0|1", "1.5|1.5", "-2.25|-2.25", "100.0|100", "0.1|0.1",
            "1.0E20|100000000000000000000", "1.0E21|1e+21", "1.5E300|1.5e+300", "1.0E-6|0.000001",
            "1.0E-7|1e-7", "1.234E-10|1.234e-10", "4.9E-324|5e-324", "1.7976931348623157E308|1.7976931348623157e+308",
            "123456789.0|123456789", "0.30000000000000004|0.30000000000000004"})
    void doublesAreFormattedAsGoDoes(double value, String expected) {
        assertThat(Json.write(value)).isEqualTo(expected);
    }

    @Test
    void floatsUseFloat32ShortestDigits() {
        assertThat(Json.write(0.1f)).isEqualTo("0.1");
        assertThat(Json.write(1e-6f)).isEqualTo("0.000001");
        assertThat(Json.write(1e-7f)).isEqualTo("1e-7");
        assertThat(Json.write(3.4028235e38f)).isEqualTo("3.4028235e+38");
        assertThat(Json.write(Float.MIN_VALUE)).isEqualTo("1e-45");
    }

    @Test
    void unsupportedValuesAreRejected() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> Json.write(cycle)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void arraysAndSortedMapsAreAccepted() {
        assertThat(Json.write(new Object[] {"a", 1})).isEqualTo("[\"a\",1]");
        assertThat(Json.write(new TreeMap<>(Map.of("b", 1, "a", 2)))).isEqualTo("{\"a\":2,\"b\":1}");
        assertThat(Json.write(Arrays.asList(1, null))).isEqualTo("[1,null]");
    }
}
