package serf.agent.internal;

import serf.client.internal.GoNet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import serf.wire.MsgValue;
import serf.wire.MsgpackReader;
import serf.wire.json.Json;

/** Go's text forms that the CLI's output depends on. */
class GoFormatsTest {

    private static byte[] ip6(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void ipStringsAsGoPrintsThem() {
        assertThat(GoNet.ipString(new byte[] {127, 0, 0, 1})).isEqualTo("127.0.0.1");
        assertThat(GoNet.ipString(ip6("00000000000000000000ffff0a000001"))).isEqualTo("10.0.0.1");
        assertThat(GoNet.ipString(ip6("00000000000000000000000000000001"))).isEqualTo("::1");
        assertThat(GoNet.ipString(ip6("00000000000000000000000000000000"))).isEqualTo("::");
        assertThat(GoNet.ipString(ip6("20010db8000000000000000000000001"))).isEqualTo("2001:db8::1");
        assertThat(GoNet.ipString(ip6("20010db8000000000001000000000001"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(GoNet.ipString(ip6("00010000000000020000000000000003"))).isEqualTo("1:0:0:2::3");
        assertThat(GoNet.ipString(ip6("00010000000200030004000500060007"))).isEqualTo("1:0:2:3:4:5:6:7");
        assertThat(GoNet.ipString(ip6("fe800000000000000000000000000000"))).isEqualTo("fe80::");
        assertThat(GoNet.ipString(new byte[0])).isEqualTo("<nil>");
        assertThat(GoNet.ipString(new byte[] {1, 2, 3})).isEqualTo("?010203");
        assertThat(GoNet.tcpAddrString(ip6("00000000000000000000000000000001"), 7946)).isEqualTo("[::1]:7946");
        assertThat(GoNet.tcpAddrString(new byte[] {10, 0, 0, 2}, 7946)).isEqualTo("10.0.0.2:7946");
        assertThat(GoNet.tcpAddrString(null, 1)).isEqualTo(":1");
    }

    @Test
    void durationsAsTimeParseDuration() {
        assertThat(GoDuration.parseNanos("0")).isZero();
        assertThat(GoDuration.parseNanos("2s")).isEqualTo(2_000_000_000L);
        assertThat(GoDuration.parseNanos("1h2m3.5s")).isEqualTo(3_723_500_000_000L);
        assertThat(GoDuration.parseNanos("-1.5us")).isEqualTo(-1500);
        assertThat(GoDuration.parseNanos("+300ms")).isEqualTo(300_000_000L);
        assertThat(GoDuration.parseNanos(".5s")).isEqualTo(500_000_000L);
        assertThat(GoDuration.parseNanos("1.s")).isEqualTo(1_000_000_000L);
        assertThat(GoDuration.parseNanos("1\u00b5s")).isEqualTo(1000);
        assertThat(GoDuration.parseNanos("2562047h47m16.854775807s")).isEqualTo(Long.MAX_VALUE);
        assertThat(GoDuration.parseNanos("-2562047h47m16.854775808s")).isEqualTo(Long.MIN_VALUE);
        for (String bad : List.of("", "1", "s", ".s", "1x", "-", "1.5", "9999999999h", "2562047h47m16.854775808s", "1s2")) {
            assertThatThrownBy(() -> GoDuration.parseNanos(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> GoDuration.parseNanos("1")).hasMessage("time: missing unit in duration \"1\"");
        assertThatThrownBy(() -> GoDuration.parseNanos("1x")).hasMessage("time: unknown unit \"x\" in duration \"1x\"");
    }

    @Test
    void quotingAsStrconvQuote() {
        assertThat(GoText.quote("nosuch")).isEqualTo("\"nosuch\"");
        assertThat(GoText.quote("a\"b\\c\n\t\u0007\u007f")).isEqualTo("\"a\\\"b\\\\c\\n\\t\\a\\x7f\"");
        assertThat(GoText.quote("h\u00e4\u2028")).isEqualTo("\"h\u00e4\\u2028\"");
        assertThat(GoText.quote(new byte[] {'a', (byte) 0xff, (byte) 0xe2, (byte) 0x82})).isEqualTo("\"a\\xff\\xe2\\x82\"");
    }

    @Test
    void invalidUtf8IsReplacedPerByteAsGoDoesInJson() {
        byte[] bytes = {'o', 'k', (byte) 0xe2, (byte) 0x82, 'x', (byte) 0xed, (byte) 0xa0, (byte) 0x80, (byte) 0xc3, (byte) 0xa4};
        String s = GoText.fromBytes(bytes);
        assertThat(GoText.toBytes(s)).isEqualTo(bytes);
        assertThat(Json.write(s)).isEqualTo("\"ok\\ufffd\\ufffdx\\ufffd\\ufffd\\ufffd\u00e4\"");
        assertThat(GoText.fromBytes("\ud83d\ude00".getBytes(StandardCharsets.UTF_8))).isEqualTo("\ud83d\ude00");
    }

    @Test
    void trimSpaceAndByteOrder() {
        assertThat(GoText.trimSpace(" \t\n a b \u00a0\u0085")).isEqualTo("a b");
        assertThat(List.of("\uffff", "\ud83d\ude00", "a").stream().sorted(GoText.BYTE_ORDER).toList())
                .containsExactly("a", "\uffff", "\ud83d\ude00");
    }

    @Test
    void sharpVOfDecodedRecords() {
        // {Event:"user", LTime:200, Payload: bin 70, Members:[{Addr: bin 7f000001, Port: 7946, Tags:{}, X: nil, N: -3}]}
        byte[] rec = HexFormat.of().parseHex("84a54576656e74a475736572a54c54696d65ccc8a75061796c6f6164c40170"
                + "a74d656d6265727391" + "85a441646472c4047f000001a4506f7274cd1f0aa45461677380a158c0a14ed0fd");
        MsgValue.Map m = (MsgValue.Map) new MsgpackReader(rec).readValue();
        assertThat(GoSyntax.topLevel(m.get("Event"))).isEqualTo("\"user\"");
        assertThat(GoSyntax.topLevel(m.get("LTime"))).isEqualTo("0xc8");
        assertThat(GoSyntax.topLevel(m.get("Payload"))).isEqualTo("[]byte{0x70}");
        assertThat(GoSyntax.topLevel(m.get("Members"))).isEqualTo("[]interface {}{map[interface {}]interface {}{"
                + "\"Addr\":[]uint8{0x7f, 0x0, 0x0, 0x1}, \"N\":-3, \"Port\":0x1f0a, \"Tags\":map[interface {}]interface {}{}, "
                + "\"X\":interface {}(nil)}}");
        assertThat(GoSyntax.topLevel(MsgValue.Nil.INSTANCE)).isEqualTo("<nil>");
        assertThat(GoSyntax.topLevel(new MsgValue.Int(5, true))).isEqualTo("5");
        assertThat(GoSyntax.topLevel(new MsgValue.Bool(true))).isEqualTo("true");
    }

    @Test
    void floatsAsFmt() {
        assertThat(GoFloat.formatFixed(0.5044, 3)).isEqualTo("0.504");
        assertThat(GoFloat.formatFixed(0.0005, 3)).isEqualTo("0.001"); // binary value is just above the tie
        assertThat(GoFloat.formatFixed(2.5, 0)).isEqualTo("2");
        assertThat(GoFloat.formatFixed(3.2049, 2)).isEqualTo("3.20");
        assertThat(GoFloat.formatG(1e6)).isEqualTo("1e+06");
        assertThat(GoFloat.formatG(123456.0)).isEqualTo("123456");
        assertThat(GoFloat.formatG(0.0001)).isEqualTo("0.0001");
        assertThat(GoFloat.formatG(0.00001234)).isEqualTo("1.234e-05");
        assertThat(GoFloat.formatG(-1.5)).isEqualTo("-1.5");
    }
}
