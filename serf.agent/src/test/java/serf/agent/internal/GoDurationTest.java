package serf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

    @ParameterizedTest(name = "{0} = {1}ns")
    @CsvSource(delimiter = '|', value = {
            "0|0", "5s|5000000000", "30s|30000000000", "1478s|1478000000000", "-5s|-5000000000", "+5s|5000000000",
            "-0|0", "+0|0", "5.0s|5000000000", "5.6s|5600000000", "5.s|5000000000", ".5s|500000000",
            "1.0s|1000000000", "1.00s|1000000000", "1.004s|1004000000", "1.0040s|1004000000",
            "100.00100s|100001000000", "10ns|10", "11us|11000", "12\u00b5s|12000", "12\u03bcs|12000",
            "13ms|13000000", "14s|14000000000", "15m|900000000000", "16h|57600000000000",
            "3h30m|12600000000000", "10.5s4m|250500000000", "-2m3.4s|-123400000000",
            "1h2m3s4ms5us6ns|3723004005006", "39h9m14.425s|140954425000000", "52763797000ns|52763797000",
            "0.3333333333333333333h|1200000000000", "9007199254740993ns|9007199254740993",
            "9223372036854775807ns|9223372036854775807", "9223372036854775.807us|9223372036854775807",
            "9223372036s854ms775us807ns|9223372036854775807", "-9223372036854775808ns|-9223372036854775808",
            "-9223372036854775.808us|-9223372036854775808", "0.100000000000000000000h|360000000000",
            "0.830103483285477580700h|2988372539827", "1m30s|90000000000", "500ms|500000000", "24h|86400000000000",
    })
    void parsesWhatGoParses(String text, long nanos) {
        assertThat(GoDuration.parseNanos(text)).isEqualTo(nanos);
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``|time: invalid duration \"\"",
            "3|time: missing unit in duration \"3\"",
            "-|time: invalid duration \"-\"",
            "s|time: invalid duration \"s\"",
            ".|time: invalid duration \".\"",
            "-.|time: invalid duration \"-.\"",
            ".s|time: invalid duration \".s\"",
            "+.s|time: invalid duration \"+.s\"",
            "1d|time: unknown unit \"d\" in duration \"1d\"",
            "5x|time: unknown unit \"x\" in duration \"5x\"",
            "1.5sec|time: unknown unit \"sec\" in duration \"1.5sec\"",
            "1s2|time: missing unit in duration \"1s2\"",
            "1 s|time: unknown unit \" s\" in duration \"1 s\"",
            "1S|time: unknown unit \"S\" in duration \"1S\"",
            "9223372036854775808ns|time: invalid duration \"9223372036854775808ns\"",
            "9223372036854775.808us|time: invalid duration \"9223372036854775.808us\"",
            "9223372036854ms775us808ns|time: invalid duration \"9223372036854ms775us808ns\"",
            "-9223372036854775809ns|time: invalid duration \"-9223372036854775809ns\"",
            "99999999999999999999s|time: invalid duration \"99999999999999999999s\"",
            "40871047388571062177ns|time: invalid duration \"40871047388571062177ns\"",
            "3000000h|time: invalid duration \"3000000h\"",
            "1\u00e9|time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"",
            "a\"b|time: invalid duration \"a\\\"b\"",
    })
    void refusesWithGoText(String text, String message) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "0|0s", "1|1ns", "1100|1.1\u00b5s", "2200000|2.2ms", "3300000000|3.3s", "245000000000|4m5s",
            "245001000000|4m5.001s", "18367001000000|5h6m7.001s", "480000000001|8m0.000000001s",
            "9223372036854775807|2562047h47m16.854775807s", "-9223372036854775808|-2562047h47m16.854775808s",
            "3600000000000|1h0m0s", "-1|-1ns", "1000|1\u00b5s", "999999|999.999\u00b5s", "1000000000|1s",
            "30000000000|30s", "90000000000|1m30s", "500000000|500ms", "-1500000000|-1.5s", "60000000000|1m0s",
    })
    void formatsLikeDurationString(long nanos, String text) {
        assertThat(GoDuration.format(nanos)).isEqualTo(text);
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
    }

    @Test
    void formatThenParseRoundTrips() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long v = switch (i % 4) {
                case 0 -> r.nextLong();
                case 1 -> r.nextInt();
                case 2 -> r.nextInt(1_000_000);
                default -> (long) r.nextInt(100_000) * 1_000_000L;
            };
            assertThat(GoDuration.parseNanos(GoDuration.format(v))).as("%d", v).isEqualTo(v);
        }
    }
}
