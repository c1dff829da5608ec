package serf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import serf.agent.internal.GoFlagSet.FlagException;
import serf.agent.internal.GoFlagSet.Kind;

class GoFlagSetTest {

    private final GoFlagSet flags = new GoFlagSet()
            .define("node", Kind.STRING)
            .define("protocol", Kind.INT)
            .define("replay", Kind.BOOL)
            .define("join", Kind.LIST);

    @Test
    void acceptsEverySpellingGoAccepts() throws Exception {
        GoFlagSet.Result r = flags.parse(List.of("-node", "a", "--node=b", "-join=x", "--join", "y", "-replay",
                "-protocol=0x10", "rest", "-node", "c"));
        assertThat(r.string("node", "")).isEqualTo("b");
        assertThat(r.list("join")).containsExactly("x", "y");
        assertThat(r.bool("replay", false)).isTrue();
        assertThat(r.integer("protocol", -1)).isEqualTo(16);
        assertThat(r.remaining()).containsExactly("rest", "-node", "c");
    }

    @Test
    void valuesMayLookLikeFlagsOrBeEmpty() throws Exception {
        GoFlagSet.Result r = flags.parse(List.of("-node", "-replay", "-join=", "-join", "a=b=c"));
        assertThat(r.string("node", "")).isEqualTo("-replay");
        assertThat(r.bool("replay", false)).isFalse();
        assertThat(r.list("join")).containsExactly("", "a=b=c");
    }

    @Test
    void boolFlagsNeverTakeTheNextArgument() throws Exception {
        GoFlagSet.Result r = flags.parse(List.of("-replay", "false", "-node", "x"));
        assertThat(r.bool("replay", false)).isTrue();
        assertThat(r.remaining()).containsExactly("false", "-node", "x");
        assertThat(r.isSet("node")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"1,true", "t,true", "T,true", "TRUE,true", "true,true", "True,true",
            "0,false", "f,false", "F,false", "FALSE,false", "false,false", "False,false"})
    void boolSpellings(String text, boolean value) throws Exception {
        assertThat(flags.parse(List.of("-replay=" + text)).bool("replay", !value)).isEqualTo(value);
    }

    @Test
    void stopsAtDashDashAndLoneDash() throws Exception {
        assertThat(flags.parse(List.of("-replay", "--", "-node", "x")).remaining()).containsExactly("-node", "x");
        assertThat(flags.parse(List.of("-", "-node", "x")).remaining()).containsExactly("-", "-node", "x");
        assertThat(flags.parse(List.of()).remaining()).isEmpty();
        assertThat(flags.parse(List.of("", "-replay")).remaining()).containsExactly("", "-replay");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "-nosuch|flag provided but not defined: -nosuch",
            "--nosuch=1|flag provided but not defined: -nosuch",
            "---x|bad flag syntax: ---x",
            "-=x|bad flag syntax: -=x",
            "--=x|bad flag syntax: --=x",
            "-node|flag needs an argument: -node",
            "-protocol=abc|invalid value \"abc\" for flag -protocol: parse error",
            "-protocol=99999999999999999999|invalid value \"99999999999999999999\" for flag -protocol: value out of range",
            "-protocol=9223372036854775808|invalid value \"9223372036854775808\" for flag -protocol: value out of range",
            "-protocol=-9223372036854775809|invalid value \"-9223372036854775809\" for flag -protocol: value out of range",
            "-protocol=1_|invalid value \"1_\" for flag -protocol: parse error",
            "-protocol=0x|invalid value \"0x\" for flag -protocol: parse error",
            "-protocol=08|invalid value \"08\" for flag -protocol: parse error",
            "'-protocol= 1'|invalid value \" 1\" for flag -protocol: parse error",
            "'-protocol=1\t'|invalid value \"1\\t\" for flag -protocol: parse error",
            "'-protocol=\u00e9\u0001'|invalid value \"\u00e9\\x01\" for flag -protocol: parse error",
            "-replay=maybe|invalid boolean value \"maybe\" for -replay: parse error",
            "-replay=|invalid boolean value \"\" for -replay: parse error",
    })
    void errorsCarryGoTexts(String arg, String message) {
        assertThatThrownBy(() -> flags.parse(List.of(arg))).isInstanceOf(FlagException.class).hasMessage(message);
    }

    @Test
    void helpFlagsAskForUsageWithoutMessage() {
        for (String h : List.of("-h", "-help", "--h", "--help", "-h=1")) {
            assertThatThrownBy(() -> flags.parse(List.of(h))).isInstanceOfSatisfying(FlagException.class, e -> {
                assertThat(e.helpRequested()).isTrue();
                assertThat(e.getMessage()).isNull();
            });
        }
    }

    @ParameterizedTest
    @CsvSource({"0,0", "7,7", "-7,-7", "+7,7", "010,8", "0o17,15", "0O17,15", "0b101,5", "0x1F,31", "0XfF,255",
            "1_000,1000", "0x_1F,31", "0_10,8", "9223372036854775807,9223372036854775807",
            "-9223372036854775808,-9223372036854775808"})
    void integersParseLikeParseIntBaseZero(String text, long value) {
        assertThat(GoStrconv.parseInt(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({"_1", "1__0", "0x_", "1_", "+", "-", "0b2", "0o8", "1e3", "1.0", "0x1g"})
    void badIntegers(String text) {
        assertThatThrownBy(() -> GoStrconv.parseInt(text)).hasMessage("parse error");
    }

    @Test
    void definitionsAreUnique() {
        assertThatThrownBy(() -> new GoFlagSet().define("a", Kind.BOOL).define("a", Kind.INT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
