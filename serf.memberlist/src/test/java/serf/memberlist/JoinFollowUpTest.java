package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import serf.memberlist.transport.LinkFaults;
import serf.testkit.Poll;

/**
 * A joined node pushes/pulls once more with a random live member shortly after its join, so that a
 * node that joined the same seed a moment later is learned even when no gossip about it arrives.
 */
class JoinFollowUpTest {

    @Test
    void aNodeThatJoinedJustAfterIsLearnedWithoutGossip() throws Exception {
        try (Cluster c = new Cluster(11)) {
            // Periodic push/pull far away: only the join's follow-up can teach b about c.
            Memberlist a = c.add("a", x -> x.pushPullInterval(Duration.ofMinutes(10)));
            Memberlist b = c.add("b", x -> x.pushPullInterval(Duration.ofMinutes(10)));
            Memberlist cc = c.add("c", x -> x.pushPullInterval(Duration.ofMinutes(10)));
            InetSocketAddress ab = a.advertiseAddress();
            InetSocketAddress bb = b.advertiseAddress();
            InetSocketAddress cb = cc.advertiseAddress();
            String seed = c.addressOf(a);

            assertThat(b.join(List.of(seed))).isEqualTo(1);
            // From now on no packet reaches b: no gossip, no ping; streams still work.
            c.network.setLinkFaults(ab, bb, LinkFaults.loss(1.0));
            c.network.setLinkFaults(cb, bb, LinkFaults.loss(1.0));
            assertThat(cc.join(List.of(seed))).isEqualTo(1);

            Duration took = Poll.timeUntil("b to learn c", Duration.ofSeconds(5),
                    () -> b.members().stream().anyMatch(n -> n.name().equals("c")));
            assertThat(took).isLessThan(ClusterJoin.followUpDelay(Cluster.fastConfig("x")).multipliedBy(5));
        }
    }

    @Test
    void theFollowUpWaitsTenGossipRounds() {
        assertThat(ClusterJoin.followUpDelay(MemberlistConfig.lan())).isEqualTo(Duration.ofSeconds(2));
        assertThat(ClusterJoin.followUpDelay(MemberlistConfig.local())).isEqualTo(Duration.ofSeconds(1));
    }
}
