package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.testkit.Poll;

/**
 * {@code -discover} against the Go agent's mDNS discovery, each test in a network namespace of its
 * own whose loopback carries multicast (so nothing leaves the test, and no other mDNS on the host
 * answers). Each agent polls once at start and then every 60 s, so within the test's deadline the
 * join is made by the agent started second: ours finding a Go agent, then a Go agent finding ours.
 * Skipped without the Go agent or without network namespaces (not root).
 */
class MdnsInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsGoAndNamespaces() {
        assumeTrue(AgentProcess.goAvailable(), "the Go agent (/usr/bin/serf) is not installed");
        var why = NetNs.unavailable();
        assumeTrue(why.isEmpty(), () -> "no network namespaces: " + why.orElse(""));
    }

    private static AgentProcess start(NetNs ns, AgentProcess.Impl impl, String name, Path dir, String... flags)
            throws Exception {
        return AgentProcess.launch(impl, name, dir, ns.exec(), Map.of(), flags).awaitRunning();
    }

    private static String members(NetNs ns, AgentProcess a) {
        return ns.inside("/usr/bin/serf", "members", "-rpc-addr=" + a.rpcAddress());
    }

    @Test
    void ourAgentDiscoversAGoAgent() throws Exception {
        try (NetNs ns = NetNs.create()) {
            AgentProcess go = null;
            AgentProcess ours = null;
            try {
                go = start(ns, AgentProcess.Impl.GO, "go1", dir, "-discover=mdnstest");
                go.awaitLog("mDNS cluster: mdnstest", Duration.ofSeconds(5));
                ours = start(ns, AgentProcess.Impl.OURS, "java1", dir, "-discover=mdnstest");
                ours.awaitLog("                   mDNS cluster: mdnstest", Duration.ofSeconds(5));
                ours.awaitLog("agent.mdns: Joined 1 hosts", Duration.ofSeconds(20));
                AgentProcess o = ours;
                Poll.until("both agents see each other", Duration.ofSeconds(20),
                        () -> members(ns, o).contains("go1") && members(ns, o).contains("java1"));
                assertThat(ours.log()).contains("agent: joining: [" + go.gossipAddress() + "]");
                assertThat(members(ns, go)).contains("java1").contains("alive");
            } finally {
                AgentProcess.closeAll(java.util.Arrays.asList(ours, go));
            }
        }
    }

    @Test
    void aGoAgentDiscoversOurs() throws Exception {
        try (NetNs ns = NetNs.create()) {
            AgentProcess go = null;
            AgentProcess ours = null;
            try {
                ours = start(ns, AgentProcess.Impl.OURS, "java1", dir, "-discover=mdnstest", "-log-level=debug");
                ours.awaitLog("Log data will now stream in", Duration.ofSeconds(10));
                // Garbage on the mDNS group first: counted, dropped, and the agent still answers.
                for (String junk : List.of("garbage", "\\x00\\x01\\x00\\x00\\x00\\x01", "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xc0")) {
                    ns.inside("bash", "-c", "printf '" + junk + "' > /dev/udp/224.0.0.251/5353");
                }
                AgentProcess o = ours;
                Poll.until("three bad packets counted", Duration.ofSeconds(10),
                        () -> ns.inside("/usr/bin/serf", "info", "-rpc-addr=" + o.rpcAddress()).contains("mdns_bad_packets = 3"));
                go = start(ns, AgentProcess.Impl.GO, "go1", dir, "-discover=mdnstest");
                go.awaitLog("agent.mdns: Joined", Duration.ofSeconds(20));
                // The Go agent joins every address it found, its own among them.
                assertThat(go.log()).contains(ours.gossipAddress());
                AgentProcess g = go;
                Poll.until("the Go agent lists ours", Duration.ofSeconds(20),
                        () -> members(ns, g).contains("java1"));
                assertThat(members(ns, ours)).contains("go1");
                assertThat(ours.log()).doesNotContain("agent.mdns: Joined");
            } finally {
                AgentProcess.closeAll(java.util.Arrays.asList(ours, go));
            }
        }
    }

    @Test
    void agentsOfAnotherClusterAreNotJoined() throws Exception {
        try (NetNs ns = NetNs.create()) {
            AgentProcess go = null;
            AgentProcess ours = null;
            try {
                go = start(ns, AgentProcess.Impl.GO, "go1", dir, "-discover=other");
                ours = start(ns, AgentProcess.Impl.OURS, "java1", dir, "-discover=mdnstest");
                ours.awaitLog("Log data will now stream in", Duration.ofSeconds(10));
                // our poll has a one-second window; give it that and a margin, then look
                AgentProcess o = ours;
                Poll.until("our first poll is over", Duration.ofSeconds(10),
                        () -> o.log().contains("agent: Serf agent starting"));
                Thread.sleep(2500); // a negative check: nothing must happen within the poll window
                assertThat(members(ns, ours)).doesNotContain("go1");
                assertThat(List.of(ours.log())).noneMatch(l -> l.contains("agent.mdns: Joined"));
            } finally {
                AgentProcess.closeAll(java.util.Arrays.asList(ours, go));
            }
        }
    }
}
