package serf.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddrPartsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0|0.0.0.0|7946", "127.0.0.1:17946|127.0.0.1|17946", "[::1]|::1|7946", "[::1]:5|::1|5",
            "[::ffff:10.0.0.1]:5|10.0.0.1|5", "[fe80::1%lo]:9|fe80::1|9", "[2001:db8:0:0:1:0:0:1]:1|2001:db8::1:0:0:1|1",
            "[0:0:0:0:0:0:0:0]:2|::|2", "1.2.3.4:+80|1.2.3.4|80", "1.2.3.4:|1.2.3.4|0", "1.2.3.4:4294967300|1.2.3.4|4",
            ":99|<nil>|99", "1.2.3.4:00080|1.2.3.4|80",
    })
    void splitsLikeGo(String address, String ip, int port) {
        AddrParts a = AddrParts.parse(address, h -> {
            throw new AssertionError("no lookup expected for " + h);
        });
        assertThat(a).isEqualTo(new AddrParts(ip, port));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "::1|address ::1: too many colons in address",
            "[::1|address [::1: missing ']' in address",
            "1.2.3.4]:5|address 1.2.3.4]:5: unexpected ']' in address",
            "a[b:5|address a[b:5: unexpected '[' in address",
            "[::1]:5:6|address [::1]:5:6: too many colons in address",
            "1.2.3.4:99999|address 99999: invalid port",
            "1.2.3.4:-1|address -1: invalid port",
            "1.2.3.4:no-such-service-xyz|address tcp/no-such-service-xyz: unknown port",
            "[::1]x:5|address [::1]x:5: missing port in address",
    })
    void refusesWithGoTexts(String address, String message) {
        assertThatThrownBy(() -> AddrParts.parse(address)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void namesAreResolvedIpv4First() throws UnknownHostException {
        InetAddress v6 = InetAddress.getByName("::2");
        InetAddress v4 = InetAddress.getByName("10.1.2.3");
        assertThat(AddrParts.parse("myhost:1", h -> v4)).isEqualTo(new AddrParts("10.1.2.3", 1));
        assertThat(AddrParts.parse("myhost", h -> v6)).isEqualTo(new AddrParts("::2", 7946));
        assertThat(AddrParts.parse("localhost:5").port()).isEqualTo(5);
        assertThat(new AddrParts("::1", 5).hostPort()).isEqualTo("[::1]:5");
        assertThat(new AddrParts("1.2.3.4", 5).hostPort()).isEqualTo("1.2.3.4:5");
    }

    @Test
    void goRefusesLeadingZerosInIpv4Literals() {
        assertThat(AddrParts.ipLiteral("01.2.3.4")).isNull();
        assertThat(AddrParts.ipLiteral("1.2.3")).isNull();
        assertThat(AddrParts.ipLiteral("256.1.1.1")).isNull();
        assertThat(AddrParts.ipLiteral("1.2.3.4")).isNotNull();
    }
}
