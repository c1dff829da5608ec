package serf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Go's address parsing and dial error texts (the CLI prints them; the interop test compares with Go). */
class GoDialTest {

    @Test
    void parsesLikeSplitHostPort() throws IOException {
        assertThat(GoDial.parse("127.0.0.1:7373")).isEqualTo(new GoDial.HostPort("127.0.0.1", 7373));
        assertThat(GoDial.parse("[::1]:1")).isEqualTo(new GoDial.HostPort("::1", 1));
        assertThat(GoDial.parse(":1")).isEqualTo(new GoDial.HostPort("", 1));
        assertThat(GoDial.parse("h:")).isEqualTo(new GoDial.HostPort("h", 0));
    }

    @Test
    void badAddressesGiveGoMessages() {
        assertThatThrownBy(() -> GoDial.parse("foo")).hasMessage("dial tcp: address foo: missing port in address");
        assertThatThrownBy(() -> GoDial.parse("a:b:c")).hasMessage("dial tcp: address a:b:c: too many colons in address");
        assertThatThrownBy(() -> GoDial.parse("127.0.0.1:abc")).hasMessage("dial tcp: address tcp/abc: unknown port");
        assertThatThrownBy(() -> GoDial.parse("127.0.0.1:99999")).hasMessage("dial tcp: address 99999: invalid port");
        assertThatThrownBy(() -> GoDial.parse("[::1")).hasMessage("dial tcp: address [::1: missing ']' in address");
        assertThatThrownBy(() -> GoDial.parse("[::1]x:1")).hasMessage("dial tcp: address [::1]x:1: missing port in address");
    }

    @Test
    void refusedConnectionsNameTheResolvedAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int closed = port;
        assertThatThrownBy(() -> GoDial.dial("127.0.0.1:" + closed, Duration.ofSeconds(5)))
                .hasMessage("dial tcp 127.0.0.1:" + closed + ": connect: connection refused");
        assertThatThrownBy(() -> GoDial.dial(":" + closed, Duration.ofSeconds(5)))
                .hasMessage("dial tcp :" + closed + ": connect: connection refused");
    }
}
