package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.agent.discovery.TinyDns;
import serf.testkit.Poll;

/**
 * {@code -join} and {@code -retry-join} with a DNS SRV name (serf#305), looked up through a DNS
 * server the test runs on loopback ({@code SERF_DNS_SERVER}), joining a Go agent.
 */
class SrvJoinInteropTest {
    @TempDir
    Path dir;

    @Test
    void joinsTheTargetsOfAnSrvName() throws Exception {
        assumeTrue(AgentProcess.goAvailable(), "the Go agent (/usr/bin/serf) is not installed");
        try (TinyDns dns = new TinyDns(); AgentProcess go = AgentProcess.go("go-srv", dir)) {
            dns.srv("_serf._tcp.cluster.test", 10, 1, go.bindPort(), "go.cluster.test.").a("go.cluster.test", "127.0.0.1");
            AgentProcess ours = AgentProcess.launch(AgentProcess.Impl.OURS, "java-srv", dir, List.of(),
                    Map.of("SERF_DNS_SERVER", dns.address()), "-join=_serf._tcp.cluster.test");
            try {
                ours.awaitRunning();
                ours.awaitLog("Join completed. Synced with 1 initial agents", Duration.ofSeconds(20));
                Poll.until("the Go agent lists ours", Duration.ofSeconds(20),
                        () -> listed(go, "java-srv"));
                assertThat(dns.queries()).isPositive();
            } finally {
                ours.close();
            }
            // retry_join: the name resolves to nothing at first, then to the Go agent
            try (TinyDns later = new TinyDns()) {
                AgentProcess retry = AgentProcess.launch(AgentProcess.Impl.OURS, "java-retry", dir, List.of(),
                        Map.of("SERF_DNS_SERVER", later.address()), "-retry-join=_serf._tcp.cluster.test",
                        "-retry-interval=1s");
                try {
                    retry.awaitRunning();
                    retry.awaitLog("agent: Join failed:", Duration.ofSeconds(20));
                    assertThat(retry.log()).contains("_serf._tcp.cluster.test");
                    later.srv("_serf._tcp.cluster.test", 10, 1, go.bindPort(), "go.cluster.test.")
                            .a("go.cluster.test", "127.0.0.1");
                    retry.awaitLog("agent: Join completed. Synced with 1 initial agents", Duration.ofSeconds(20));
                    Poll.until("the Go agent lists the retrying agent", Duration.ofSeconds(20),
                            () -> listed(go, "java-retry"));
                } finally {
                    retry.close();
                }
            }
        }
    }

    private static boolean listed(AgentProcess go, String name) {
        try {
            return go.cli("members").out().contains(name);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
