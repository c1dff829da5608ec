package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.snapshot.Snapshotter;

class HandledEventClockTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AgentLog log = new AgentLog(new PrintStream(out, true, StandardCharsets.UTF_8), LogLevel.DEBUG);

    @org.junit.jupiter.api.BeforeEach
    void showLog() {
        log.openGate();
    }

    private long recoveredEventClock(Path snapshot) throws Exception {
        return Snapshotter.recover(snapshot, false, System.getLogger("test")).lastEventClock();
    }

    @Test
    void withoutARecordTheSnapshotIsLeftAsItIsAndItsClockBecomesTheRecord() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "alive: a 10.0.0.1:7946\nevent-clock: 9\n");
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            assertThat(c.last()).isEqualTo(9);
        }
        assertThat(Files.readString(snap)).isEqualTo("alive: a 10.0.0.1:7946\nevent-clock: 9\n");
        assertThat(HandledEventClock.read(HandledEventClock.pathFor(snap), log)).hasValue(9);
    }

    @Test
    void eventsRecordedButNotHandledSetTheSnapshotClockBack() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "alive: a 10.0.0.1:7946\nevent-clock: 12\n");
        Files.writeString(HandledEventClock.pathFor(snap), "00000000000000000010\n");
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            assertThat(c.last()).isEqualTo(10);
        }
        assertThat(Files.readString(snap)).endsWith("event-clock: 12\nevent-clock: 10\n");
        assertThat(recoveredEventClock(snap)).isEqualTo(10);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("set back from 12 to 10");
    }

    @Test
    void aTornLastLineIsCutBeforeTheClockIsAppended() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "event-clock: 12\nalive: b 10.0");
        Files.writeString(HandledEventClock.pathFor(snap), "3\n");
        HandledEventClock.open(snap, false, log).close();
        assertThat(Files.readString(snap)).isEqualTo("event-clock: 12\nevent-clock: 3\n");
    }

    @Test
    void moreHandledThanRecordedChangesNothing() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "event-clock: 5\n");
        Files.writeString(HandledEventClock.pathFor(snap), "00000000000000000007\n");
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            assertThat(c.last()).isEqualTo(5);
        }
        assertThat(Files.readString(snap)).isEqualTo("event-clock: 5\n");
    }

    @Test
    void theRecordOnlyMovesForwardAndIsAlwaysOneWholeLine() throws Exception {
        Path snap = dir.resolve("s.snap");
        Path record = HandledEventClock.pathFor(snap);
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            c.handled(4);
            c.handled(2);
            assertThat(HandledEventClock.read(record, log)).hasValue(4);
            c.handled(-1L); // 2^64 - 1, unsigned
            assertThat(Files.readString(record)).isEqualTo("18446744073709551615\n");
        }
        assertThat(Files.size(record)).isEqualTo(21);
    }

    @Test
    void anUnreadableRecordIsIgnored() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "event-clock: 12\n");
        Files.writeString(HandledEventClock.pathFor(snap), "garbage");
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            assertThat(c.last()).isEqualTo(12);
        }
        assertThat(Files.readString(snap)).isEqualTo("event-clock: 12\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Ignoring unreadable");
    }
}
