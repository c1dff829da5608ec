package serf.snapshot;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.snapshot.internal.BufferedAppender;
import serf.snapshot.internal.SnapshotWriter;
import serf.snapshot.internal.WriterMailbox;

/** A failed append triggers Go's recovery: a compaction, at most once every 30 s. */
class ErrorRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void aFailedAppendIsRepairedByACompaction() throws Exception {
        Path path = dir.resolve("broken.snap");
        Files.writeString(path, "alive: old 127.0.0.1:1\nclock: 3\n");
        TestSupport.RecordingLogger logger = new TestSupport.RecordingLogger();
        SnapshotConfig config = SnapshotConfig.defaults(path, () -> 4).withLogger(logger);
        RecoveredState recovered = new RecoveredState(List.of(new KnownNode("old", "127.0.0.1:1")), 3, 0, 0,
                Optional.empty(), false, 0, 0);

        FileChannel channel = FileChannel.open(path, WRITE, APPEND, CREATE);
        SnapshotWriter writer = new SnapshotWriter(config, recovered, new BufferedAppender(channel), channel.size());
        channel.close(); // the disk "fails" under the writer

        writer.record(new SnapshotEvent.UserEvent(7));
        assertThat(logger.containing("Failed to update snapshot")).hasSize(1);
        assertThat(logger.containing("Attempting compaction to recover from error")).hasSize(1);
        assertThat(logger.containing("successfully recovered from error state")).hasSize(1);
        assertThat(Files.readString(path)).isEqualTo("alive: old 127.0.0.1:1\nclock: 3\nevent-clock: 7\nquery-clock: 0\n");

        // The writer now appends to the new file.
        writer.record(new SnapshotEvent.Query(2));
        writer.shutdown(new WriterMailbox(1), System.nanoTime()); // flush, sync, close
        assertThat(Files.readString(path)).endsWith("query-clock: 0\nquery-clock: 2\n");
        assertThat(Files.exists(dir.resolve("broken.snap.compact"))).isFalse();
    }

    @Test
    void recoveryIsAttemptedAtMostOnceEveryThirtySeconds() throws Exception {
        Path path = dir.resolve("gone").resolve("x.snap");
        Files.createDirectories(path.getParent());
        TestSupport.RecordingLogger logger = new TestSupport.RecordingLogger();
        SnapshotConfig config = SnapshotConfig.defaults(path, () -> 4).withLogger(logger);
        FileChannel channel = FileChannel.open(path, WRITE, APPEND, CREATE);
        SnapshotWriter writer = new SnapshotWriter(config, RecoveredState.EMPTY, new BufferedAppender(channel), 0);
        channel.close();
        // Without its directory neither the append nor the compaction can succeed.
        Files.delete(path);
        Files.delete(path.getParent());

        writer.record(new SnapshotEvent.UserEvent(1));
        writer.record(new SnapshotEvent.UserEvent(2));
        writer.record(new SnapshotEvent.UserEvent(3));
        assertThat(logger.containing("Failed to update snapshot")).hasSize(3);
        assertThat(logger.containing("Attempting compaction")).hasSize(1);
        assertThat(logger.containing("Compaction failed, will reattempt after 30s")).hasSize(1);
        writer.closeFile();
    }

    @Test
    void aCompactionWhoseRenameFailsLeavesNoTemporaryFileAndTheTargetUntouched() throws Exception {
        Path path = dir.resolve("x.snap");
        TestSupport.RecordingLogger logger = new TestSupport.RecordingLogger();
        SnapshotConfig config = SnapshotConfig.defaults(path, () -> 4).withLogger(logger);
        FileChannel channel = FileChannel.open(path, WRITE, APPEND, CREATE);
        SnapshotWriter writer = new SnapshotWriter(config, RecoveredState.EMPTY, new BufferedAppender(channel), 0);
        channel.close(); // the append fails, so the writer compacts to recover
        // The compacted file is written and synced, but cannot be renamed over a directory that is not empty.
        Files.delete(path);
        Files.createDirectory(path);
        Files.writeString(path.resolve("keep"), "x");

        writer.record(new SnapshotEvent.UserEvent(1));
        assertThat(logger.containing("Compaction failed, will reattempt after 30s")).hasSize(1);
        assertThat(Files.exists(dir.resolve("x.snap.compact"))).isFalse();
        assertThat(Files.readString(path.resolve("keep"))).isEqualTo("x");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("x.snap");
        }
        writer.closeFile();
    }
}
