package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.memberlist.metrics.MetricsSnapshot;
import serf.testkit.Poll;

/** Go serf's metric names counted by each node, in the registry it shares with its memberlist; the Serf JFR events. */
class SerfMetricsTest {
    static {
        // serf.api leaves JFR to serf.memberlist (it does not read jdk.jfr); this test reads recordings.
        SerfMetricsTest.class.getModule().addReads(ModuleLayer.boot().findModule("jdk.jfr").orElseThrow());
    }

    @Test
    void membersEventsAndQueriesAreCountedUnderGoNamesAndRecordedByJfr(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("serf.jfr");
        try (Recording rec = new Recording(); SerfCluster c = new SerfCluster(21)) {
            rec.enable("serf.Member");
            rec.enable("serf.UserEvent");
            rec.enable("serf.Query");
            rec.start();
            for (int i = 0; i < 3; i++) {
                c.add("s" + i);
            }
            c.joinAll();
            c.awaitAllAlive(3, Duration.ofSeconds(10));
            Serf s0 = c.nodes.get(0);
            s0.userEvent("deploy", "v1".getBytes(), false);
            QueryResponse qr = s0.query("uptime", new byte[0], null);
            Poll.until("s1 and s2 get the event and the query", Duration.ofSeconds(30), () ->
                    c.nodes.get(1).metrics().snapshot().count("serf.queries.uptime") == 1
                    && c.nodes.get(2).metrics().snapshot().count("serf.events.deploy") == 1);
            c.nodes.get(2).leave();
            // Left, or failed first when memberlist's word came before Serf's leave intent (then the intent
            // makes it left without a second count, as in Go).
            Poll.until("s0 sees s2 go", Duration.ofSeconds(30), () -> {
                MetricsSnapshot m = s0.metrics().snapshot();
                return m.count("serf.member.left") + m.count("serf.member.failed") >= 1;
            });
            qr.close();
            rec.stop();
            rec.dump(file);

            MetricsSnapshot m = s0.metrics().snapshot();
            assertThat(m.count("serf.member.join")).isGreaterThanOrEqualTo(3);
            assertThat(m.count("serf.events")).isEqualTo(1);
            assertThat(m.count("serf.events.deploy")).isEqualTo(1);
            assertThat(m.count("serf.queries")).isGreaterThanOrEqualTo(1);
            assertThat(m.count("serf.queries.uptime")).isEqualTo(1);
            assertThat(m.count("serf.msgs.received")).isPositive();
            assertThat(m.count("serf.msgs.sent")).isPositive();
            // memberlist's metrics are in the same registry.
            assertThat(s0.metrics()).isSameAs(s0.memberlist().metrics());
            assertThat(m.count("memberlist.gossip")).isPositive();
        }
        Set<String> seen = new HashSet<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            switch (e.getEventType().getName()) {
                case "serf.Member" -> seen.add("member:" + e.getString("change") + ":" + e.getString("node"));
                case "serf.UserEvent" -> seen.add("event:" + e.getString("name"));
                case "serf.Query" -> seen.add("query:" + e.getString("name"));
                default -> { }
            }
        }
        assertThat(seen).contains("member:join:s1", "event:deploy", "query:uptime");
        assertThat(seen).containsAnyOf("member:leave:s2", "member:failed:s2");
    }
}
