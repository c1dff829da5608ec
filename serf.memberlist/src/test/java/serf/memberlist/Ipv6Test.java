package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import serf.testkit.Poll;

/** Nodes on ::1: 16-byte addresses in alive messages and push/pulls, bracketed join addresses. */
class Ipv6Test {

    private static boolean ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void nodesOnIpv6LoopbackJoinDetectFailureAndLeave() throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 loopback on this machine");
        Memberlist a = Memberlist.create(MemberlistConfig.local().name("v6a").bindAddr("::1").bindPort(0));
        Memberlist b = Memberlist.create(MemberlistConfig.local().name("v6b").bindAddr("::1").bindPort(0));
        Memberlist c = Memberlist.create(MemberlistConfig.local().name("v6c").bindAddr("::1").bindPort(0));
        try {
            String seed = "[::1]:" + a.advertiseAddress().getPort();
            assertThat(b.join(List.of(seed))).isEqualTo(1);
            // c joins both: with the local profile's two transmits per broadcast in a cluster of three,
            // c's alive message can be spent on a and c (a ping, an ack) and never reach b, which then
            // learns of c only at the next push/pull, 15 s later (so in Go as here).
            String second = "[::1]:" + b.advertiseAddress().getPort();
            assertThat(c.join(List.of("v6a/" + seed, second))).isEqualTo(2);
            Poll.until("3 members on ::1", Duration.ofSeconds(10),
                    () -> a.numMembers() == 3 && b.numMembers() == 3 && c.numMembers() == 3);
            Node seen = b.members().stream().filter(n -> n.name().equals("v6c")).findFirst().orElseThrow();
            assertThat(seen.addr()).isInstanceOf(Inet6Address.class);
            c.shutdown();
            Poll.until("v6c dead on a and b", Duration.ofSeconds(20),
                    () -> a.numMembers() == 2 && b.numMembers() == 2);
        } finally {
            a.shutdown();
            b.shutdown();
            c.shutdown();
        }
    }
}
