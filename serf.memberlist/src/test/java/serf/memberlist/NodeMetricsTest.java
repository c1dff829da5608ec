package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.memberlist.internal.jfr.Flight;
import serf.memberlist.metrics.Metrics;
import serf.memberlist.metrics.MetricsSnapshot;
import serf.testkit.Poll;

/** Go memberlist's metrics counted at their call sites, per node, and the JFR events a recording gets. */
class NodeMetricsTest {
    @Test
    void aClusterCountsGoMetricsPerNodeAndAFailureShowsUpInJfr(@TempDir Path dir) throws Exception {
        assertThat(Flight.ON).isTrue();
        Path file = dir.resolve("serf.jfr");
        try (Recording rec = new Recording(); Cluster c = new Cluster(11)) {
            rec.enable("serf.memberlist.Probe");
            rec.enable("serf.memberlist.Suspect");
            rec.enable("serf.memberlist.Dead");
            rec.enable("serf.memberlist.Gossip");
            rec.enable("serf.memberlist.PushPull");
            rec.enable("serf.memberlist.Refute");
            rec.start();
            for (int i = 0; i < 4; i++) {
                c.add("n" + i);
            }
            c.joinAll();
            Cluster.awaitMembers(c.nodes, 4, Duration.ofSeconds(10));
            Memberlist victim = c.nodes.get(3);
            c.network.setDown(victim.advertiseAddress(), true);
            victim.shutdown();
            List<Memberlist> rest = c.nodes.subList(0, 3);
            Poll.until("n3 dead everywhere", Duration.ofSeconds(20),
                    () -> rest.stream().allMatch(m -> Cluster.stateOf(m, "n3") == NodeState.DEAD));
            rec.stop();
            rec.dump(file);

            Memberlist n0 = c.nodes.get(0);
            MetricsSnapshot s = n0.metrics().snapshot();
            assertThat(s.count("memberlist.probeNode")).isPositive();
            assertThat(s.count("memberlist.gossip")).isPositive();
            assertThat(s.count("memberlist.msg.alive")).isGreaterThanOrEqualTo(4);
            assertThat(s.count("memberlist.msg.dead")).isGreaterThanOrEqualTo(1);
            assertThat(s.count("memberlist.udp.sent")).isPositive();
            assertThat(s.count("memberlist.udp.received")).isPositive();
            assertThat(s.count("memberlist.tcp.accept") + s.count("memberlist.tcp.connect")).isPositive();
            assertThat(s.get("memberlist.stats.nodes_refused")).isPresent();
            assertThat(s.get("memberlist.stats.broadcasts_dropped")).isPresent();
            // Per node: the joiners connected (push/pull on join), the seed accepted.
            assertThat(c.nodes.get(1).metrics().snapshot().count("memberlist.tcp.connect")).isPositive();
            assertThat(n0.metrics()).isNotSameAs(c.nodes.get(1).metrics());
        }
        Map<String, Integer> byType = new HashMap<>();
        boolean deadN3 = false;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            byType.merge(e.getEventType().getName(), 1, Integer::sum);
            if (e.getEventType().getName().equals("serf.memberlist.Dead") && "n3".equals(e.getString("node"))) {
                deadN3 = true;
            }
        }
        assertThat(byType).containsKeys("serf.memberlist.Probe", "serf.memberlist.Gossip", "serf.memberlist.PushPull",
                "serf.memberlist.Suspect", "serf.memberlist.Dead");
        assertThat(deadN3).isTrue();
        assertThat(Files.size(file)).isPositive();
    }

    @Test
    void aRegistryGivenInTheConfigIsTheNodes() throws Exception {
        try (Cluster c = new Cluster(5)) {
            Metrics mine = new Metrics();
            Memberlist m = c.add("solo", cfg -> cfg.metrics(mine));
            assertThat(m.metrics()).isSameAs(mine);
            Poll.until("a gossip round", Duration.ofSeconds(5), () -> mine.snapshot().count("memberlist.gossip") > 0);
        }
    }
}
