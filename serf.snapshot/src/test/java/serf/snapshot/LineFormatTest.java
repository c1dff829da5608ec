package serf.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import serf.snapshot.internal.GoAddressFormat;
import serf.snapshot.internal.SnapshotLine;
import serf.snapshot.internal.UnsignedDecimal;

/** Line grammar, Go's number rules and Go's address text. */
class LineFormatTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1                  | 7946 | 127.0.0.1:7946
            ::1                        | 7946 | [::1]:7946
            ::                         | 1    | [::]:1
            ::ffff:10.1.2.3            | 80   | 10.1.2.3:80
            2001:db8::1                | 7946 | [2001:db8::1]:7946
            2001:db8:0:1:1:1:1:1       | 2    | [2001:db8:0:1:1:1:1:1]:2
            1:0:0:1:0:0:0:0            | 3    | [1:0:0:1::]:3
            1:0:0:2:0:0:3:4            | 4    | [1::2:0:0:3:4]:4
            0:0:0:0:0:0:102:304        | 5    | [::102:304]:5
            fe80:0:0:0:abcd:ef:0:0     | 6    | [fe80::abcd:ef:0:0]:6
            """)
    void addressesAreFormattedAsGo(String ip, int port, String expected) throws Exception {
        byte[] raw = InetAddress.getByName(ip).getAddress();
        assertThat(KnownNode.of("n", raw, port).address()).isEqualTo(expected);
        assertThat(KnownNode.of("n", new InetSocketAddress(InetAddress.getByName(ip), port)).address())
                .isEqualTo(expected);
    }

    @Test
    void ipv4Mapped16ByteFormIsDotted() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, (byte) 168, 1, 2};
        assertThat(GoAddressFormat.tcpAddress(mapped, 7946)).isEqualTo("192.168.1.2:7946");
    }

    @Test
    void oddIpsAreFormattedAsGo() {
        assertThat(GoAddressFormat.tcpAddress(new byte[0], 7946)).isEqualTo(":7946");
        assertThat(GoAddressFormat.tcpAddress(null, 1)).isEqualTo(":1");
        assertThat(GoAddressFormat.tcpAddress(new byte[] {1, 2, (byte) 0xab}, 9)).isEqualTo("?0102ab:9");
    }

    @Test
    void knownNodeTextsMatchGo() {
        KnownNode node = new KnownNode("beta", "127.0.0.1:7967");
        assertThat(node).hasToString("beta: 127.0.0.1:7967");
        assertThat(node.joinAddress()).isEqualTo("beta/127.0.0.1:7967");
        assertThat(new KnownNode("", "127.0.0.1:1").joinAddress()).isEqualTo("127.0.0.1:1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            0                     | 0
            007                   | 7
            18446744073709551615  | 18446744073709551615
            18446744073709551616  | NONE
            99999999999999999999  | NONE
            ''                    | NONE
            +1                    | NONE
            -1                    | NONE
            1_000                 | NONE
            ' 1'                  | NONE
            0x10                  | NONE
            ١                     | NONE
            """)
    void numbersFollowParseUint(String text, String expected) {
        OptionalLong parsed = UnsignedDecimal.parse(text);
        if (expected == null) {
            assertThat(parsed).isEmpty();
        } else {
            assertThat(parsed).isPresent();
            assertThat(Long.toUnsignedString(parsed.getAsLong())).isEqualTo(expected);
        }
    }

    @Test
    void linesParseAndFormatAsGo() {
        assertThat(SnapshotLine.parse("alive: a b 127.0.0.1:1")).isEqualTo(new SnapshotLine.Alive("a b", "127.0.0.1:1"));
        assertThat(SnapshotLine.parse("alive: name ")).isEqualTo(new SnapshotLine.Alive("name", ""));
        assertThat(SnapshotLine.parse("alive: x")).isInstanceOf(SnapshotLine.Malformed.class);
        assertThat(SnapshotLine.parse("alive:x y")).isInstanceOf(SnapshotLine.Malformed.class);
        assertThat(SnapshotLine.parse("not-alive: ")).isEqualTo(new SnapshotLine.NotAlive(""));
        assertThat(SnapshotLine.parse("leave")).isEqualTo(new SnapshotLine.Leave());
        assertThat(SnapshotLine.parse("leave ")).isInstanceOf(SnapshotLine.Malformed.class);
        assertThat(SnapshotLine.parse("#")).isEqualTo(new SnapshotLine.Comment(""));
        assertThat(SnapshotLine.parse("")).isInstanceOf(SnapshotLine.Malformed.class);
        assertThat(SnapshotLine.parse("coordinate: x")).isEqualTo(new SnapshotLine.Coordinate("x"));

        assertThat(new SnapshotLine.Alive("n", "127.0.0.1:7946").format()).isEqualTo("alive: n 127.0.0.1:7946\n");
        assertThat(new SnapshotLine.NotAlive("n").format()).isEqualTo("not-alive: n\n");
        assertThat(new SnapshotLine.Clock(-1).format()).isEqualTo("clock: 18446744073709551615\n");
        assertThat(new SnapshotLine.EventClock(0).format()).isEqualTo("event-clock: 0\n");
        assertThat(new SnapshotLine.QueryClock(12).format()).isEqualTo("query-clock: 12\n");
        assertThat(new SnapshotLine.Leave().format()).isEqualTo("leave\n");
    }
}
