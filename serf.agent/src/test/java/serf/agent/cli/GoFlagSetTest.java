package serf.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import serf.agent.internal.GoFlagSet;
import serf.agent.internal.GoStrconv;

/** Go's flag package as the CLI uses it (the interop tests compare the same cases with Go). */
class GoFlagSetTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private int usages;

    private GoFlagSet flags() {
        return new GoFlagSet(() -> usages++, new Ui(err)::output);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void formsOfFlags() {
        GoFlagSet f = flags();
        GoFlagSet.BoolFlag b = f.bool("detailed", false);
        GoFlagSet.StringFlag s = f.string("format", "text");
        GoFlagSet.ListFlag tags = f.list("tag");
        GoFlagSet.IntFlag n = f.integer("n", 0);
        GoFlagSet.DurationFlag d = f.duration("timeout", 0);
        assertThat(f.parseOrUsage(List.of("--detailed", "-format", "json", "-tag=a=b", "--tag", "c=d", "-n=0x10",
                "-timeout", "1m", "name", "-x"))).isTrue();
        assertThat(b.value).isTrue();
        assertThat(s.value).isEqualTo("json");
        assertThat(tags.values).containsExactly("a=b", "c=d");
        assertThat(n.value).isEqualTo(16);
        assertThat(d.nanos).isEqualTo(60_000_000_000L);
        assertThat(f.args()).containsExactly("name", "-x");
        assertThat(usages).isZero();
    }

    @Test
    void boolsTakeValuesOnlyAfterEquals() {
        GoFlagSet f = flags();
        GoFlagSet.BoolFlag b = f.bool("coalesce", true);
        assertThat(f.parseOrUsage(List.of("-coalesce", "false"))).isTrue();
        assertThat(b.value).isTrue();
        assertThat(f.args()).containsExactly("false");
        GoFlagSet g = flags();
        GoFlagSet.BoolFlag c = g.bool("coalesce", true);
        assertThat(g.parseOrUsage(List.of("-coalesce=F"))).isTrue();
        assertThat(c.value).isFalse();
    }

    @Test
    void terminatorsAndPositionals() {
        GoFlagSet f = flags();
        f.bool("x", false);
        assertThat(f.parseOrUsage(List.of("--", "-x"))).isTrue();
        assertThat(f.args()).containsExactly("-x");
        GoFlagSet g = flags();
        g.bool("x", false);
        assertThat(g.parseOrUsage(List.of("-", "-x"))).isTrue();
        assertThat(g.args()).containsExactly("-", "-x");
    }

    @Test
    void errorsPrintGoMessagesThenUsage() {
        GoFlagSet f = flags();
        f.bool("detailed", false);
        f.string("format", "text");
        f.integer("n", 0);
        assertThat(f.parseOrUsage(List.of("-bogus"))).isFalse();
        assertThat(f.parseOrUsage(List.of("-detailed=xyz"))).isFalse();
        assertThat(f.parseOrUsage(List.of("---x"))).isFalse();
        assertThat(f.parseOrUsage(List.of("-=x"))).isFalse();
        assertThat(f.parseOrUsage(List.of("-format"))).isFalse();
        assertThat(f.parseOrUsage(List.of("-n", "99999999999999999999"))).isFalse();
        assertThat(f.parseOrUsage(List.of("-n", "1_"))).isFalse();
        assertThat(err()).isEqualTo("flag provided but not defined: -bogus\n"
                + "invalid boolean value \"xyz\" for -detailed: parse error\n"
                + "bad flag syntax: ---x\n"
                + "bad flag syntax: -=x\n"
                + "flag needs an argument: -format\n"
                + "invalid value \"99999999999999999999\" for flag -n: value out of range\n"
                + "invalid value \"1_\" for flag -n: parse error\n");
        assertThat(usages).isEqualTo(7);
        // -help and -h (when not defined) ask for usage without an error line.
        assertThat(f.parseOrUsage(List.of("-help=1"))).isFalse();
        assertThat(usages).isEqualTo(8);
    }

    @Test
    void goIntegerSyntax() {
        assertThat(GoStrconv.parseInt("0x1F")).isEqualTo(31);
        assertThat(GoStrconv.parseInt("0o17")).isEqualTo(15);
        assertThat(GoStrconv.parseInt("017")).isEqualTo(15);
        assertThat(GoStrconv.parseInt("0b101")).isEqualTo(5);
        assertThat(GoStrconv.parseInt("1_000")).isEqualTo(1000);
        assertThat(GoStrconv.parseInt("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(GoStrconv.parseInt("0")).isZero();
        for (String bad : List.of("", "_1", "1__0", "0x", "08", "1e3", "+", "0x_", "9223372036854775808")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> GoStrconv.parseInt(bad)).as(bad)
                    .isInstanceOf(NumberFormatException.class);
        }
    }

    @Test
    void columnizeAsSimpleFormat() {
        assertThat(Columnize.simpleFormat(List.of("n1|127.0.0.1:1|alive|a=b", "long-name|127.0.0.1:22|left|")))
                .isEqualTo("n1         127.0.0.1:1   alive  a=b\nlong-name  127.0.0.1:22  left   ");
        assertThat(Columnize.simpleFormat(List.of("a | b", "ccc"))).isEqualTo("a    b\nccc");
        assertThat(Columnize.simpleFormat(List.of("\u00e4\u00e4|x", "abc|y"))).isEqualTo("\u00e4\u00e4   x\nabc  y");
        assertThat(Columnize.simpleFormat(List.of())).isEmpty();
    }
}
