package serf.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import serf.testkit.Poll;

/** Name conflicts, reconnection after a partition, reaping, and the older protocol versions. */
class SerfResilienceTest {

    @Test
    void aNewcomerWithATakenNameLosesTheConflictVoteAndShutsDown() throws Exception {
        try (SerfCluster c = new SerfCluster(31)) {
            c.add("a");
            c.add("b");
            c.add("x");
            c.joinAll();
            c.awaitAllAlive(3, Duration.ofSeconds(10));
            // A second "x" at another address: memberlist reports the conflict on both sides; the
            // newcomer asks the cluster, gets no majority for its address, and quits.
            Serf impostor = c.add("x-impostor", cfg -> {
                cfg.nodeName("x");
                cfg.memberlistConfig().name("x");
                return cfg;
            });
            impostor.join(List.of(SerfCluster.addressOf(c.nodes.get(0))), false);
            Poll.until("the impostor to shut itself down", Duration.ofSeconds(20),
                    () -> impostor.state() == SerfState.SHUTDOWN);
            assertThat(impostor.shutdownFuture()).isCompleted();
            Serf original = c.nodes.get(2);
            assertThat(original.state()).isEqualTo(SerfState.ALIVE);
            InetSocketAddress xAddr = original.memberlist().advertiseAddress();
            Member seenByA = c.nodes.get(0).members().stream().filter(m -> m.name().equals("x")).findFirst().orElseThrow();
            assertThat(seenByA.addr()).isEqualTo(xAddr.getAddress());
            assertThat(seenByA.port()).isEqualTo(xAddr.getPort());
        }
    }

    @Test
    void failedMembersAreReconnectedAfterAPartitionHeals() throws Exception {
        try (SerfCluster c = new SerfCluster(32)) {
            for (String n : List.of("a", "b", "c")) {
                c.add(n, cfg -> cfg.reconnectInterval(Duration.ofMillis(300)));
            }
            c.joinAll();
            c.awaitAllAlive(3, Duration.ofSeconds(10));
            var cAddr = c.nodes.get(2).memberlist().advertiseAddress();
            var partition = c.network.isolate(cAddr);
            Poll.until("c failed on a", Duration.ofSeconds(20),
                    () -> SerfCluster.statusOf(c.nodes.get(0), "c") == MemberStatus.FAILED);
            c.network.heal(partition);
            // No explicit join: the reconnect loop finds the failed member again.
            c.awaitAllAlive(3, Duration.ofSeconds(30));
            // Events reach the sink through the node's delivery queue, after the member changed.
            Poll.until("a's sink got c's failure and rejoin", Duration.ofSeconds(10), () -> c.events.get("a").stream()
                    .anyMatch(e -> e.type() == EventType.MEMBER_FAILED) && c.events.get("a").stream()
                    .anyMatch(e -> e.type() == EventType.MEMBER_JOIN && ((Event.MemberEvent) e).members().get(0).name().equals("c")));
        }
    }

    @Test
    void leftMembersAreReapedAfterTheTombstoneTimeout() throws Exception {
        try (SerfCluster c = new SerfCluster(33)) {
            c.add("a", cfg -> cfg.tombstoneTimeout(Duration.ofMillis(500)));
            Serf b = c.add("b");
            c.joinAll();
            c.awaitAllAlive(2, Duration.ofSeconds(10));
            b.leave();
            b.shutdown();
            Poll.until("b reaped on a", Duration.ofSeconds(15), () -> SerfCluster.statusOf(c.nodes.get(0), "b") == null);
            Poll.until("a's sink got the reap event", Duration.ofSeconds(10),
                    () -> c.events.get("a").stream().anyMatch(e -> e.type() == EventType.MEMBER_REAP));
        }
    }

    @Test
    void protocolTwoNodesAdvertiseOnlyTheRoleAndCannotQuery() throws Exception {
        try (SerfCluster c = new SerfCluster(34)) {
            c.add("new");
            Serf old = c.add("old", cfg -> cfg.protocolVersion(2).tags(Map.of("role", "web", "dc", "x")));
            Serf three = c.add("three", cfg -> cfg.protocolVersion(3).tags(Map.of("role", "db", "dc", "y")));
            c.joinAll();
            c.awaitAllAlive(3, Duration.ofSeconds(10));
            Serf n = c.nodes.get(0);
            Member oldSeen = n.members().stream().filter(m -> m.name().equals("old")).findFirst().orElseThrow();
            assertThat(oldSeen.tags()).isEqualTo(Map.of("role", "web"));
            assertThat(oldSeen.delegateCur()).isEqualTo(2);
            Member threeSeen = n.members().stream().filter(m -> m.name().equals("three")).findFirst().orElseThrow();
            assertThat(threeSeen.tags()).isEqualTo(Map.of("role", "db", "dc", "y"));
            assertThatThrownBy(() -> three.query("q", null, null)).isInstanceOf(SerfException.class).hasMessage("Feature not supported");
            // Old nodes still answer queries from newer ones.
            QueryResponse r = n.query("q", null, n.defaultQueryParams().withAck(true).withTimeout(Duration.ofSeconds(2)));
            assertThat(r.awaitAcks()).contains("old", "three", "new");
            old.userEvent("from-old", null, false);
            Poll.until("the old node's event on the new one", Duration.ofSeconds(10),
                    () -> c.userEvents("new").stream().anyMatch(e -> e.name().equals("from-old")));
        }
    }

    @Test
    void invalidConfigurationsAreRefusedWithClearErrors() {
        assertThatThrownBy(() -> Serf.create(Config.defaults().nodeName("p").protocolVersion(6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Protocol version '6' too high");
        assertThatThrownBy(() -> Serf.create(Config.defaults().nodeName("p").userEventSizeLimit(10_000)))
                .hasMessage("user event size limit exceeds limit of 9216 bytes");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            big.append('x');
        }
        assertThatThrownBy(() -> Serf.create(Config.defaults().nodeName("p").tags(Map.of("big", big.toString()))))
                .hasMessage("Encoded length of tags exceeds limit of 512 bytes");
    }
}
