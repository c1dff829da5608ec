package serf.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoJsonTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesValuesLikeGoInterface() throws Exception {
        Object v = GoJson.decodeFirst(b(" {\"a\": [1, 2.5, -0, 1e3, true, false, null, \"x\"], \"b\": {}, \"a\": \"last\", \"c\": []} "));
        assertThat(v).isEqualTo(Map.of("a", "last", "b", Map.of(), "c", List.of()));
        Object arr = GoJson.decodeFirst(b("[1, 2.5, -0, 1E3, true, false, null, \"x\"]"));
        assertThat(arr).isEqualTo(java.util.Arrays.asList(1.0, 2.5, -0.0, 1000.0, true, false, null, "x"));
    }

    @Test
    void stringsDecodeEscapesAndRepairUtf8LikeGo() throws Exception {
        assertThat(GoJson.decodeFirst(b("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"")))
                .isEqualTo("\"\\/\b\f\n\r\t\u00e9\uD83D\uDE00");
        assertThat(GoJson.decodeFirst(b("\"\\ud83d x\""))).isEqualTo("\uFFFD x");
        assertThat(GoJson.decodeFirst(b("\"\\ude00\""))).isEqualTo("\uFFFD");
        assertThat(GoJson.decodeFirst(b("\"\\ud83d\\u0041\""))).isEqualTo("\uFFFDA");
        byte[] bad = {'"', 'a', (byte) 0xff, (byte) 0xc3, 'b', (byte) 0xe2, (byte) 0x82, '"'};
        assertThat(GoJson.decodeFirst(bad)).isEqualTo("a\uFFFD\uFFFDb\uFFFD\uFFFD");
        byte[] overlong = {'"', (byte) 0xc0, (byte) 0xaf, (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'};
        assertThat(GoJson.decodeFirst(overlong)).isEqualTo("\uFFFD".repeat(5));
        assertThat(GoJson.decodeFirst(b("\"h\u00e9 \u6f22 \uD83D\uDE00\""))).isEqualTo("h\u00e9 \u6f22 \uD83D\uDE00");
    }

    @Test
    void decoderReadsOnlyTheFirstValue() throws Exception {
        assertThat(GoJson.decodeFirst(b("{\"a\":\"b\"} garbage {"))).isEqualTo(Map.of("a", "b"));
        assertThat(GoJson.decodeFirst(b("12x"))).isEqualTo(12.0);
        assertThat(GoJson.decodeFirst(b("01"))).isEqualTo(0.0);
        assertThat(GoJson.decodeFirst(b("null"))).isNull();
        assertThatThrownBy(() -> GoJson.unmarshal(b("{\"a\":\"b\"} garbage")))
                .hasMessage("invalid character 'g' after top-level value");
    }

    /** Texts of Go's json.Decoder (the config file path); several were checked against the real agent. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``|EOF",
            "` \t `|EOF",
            "{\"node_name\": \"a\",}|invalid character '}' looking for beginning of object key string",
            "{\"node_name\": \"a\"|unexpected EOF",
            "{|unexpected EOF",
            "{\"a\"|unexpected EOF",
            "{\"a\":|unexpected EOF",
            "[1,|unexpected EOF",
            "tru|unexpected EOF",
            "-|unexpected EOF",
            "1.|unexpected EOF",
            "\"abc|unexpected EOF",
            "{\"a\": tru }|invalid character ' ' in literal true (expecting 'e')",
            "{\"a\": nul}|invalid character '}' in literal null (expecting 'l')",
            "{\"a\": fals}|invalid character '}' in literal false (expecting 'e')",
            "{\"a\": x}|invalid character 'x' looking for beginning of value",
            "{\"a\" 1}|invalid character '1' after object key",
            "{\"a\": 1 \"b\": 2}|invalid character '\"' after object key:value pair",
            "{'a': 1}|invalid character '\\'' looking for beginning of object key string",
            "[1 2]|invalid character '2' after array element",
            "[1,]|invalid character ']' looking for beginning of value",
            "{\"a\": -x}|invalid character 'x' in numeric literal",
            "{\"a\": 1.x}|invalid character 'x' after decimal point in numeric literal",
            "{\"a\": 1ex}|invalid character 'x' in exponent of numeric literal",
            "{\"a\": 1e+}|invalid character '}' in exponent of numeric literal",
            "{\"a\": 01}|invalid character '1' after object key:value pair",
            "{\"a\": \"\\x\"}|invalid character 'x' in string escape code",
            "{\"a\": \"\\u12g4\"}|invalid character 'g' in \\u hexadecimal character escape",
            "{\"a\": \"\t\"}|invalid character '\\t' in string literal",
            "{\"a\": 1e400}|json: cannot unmarshal number 1e400 into Go value of type float64",
            "{\"a\": -1e400, \"b\": 2e400}|json: cannot unmarshal number -1e400 into Go value of type float64",
            "{\"a\": 1e400, |unexpected EOF",
            "]|invalid character ']' looking for beginning of value",
            "\u00e9|invalid character '\u00c3' looking for beginning of value",
            "\u0080|invalid character '\u00c2' looking for beginning of value",
            "\u007f|invalid character '\\x7f' looking for beginning of value",
            "\u00a0|invalid character '\u00c2' looking for beginning of value",
    })
    void decoderErrorsHaveGoTexts(String json, String message) {
        assertThatThrownBy(() -> GoJson.decodeFirst(b(json))).isInstanceOf(GoJson.JsonException.class).hasMessage(message);
    }

    @Test
    void nonPrintableBytesAreQuotedAsGoRunes() {
        assertThatThrownBy(() -> GoJson.decodeFirst(new byte[] {(byte) 0x85})).hasMessage("invalid character '\\u0085' looking for beginning of value");
        assertThatThrownBy(() -> GoJson.decodeFirst(new byte[] {(byte) 0xa0})).hasMessage("invalid character '\\u00a0' looking for beginning of value");
        assertThatThrownBy(() -> GoJson.decodeFirst(new byte[] {(byte) 0xad})).hasMessage("invalid character '\\u00ad' looking for beginning of value");
        assertThatThrownBy(() -> GoJson.decodeFirst(new byte[] {1})).hasMessage("invalid character '\\x01' looking for beginning of value");
        assertThatThrownBy(() -> GoJson.decodeFirst(new byte[] {'\n', 'x'})).hasMessage("invalid character 'x' looking for beginning of value");
    }

    /** json.Unmarshal feeds its scanner one space at the end, so a half-read token reports that space. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``|unexpected end of JSON input",
            "`  `|unexpected end of JSON input",
            "{|unexpected end of JSON input",
            "\"abc|unexpected end of JSON input",
            "tr|invalid character ' ' in literal true (expecting 'u')",
            "-|invalid character ' ' in numeric literal",
            "1.|invalid character ' ' after decimal point in numeric literal",
            "1e|invalid character ' ' in exponent of numeric literal",
            "\"\\|invalid character ' ' in string escape code",
            "\"\\u12|invalid character ' ' in \\u hexadecimal character escape",
            "{} x|invalid character 'x' after top-level value",
            "1 2|invalid character '2' after top-level value",
    })
    void unmarshalErrorsHaveGoTexts(String json, String message) {
        assertThatThrownBy(() -> GoJson.unmarshal(b(json))).isInstanceOf(GoJson.JsonException.class).hasMessage(message);
    }

    @Test
    void nestingIsBoundedAndIterative() throws Exception {
        String ok = "[".repeat(GoJson.MAX_DEPTH) + "]".repeat(GoJson.MAX_DEPTH);
        assertThat(GoJson.unmarshal(b(ok))).isInstanceOf(List.class);
        String deep = "[".repeat(GoJson.MAX_DEPTH + 1);
        assertThatThrownBy(() -> GoJson.decodeFirst(b(deep))).hasMessage("invalid character '[' exceeded max depth");
        String deepObjects = "{\"a\":".repeat(GoJson.MAX_DEPTH + 1);
        assertThatThrownBy(() -> GoJson.decodeFirst(b(deepObjects))).hasMessage("invalid character '{' exceeded max depth");
    }

    @Test
    void randomGarbageOnlyEverFailsWithAJsonException() {
        Random r = new Random(7);
        String alphabet = "{}[]\":,.-+eE0123456789tfnulrase \\/u\t\n";
        for (int i = 0; i < 50_000; i++) {
            int n = r.nextInt(30);
            byte[] in = new byte[n];
            for (int k = 0; k < n; k++) {
                in[k] = r.nextInt(10) == 0 ? (byte) r.nextInt(256) : (byte) alphabet.charAt(r.nextInt(alphabet.length()));
            }
            for (boolean whole : new boolean[] {false, true}) {
                try {
                    if (whole) {
                        GoJson.unmarshal(in);
                    } else {
                        GoJson.decodeFirst(in);
                    }
                } catch (GoJson.JsonException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
    }
}
