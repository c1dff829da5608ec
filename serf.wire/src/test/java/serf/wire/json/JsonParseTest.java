package serf.wire.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import serf.wire.DecodeException;

class JsonParseTest {

    @Test
    void parsesEveryValueKindIntoPlainJdkTypes() {
        Object parsed = Json.parse(" {\"b\": [1, -2.5, true, false, null, \"x\"], \"a\": {}, \"c\": []} \r\n\t");

        assertThat(parsed).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) parsed;
        assertThat(map.keySet()).containsExactly("b", "a", "c");
        assertThat(map.get("b")).isInstanceOf(ArrayList.class);
        assertThat((List<Object>) map.get("b")).containsExactly(1L, -2.5, true, false, null, "x");
        assertThat(map.get("a")).isEqualTo(Map.of());
        assertThat(map.get("c")).isEqualTo(List.of());
    }

    @Test
    void repeatedKeyKeepsFirstPositionAndLastValueLikeGo() {
        Object parsed = Json.parse("{\"a\":1,\"b\":2,\"a\":3}");
        assertThat(((Map<?, ?>) parsed).entrySet().toString()).isEqualTo("[a=3, b=2]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|0", "-0|0", "7|7", "-12|-12",
            "9223372036854775807|9223372036854775807",
            "-9223372036854775808|-9223372036854775808"})
    void integralLiteralsThatFitAreLongs(String literal, long expected) {
        assertThat(Json.parse(literal)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1.0|1.0", "1e2|100.0", "1E+2|100.0", "-2.5e-3|-0.0025",
            "9223372036854775808|9.223372036854775808E18",
            "123456789012345678901234567890|1.2345678901234568E29",
            "1e-400|0.0", "4.9e-324|4.9E-324", "1.7976931348623157e308|1.7976931348623157E308"})
    void otherNumbersAreDoubles(String literal, double expected) {
        assertThat(Json.parse(literal)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1e999999999999", "2e308"})
    void numbersBeyondDoubleRangeAreRejected(String literal) {
        assertThatThrownBy(() -> Json.parse("[" + literal + "]"))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("out of range")
                .extracting(e -> ((DecodeException) e).offset()).isEqualTo(1);
    }

    @Test
    void hugeIntegerLiteralBecomesADoubleNotAnError() {
        assertThat(Json.parse("1" + "0".repeat(300))).isEqualTo(1e300);
        assertThatThrownBy(() -> Json.parse("1" + "0".repeat(400))).isInstanceOf(DecodeException.class);
    }

    @Test
    void decodesAllEscapes() {
        assertThat(Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\\u00e9\\u20AC\""))
                .isEqualTo("\" \\ / \b \f \n \r \t Aé€");
    }

    @Test
    void decodesSurrogatePairsAndReplacesLoneSurrogatesLikeGo() {
        assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("😀");
        assertThat(Json.parse("\"\\uD83D\\uDE00\"")).isEqualTo("😀");
        assertThat(Json.parse("\"\\ud83dx\"")).isEqualTo("\uFFFDx");
        assertThat(Json.parse("\"\\ude00\"")).isEqualTo("\uFFFD");
        // a high surrogate followed by a non-surrogate escape: both are decoded
        assertThat(Json.parse("\"\\ud83d\\u0041\"")).isEqualTo("\uFFFDA");
        assertThat(Json.parse("\"\\ud83d\\ud83d\\ude00\"")).isEqualTo("\uFFFD😀");
    }

    @Test
    void rawNonAsciiPassesThrough() {
        assertThat(Json.parse("\"héllo 😀 \u2028\"")).isEqualTo("héllo 😀 \u2028");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``|0", "`   `|3", "`[`|1", "`[1,`|3", "`{`|1", "`{\"a\"`|4", "`{\"a\":`|5", "`{\"a\":1`|6",
            "`\"abc`|0", "`\"ab\\`|3", "`\"\\u12`|5", "`tru`|3", "`nul`|3", "`-`|1", "`1.`|2", "`1e`|2", "`1e+`|3"})
    void truncatedInputIsReportedAsTruncatedWithOffset(String text, int offset) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.isTruncated()).isTrue();
                    assertThat(e.offset()).isEqualTo(offset);
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`[1,]`|3", "`[,1]`|1", "`{,}`|1", "`{\"a\":1,}`|7", "`{\"a\" 1}`|5", "`{a:1}`|1", "`{1:1}`|1",
            "`[1 2]`|3", "`01`|1", "`-01`|2", "`+1`|0", "`.5`|0", "`1.e5`|2", "`0x10`|1", "`NaN`|0",
            "`Infinity`|0", "`-Infinity`|1", "`tRue`|1", "`nulll`|4", "`\"\\x\"`|2", "`\"\\u12g4\"`|5",
            "`\"\\U0041\"`|2", "`'a'`|0", "`[1]]`|3", "`{} {}`|3", "`\"a\" x`|4", "`\uFEFF1`|0",
            "`\"\\u０１２３\"`|3", "`\u00a01`|0"})
    void malformedInputIsRejectedWithOffset(String text, int offset) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.isTruncated()).isFalse();
                    assertThat(e.offset()).isEqualTo(offset);
                });
    }

    @Test
    void rawControlCharactersInStringsAreRejected() {
        for (char c = 0; c < 0x20; c++) {
            String text = "\"a" + c + "\"";
            assertThatThrownBy(() -> Json.parse(text))
                    .isInstanceOf(DecodeException.class)
                    .extracting(e -> ((DecodeException) e).offset()).isEqualTo(2);
        }
        assertThat(Json.parse("\"\u007f\"")).isEqualTo("\u007f");
    }

    @Test
    void nestingIsBoundedByTheLimit() {
        String ok = "[".repeat(64) + "]".repeat(64);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);

        String tooDeep = "[".repeat(65) + "]".repeat(65);
        assertThatThrownBy(() -> Json.parse(tooDeep))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("nesting")
                .extracting(e -> ((DecodeException) e).offset()).isEqualTo(64);

        String objects = "{\"a\":".repeat(3) + "1" + "}".repeat(3);
        assertThat(Json.parse(objects, new JsonLimits(3, 100))).isInstanceOf(Map.class);
        assertThatThrownBy(() -> Json.parse(objects, new JsonLimits(2, 100))).isInstanceOf(DecodeException.class);
    }

    @Test
    void hostileDepthFailsFastWithoutStackOverflow() {
        String bomb = "[".repeat(2_000_000);
        assertThatThrownBy(() -> Json.parse(bomb)).isInstanceOf(DecodeException.class);
        String maxed = "[".repeat(1000) + "]".repeat(1000);
        assertThat(Json.parse(maxed, new JsonLimits(1000, maxed.length()))).isInstanceOf(List.class);
    }

    @Test
    void lengthIsBoundedByTheLimit() {
        assertThat(Json.parse("[1,2]", new JsonLimits(4, 5))).isEqualTo(List.of(1L, 2L));
        assertThatThrownBy(() -> Json.parse("[1,2] ", new JsonLimits(4, 5)))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("exceeds")
                .extracting(e -> ((DecodeException) e).offset()).isEqualTo(5);
    }

    @Test
    void limitsValidateTheirArguments() {
        assertThatThrownBy(() -> new JsonLimits(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JsonLimits(1001, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JsonLimits(5, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(JsonLimits.DEFAULT.maxDepth()).isEqualTo(64);
    }
}
