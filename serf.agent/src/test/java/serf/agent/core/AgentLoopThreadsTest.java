package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import serf.memberlist.transport.LoopThreads;

/**
 * The agent runs one node per process, so its node's loops (Serf's timer, the transport's datagram
 * reader and acceptor) are platform threads: cheaper to wake than virtual ones (docs/benchmarks.md,
 * "Idle CPU of the agent").
 */
class AgentLoopThreadsTest {

    @Test
    void theNodesLoopsArePlatformThreads() throws Exception {
        try (TestAgent a = TestAgent.start("loops", RpcLimits.defaults(), "-profile=local")) {
            assertThat(a.agent.serf().config().memberlistConfig().loopThreads()).isEqualTo(LoopThreads.PLATFORM);
            int port = a.agent.serf().memberlist().advertiseAddress().getPort();
            Set<String> platform = new HashSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                platform.add(t.getName());
            }
            assertThat(platform).containsAll(List.of("serf-loops-timer", "memberlist-udp-" + port,
                    "memberlist-tcp-accept-" + port));
        }
    }
}
