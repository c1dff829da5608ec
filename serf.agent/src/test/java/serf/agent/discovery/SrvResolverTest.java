package serf.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SrvResolverTest {
    @Test
    void srvNamesAreThoseWithAnUnderscore() {
        assertThat(SrvResolver.isSrvName("_serf._tcp.example.com")).isTrue();
        assertThat(SrvResolver.isSrvName("_serf._tcp.example.com:7946")).isTrue();
        assertThat(SrvResolver.isSrvName("example.com")).isFalse();
        assertThat(SrvResolver.isSrvName("10.0.0.1:7946")).isFalse();
        assertThat(SrvResolver.isSrvName("[::1]:7946")).isFalse();
    }

    @Test
    void resolvesTargetsAndPortsInPriorityThenWeightOrder() throws Exception {
        try (TinyDns dns = new TinyDns()) {
            dns.srv("_serf._tcp.cluster.test", 20, 5, 7001, "c.cluster.test.")
                    .srv("_serf._tcp.cluster.test", 10, 1, 7002, "a.cluster.test.")
                    .srv("_serf._tcp.cluster.test", 10, 9, 7003, "b.cluster.test.")
                    .srv("_serf._tcp.cluster.test", 10, 9, 7004, ".")
                    .a("a.cluster.test", "127.0.0.2").a("b.cluster.test", "127.0.0.3")
                    .a("b.cluster.test", "127.0.0.4").a("c.cluster.test", "127.0.0.5");
            SrvResolver r = SrvResolver.of(dns.address());
            assertThat(r.resolve("_serf._tcp.cluster.test")).containsExactly(
                    "127.0.0.3:7003", "127.0.0.4:7003", "127.0.0.2:7002", "127.0.0.5:7001");
            // a port after the name is ignored; names are case-insensitive
            assertThat(r.resolve("_SERF._tcp.Cluster.Test:9999")).hasSize(4);
            List<String> failures = new ArrayList<>();
            assertThat(r.expand(List.of("10.0.0.1:7946", "_serf._tcp.cluster.test", "_serf._tcp.missing.test"), failures))
                    .containsExactly("10.0.0.1:7946", "127.0.0.3:7003", "127.0.0.4:7003", "127.0.0.2:7002", "127.0.0.5:7001");
            assertThat(failures).singleElement().asString().contains("_serf._tcp.missing.test");
        }
    }

    @Test
    void aDeadServerIsALookupFailureNotAHang() throws Exception {
        int port = serf.testkit.GoSerfAgent.freeUdpTcpPort();
        SrvResolver r = SrvResolver.of("127.0.0.1:" + port);
        long start = System.nanoTime();
        assertThatThrownBy(() -> r.resolve("_serf._tcp.cluster.test")).isInstanceOf(SrvResolver.LookupException.class)
                .hasMessageContaining("_serf._tcp.cluster.test");
        assertThat((System.nanoTime() - start) / 1_000_000_000L).isLessThan(20);
    }
}
