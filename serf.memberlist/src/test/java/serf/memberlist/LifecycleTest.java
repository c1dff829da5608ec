package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import serf.testkit.Poll;
import serf.testkit.ThreadNames;

/** shutdown() returns every socket and thread: many real nodes come and go, nothing stays behind. */
class LifecycleTest {

    @Test
    void manyNodesShutDownLeaveNoThreadsOrSockets() throws Exception {
        List<Memberlist> nodes = new ArrayList<>();
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 12; i++) {
                Memberlist m = Memberlist.create(MemberlistConfig.local().name("life-" + round + "-" + i).bindAddr("127.0.0.1").bindPort(0));
                nodes.add(m);
                addrs.add(m.advertiseAddress());
            }
            String seed = "127.0.0.1:" + nodes.get(0).advertiseAddress().getPort();
            for (Memberlist m : nodes.subList(1, nodes.size())) {
                m.join(List.of(seed));
            }
            // What matters here is that every node has worked with every other (probes, gossip, push/pull
            // threads); a node a loaded machine wrongly suspects still counts.
            Poll.until("every node to know all 12", Duration.ofSeconds(40), () -> nodes.stream().allMatch(m -> m.allNodes().size() == 12));
            // The check below must be able to see these threads at all (virtual ones included).
            assertThat(ThreadNames.includesVirtualThreads()).isTrue();
            assertThat(ThreadNames.liveStartingWith("memberlist-life-" + round + "-")).filteredOn(n -> n.endsWith("-timer")).hasSize(12);
            // A suspicion timer and a TCP ping in flight at shutdown must end too: crash one node first.
            nodes.get(11).shutdown();
            nodes.forEach(Memberlist::shutdown);
            nodes.clear();
        }
        Poll.until("no memberlist thread left (virtual threads included: " + ThreadNames.includesVirtualThreads() + ")",
                Duration.ofSeconds(15), () -> ThreadNames.liveStartingWith("memberlist-").isEmpty());
        for (InetSocketAddress a : addrs) {
            try (ServerSocket tcp = new ServerSocket(a.getPort(), 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), a.getPort()))) {
                assertThat(tcp.isBound() && udp.isBound()).isTrue();
            }
        }
    }
}
