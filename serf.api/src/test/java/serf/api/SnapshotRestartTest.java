package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.testkit.Poll;

/** A node stopped without leaving restarts from its snapshot, rejoins by itself and replays nothing old. */
class SnapshotRestartTest {

    @TempDir
    Path dir;

    @Test
    void restartFromSnapshotRejoinsAndDoesNotReplayOldEvents() throws Exception {
        Path snap = dir.resolve("b.snapshot");
        try (SerfCluster c = new SerfCluster(21)) {
            c.add("a");
            Serf b = c.add("b", cfg -> cfg.snapshotPath(snap.toString()));
            c.add("c");
            c.joinAll();
            c.awaitAllAlive(3, Duration.ofSeconds(10));
            for (int i = 0; i < 3; i++) {
                c.nodes.get(0).userEvent("old-" + i, null, false);
            }
            Poll.until("b to get the old events", Duration.ofSeconds(10), () -> c.userEvents("b").size() == 3);
            var address = b.memberlist().advertiseAddress();

            // "Crash": stop without a leave, and leave a torn half line at the end of the file as a
            // crash in the middle of an append would.
            b.shutdown();
            c.network.setDown(address, true);
            Files.writeString(snap, "alive: torn-no", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Poll.until("a to see b failed", Duration.ofSeconds(20),
                    () -> SerfCluster.statusOf(c.nodes.get(0), "b") == MemberStatus.FAILED);
            c.network.setDown(address, false);

            List<Event> restarted = new CopyOnWriteArrayList<>();
            Config cfg = Config.defaults().nodeName("b").protocolVersion(5).snapshotPath(snap.toString())
                    .memberlistConfig(SerfCluster.fastMemberlist("b").transport(c.network.transport(address)))
                    .eventSink(restarted::add);
            Serf b2 = Serf.create(cfg);
            try {
                // No join call: the snapshot's alive nodes are rejoined in the background.
                Poll.until("b to be alive again on a and c", Duration.ofSeconds(20), () ->
                        SerfCluster.statusOf(c.nodes.get(0), "b") == MemberStatus.ALIVE
                                && SerfCluster.statusOf(c.nodes.get(2), "b") == MemberStatus.ALIVE);
                c.nodes.get(2).userEvent("new-after-restart", null, false);
                Poll.until("b to get the new event", Duration.ofSeconds(10), () -> restarted.stream()
                        .anyMatch(e -> e instanceof Event.UserEvent u && u.name().equals("new-after-restart")));
                // The push/pull on rejoin carried the old events again; the restored clock filtered them.
                assertThat(restarted).filteredOn(e -> e instanceof Event.UserEvent)
                        .extracting(e -> ((Event.UserEvent) e).name()).containsExactly("new-after-restart");
            } finally {
                b2.shutdown();
            }
        }
    }
}
