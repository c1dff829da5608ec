package serf.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the writer with the events a real session produced and compares the bytes Go wrote. */
class WriterSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final AtomicLong memberClock = new AtomicLong(1);

    private SnapshotConfig config(Path path) {
        // No periodic clock check: every clock line in these tests comes from an event, leave or close.
        return SnapshotConfig.defaults(path, memberClock::get)
                .withClockUpdateInterval(Duration.ofHours(1))
                .withLogger(new TestSupport.RecordingLogger());
    }

    private void step(Snapshotter snapshotter, long clock, SnapshotEvent event) throws InterruptedException {
        memberClock.set(clock);
        assertThat(snapshotter.offer(event)).isTrue();
        assertThat(snapshotter.awaitIdle(WAIT)).isTrue();
    }

    @Test
    void reproducesTheAlphaSessionByteForByte() throws Exception {
        Path path = dir.resolve("alpha.snap");
        try (Snapshotter snap = Snapshotter.open(config(path))) {
            assertThat(snap.recovered()).isEqualTo(RecoveredState.EMPTY);
            step(snap, 1, SnapshotEvent.MemberJoin.of(new KnownNode("alpha", "127.0.0.1:7946")));
            step(snap, 2, SnapshotEvent.MemberJoin.of(KnownNode.of("beta", new byte[] {127, 0, 0, 1}, 7947)));
            step(snap, 3, SnapshotEvent.MemberJoin.of(new KnownNode("gamma", "127.0.0.1:7948")));
            step(snap, 3, new SnapshotEvent.UserEvent(1));
            step(snap, 3, new SnapshotEvent.UserEvent(2));
            step(snap, 3, new SnapshotEvent.UserEvent(2)); // not above the last: no line
            step(snap, 3, new SnapshotEvent.Query(2));
            step(snap, 3, new SnapshotEvent.Query(3));
            step(snap, 3, new SnapshotEvent.Query(1)); // older: no line
            step(snap, 3, new SnapshotEvent.Query(4));
            step(snap, 3, SnapshotEvent.MemberGone.of("gamma")); // failed; clock unchanged: no clock line
            step(snap, 4, SnapshotEvent.MemberGone.of("gamma")); // force-leave
            step(snap, 6, new SnapshotEvent.MemberOther()); // an update: clock line only
            step(snap, 6, SnapshotEvent.MemberGone.of("beta"));
            assertThat(snap.leave()).isTrue();
            assertThat(snap.offer(new SnapshotEvent.UserEvent(9))).as("events after leave are not recorded").isFalse();
            memberClock.set(7); // shutdown records the clock even after the leave
        }
        assertThat(Files.readString(path)).isEqualTo(Files.readString(TestSupport.vector("agent_alpha_full_session.snap")));
    }

    @Test
    void continuingTheLibraryFileThenLeavingGivesTheLibraryLeaveFile() throws Exception {
        Path path = dir.resolve("lib.snap");
        Files.copy(TestSupport.vector("library_compaction_after_compact.snap"), path);
        memberClock.set(6);
        try (Snapshotter snap = Snapshotter.open(config(path).withMinCompactSize(1024))) {
            assertThat(snap.recovered().lastClock()).isEqualTo(5);
            assertThat(snap.leave()).isTrue();
        }
        assertThat(Files.readAllBytes(path))
                .isEqualTo(Files.readAllBytes(TestSupport.vector("library_compaction_after_leave.snap")));
    }

    @Test
    void roundTripThroughRecovery() throws Exception {
        Path path = dir.resolve("rt.snap");
        try (Snapshotter snap = Snapshotter.open(config(path))) {
            step(snap, 10, SnapshotEvent.MemberJoin.of(new KnownNode("a", "10.0.0.1:7946"),
                    new KnownNode("b with space", "[::1]:7946"), new KnownNode("ünï", "10.0.0.3:1")));
            step(snap, 11, SnapshotEvent.MemberGone.of("a"));
            step(snap, 11, new SnapshotEvent.UserEvent(-2)); // 2^64 - 2, unsigned
            step(snap, 11, new SnapshotEvent.Query(77));
        }
        RecoveredState state = Snapshotter.recover(path, false, new TestSupport.RecordingLogger());
        assertThat(state.aliveNodes()).containsExactly(new KnownNode("b with space", "[::1]:7946"),
                new KnownNode("ünï", "10.0.0.3:1"));
        assertThat(state.lastClock()).isEqualTo(10);
        assertThat(state.lastEventClock()).isEqualTo(-2);
        assertThat(Files.readString(path)).contains("event-clock: 18446744073709551614\n");
        assertThat(state.lastQueryClock()).isEqualTo(77);
        assertThat(state.leaveRecorded()).isFalse();
        assertThat(state.skippedLines()).isZero();

        // Reopening continues from the recovered clocks: an equal clock writes no new clock line.
        long before = Files.size(path);
        memberClock.set(11);
        try (Snapshotter snap = Snapshotter.open(config(path))) {
            assertThat(snap.recovered()).isEqualTo(state);
            step(snap, 11, new SnapshotEvent.MemberOther());
        }
        assertThat(Files.size(path)).isEqualTo(before);
    }

    @Test
    void repeatedJoinsAreWrittenEachTimeAsGoDoes() throws Exception {
        Path path = dir.resolve("dup.snap");
        try (Snapshotter snap = Snapshotter.open(config(path))) {
            step(snap, 1, SnapshotEvent.MemberJoin.of(new KnownNode("x", "127.0.0.1:1")));
            step(snap, 1, SnapshotEvent.MemberJoin.of(new KnownNode("x", "127.0.0.1:1")));
        }
        assertThat(Files.readString(path)).isEqualTo("alive: x 127.0.0.1:1\nalive: x 127.0.0.1:1\n");
    }

    @Test
    void unsafeNamesAreNotWritten() throws Exception {
        Path path = dir.resolve("unsafe.snap");
        try (Snapshotter snap = Snapshotter.open(config(path))) {
            step(snap, 1, SnapshotEvent.MemberJoin.of(new KnownNode("evil\nleave", "127.0.0.1:1"),
                    new KnownNode("spaced-addr", "127.0.0.1 :1"), new KnownNode("x".repeat(9000), "127.0.0.1:1"),
                    new KnownNode("ok", "127.0.0.1:2")));
            step(snap, 1, SnapshotEvent.MemberGone.of("evil\nleave"));
        }
        assertThat(Files.readString(path)).isEqualTo("alive: ok 127.0.0.1:2\n");
    }

    @Test
    void linesReachTheFileByTheFlushRules() throws Exception {
        Path path = dir.resolve("flush.snap");
        try (Snapshotter snap = Snapshotter.open(config(path).withFlushInterval(Duration.ofHours(1)))) {
            String a = "alive: a 127.0.0.1:1\n";
            String b = "alive: b 127.0.0.1:1\n";
            step(snap, 1, SnapshotEvent.MemberJoin.of(new KnownNode("a", "127.0.0.1:1")));
            assertThat(Files.readString(path)).as("the very first append flushes").isEqualTo(a);

            step(snap, 1, SnapshotEvent.MemberJoin.of(new KnownNode("b", "127.0.0.1:1")));
            assertThat(Files.readString(path)).as("within the flush interval a member line stays buffered")
                    .isEqualTo(a);

            step(snap, 1, new SnapshotEvent.UserEvent(1));
            assertThat(Files.readString(path)).as("an event clock line reaches the OS at once, with what was buffered")
                    .isEqualTo(a + b + "event-clock: 1\n");
            step(snap, 1, new SnapshotEvent.Query(7));
            assertThat(Files.readString(path)).as("so does a query clock line")
                    .isEqualTo(a + b + "event-clock: 1\nquery-clock: 7\n");
            long flushed = Files.size(path);

            // Fill the 4 KiB buffer with member lines: exactly 4096 more bytes reach the file.
            long written = 0;
            int n = 1000;
            while (written <= 4096) {
                n++;
                step(snap, 1, SnapshotEvent.MemberJoin.of(new KnownNode("n" + n, "127.0.0.1:1")));
                written += ("alive: n" + n + " 127.0.0.1:1\n").length();
            }
            assertThat(Files.size(path)).isEqualTo(flushed + 4096);

            assertThat(snap.leave()).isTrue();
            assertThat(Files.readString(path)).endsWith("leave\n");
        }
    }

    @Test
    void aClockTickFlushesBufferedLines() throws Exception {
        Path path = dir.resolve("tick.snap");
        try (Snapshotter snap = Snapshotter.open(config(path).withFlushInterval(Duration.ofHours(1))
                .withClockUpdateInterval(Duration.ofMillis(50)))) {
            step(snap, 1, SnapshotEvent.MemberJoin.of(new KnownNode("a", "127.0.0.1:1")));
            step(snap, 1, SnapshotEvent.MemberJoin.of(new KnownNode("b", "127.0.0.1:1")));
            String both = "alive: a 127.0.0.1:1\nalive: b 127.0.0.1:1\n";
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!readQuietly(path).equals(both) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(readQuietly(path)).as("the tick flushed the buffered line").isEqualTo(both);
        }
    }

    private static String readQuietly(Path path) {
        try {
            return Files.readString(path);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void rejoinAfterLeaveKeepsTheAliveNodes() throws Exception {
        Path path = dir.resolve("rejoin.snap");
        try (Snapshotter snap = Snapshotter.open(config(path).withRejoinAfterLeave(true))) {
            step(snap, 2, SnapshotEvent.MemberJoin.of(new KnownNode("a", "127.0.0.1:1")));
            step(snap, 2, new SnapshotEvent.UserEvent(5));
            assertThat(snap.leave()).isTrue();
        }
        RecoveredState rejoin = Snapshotter.recover(path, true, new TestSupport.RecordingLogger());
        assertThat(rejoin.aliveNodes()).containsExactly(new KnownNode("a", "127.0.0.1:1"));
        assertThat(rejoin.lastEventClock()).isEqualTo(5);
        assertThat(rejoin.leaveRecorded()).isTrue();

        RecoveredState plain = Snapshotter.recover(path, false, new TestSupport.RecordingLogger());
        assertThat(plain.aliveNodes()).isEmpty();
        assertThat(plain.lastClock()).isZero();
        assertThat(plain.lastEventClock()).isZero();
        assertThat(new String(Files.readAllBytes(path), StandardCharsets.US_ASCII))
                .isEqualTo("alive: a 127.0.0.1:1\nclock: 1\nevent-clock: 5\nleave\n");
    }
}
