package serf.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction past the size limit: when it happens, what the new file holds, its mode. */
class CompactionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final AtomicLong memberClock = new AtomicLong(6);

    private SnapshotConfig config(Path path, long minCompactSize) {
        return SnapshotConfig.defaults(path, memberClock::get)
                .withMinCompactSize(minCompactSize)
                .withClockUpdateInterval(Duration.ofHours(1))
                .withLogger(new TestSupport.RecordingLogger());
    }

    private static void offer(Snapshotter snap, SnapshotEvent event) throws InterruptedException {
        assertThat(snap.offer(event)).isTrue();
        assertThat(snap.awaitIdle(WAIT)).isTrue();
    }

    /**
     * Continues the Go library's compaction run (1 KiB threshold, 803 bytes so far): the 14th
     * 16-byte line takes the file past 1024 bytes, so writing event-clock 88 compacts it.
     */
    @Test
    void continuesTheGoLibraryRunAndCompactsAtTheSamePoint() throws Exception {
        Path path = dir.resolve("lib.snap");
        Files.copy(TestSupport.vector("library_compaction_after_compact.snap"), path);
        try (Snapshotter snap = Snapshotter.open(config(path, 1024))) {
            for (int i = 81; i <= 87; i++) {
                offer(snap, new SnapshotEvent.Query(i));
                offer(snap, new SnapshotEvent.UserEvent(i + 1));
            }
            offer(snap, new SnapshotEvent.Query(88));
            offer(snap, new SnapshotEvent.UserEvent(89));
        }
        assertThat(Files.readString(path)).isEqualTo("""
                alive: node-a 127.0.0.1:7946
                alive: node-b 127.0.0.1:7947
                clock: 5
                event-clock: 88
                query-clock: 87
                query-clock: 88
                event-clock: 89
                """);
        assertThat(Files.exists(dir.resolve("lib.snap.compact"))).isFalse();
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            // Go creates the compacted file with 0755 (minus the umask).
            assertThat(Files.getPosixFilePermissions(path)).contains(PosixFilePermission.OWNER_EXECUTE);
        }
        RecoveredState state = Snapshotter.recover(path, false, new TestSupport.RecordingLogger());
        assertThat(state.lastEventClock()).isEqualTo(89);
        assertThat(state.lastQueryClock()).isEqualTo(88);
        assertThat(state.aliveNodes()).hasSize(2);
    }

    @Test
    void freshFileIsNotExecutable() throws Exception {
        Path path = dir.resolve("fresh.snap");
        try (Snapshotter snap = Snapshotter.open(config(path, 1024))) {
            offer(snap, new SnapshotEvent.UserEvent(1));
        }
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
            assertThat(mode).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
                    .doesNotContain(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_WRITE,
                            PosixFilePermission.OTHERS_WRITE);
        }
    }

    @Test
    void thresholdScalesWithTheAliveNodes() throws Exception {
        Path path = dir.resolve("scale.snap");
        // 12 nodes: threshold max(1024, 12 * 128 * 2) = 3072. The first join also writes "clock: 5".
        long written = "clock: 5\n".length();
        try (Snapshotter snap = Snapshotter.open(config(path, 1024))) {
            for (int i = 0; i < 12; i++) {
                KnownNode node = new KnownNode("node-" + (10 + i), "127.0.0.1:" + (7000 + i));
                offer(snap, SnapshotEvent.MemberJoin.of(node));
                written += ("alive: " + node.name() + " " + node.address() + "\n").length();
            }
            int ltime = 1000;
            while (written + 18 <= 3072) {
                ltime++;
                offer(snap, new SnapshotEvent.UserEvent(ltime));
                written += 18; // "event-clock: NNNN\n"
            }
        }
        assertThat(written).isGreaterThan(1024);
        assertThat(Files.size(path)).as("past the 1 KiB floor but under the scaled threshold").isEqualTo(written);

        try (Snapshotter snap = Snapshotter.open(config(path, 1024))) {
            offer(snap, new SnapshotEvent.UserEvent(5000));
        }
        String compacted = Files.readString(path);
        assertThat(compacted.lines().filter(l -> l.startsWith("alive: "))).hasSize(12);
        assertThat(compacted).endsWith("clock: 5\nevent-clock: 5000\nquery-clock: 0\n");
        assertThat(compacted.lines()).hasSize(15);
    }

    @Test
    void compactionAfterLeaveDropsTheNodesAndTheLeaveLineButKeepsTheClocks() throws Exception {
        assertCompactionAfterLeave(false, "clock: 11\nevent-clock: 81\nquery-clock: 80\n");
    }

    @Test
    void compactionAfterLeaveWithRejoinKeepsTheNodes() throws Exception {
        assertCompactionAfterLeave(true, "alive: node-a 127.0.0.1:7946\nalive: node-b 127.0.0.1:7947\n"
                + "clock: 11\nevent-clock: 81\nquery-clock: 80\n");
    }

    private void assertCompactionAfterLeave(boolean rejoin, String expected) throws Exception {
        Path path = dir.resolve("leave.snap");
        Files.copy(TestSupport.vector("library_compaction_after_compact.snap"), path);
        try (Snapshotter snap = Snapshotter.open(config(path, 820).withRejoinAfterLeave(rejoin)
                .withClockUpdateInterval(Duration.ofMillis(5)).withFlushInterval(Duration.ZERO))) {
            assertThat(snap.leave()).isTrue(); // 809 bytes
            assertThat(snap.offer(new SnapshotEvent.UserEvent(1000))).isFalse();
            memberClock.set(11); // the periodic check writes "clock: 10" (819 bytes), then ...
            assertThat(TestSupport.poll(WAIT, () -> fileContains(path, "clock: 10\n"))).isTrue();
            memberClock.set(12); // ... "clock: 11" passes 820 and compacts
            assertThat(TestSupport.poll(WAIT, () -> fileContains(path, "clock: 11\nevent-clock: 81\n"))).isTrue();
        }
        assertThat(Files.readString(path)).isEqualTo(expected);
        RecoveredState state = Snapshotter.recover(path, false, new TestSupport.RecordingLogger());
        assertThat(state.leaveRecorded()).isFalse();
        assertThat(state.lastClock()).isEqualTo(11);
        assertThat(state.lastEventClock()).isEqualTo(81);
    }

    private static boolean fileContains(Path path, String text) {
        try {
            return Files.readString(path).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
