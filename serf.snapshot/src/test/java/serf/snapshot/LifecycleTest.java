package serf.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Threads, file handles, the bounded queue, leave and close. */
class LifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** A member clock that can hold the writer thread inside a clock check. */
    private static final class GatedClock {
        final AtomicBoolean gateArmed = new AtomicBoolean();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile long value = 5;

        long get() {
            if (gateArmed.compareAndSet(true, false)) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return value;
        }
    }

    private SnapshotConfig config(Path path, GatedClock clock) {
        return SnapshotConfig.defaults(path, clock::get)
                .withClockUpdateInterval(Duration.ofHours(1))
                .withLogger(new TestSupport.RecordingLogger());
    }

    @Test
    void closeEndsTheThreadAndReleasesTheFile() throws Exception {
        Path path = dir.resolve("close.snap");
        Snapshotter snap = Snapshotter.open(config(path, new GatedClock()));
        Thread writer = snap.writerThread();
        assertThat(writer.isVirtual()).isTrue();
        assertThat(snap.isRunning()).isTrue();
        assertThat(openDescriptorsFor(path)).as("the snapshot file is open").isNotEmpty();
        assertThat(snap.offer(new SnapshotEvent.UserEvent(1))).isTrue();
        assertThat(snap.awaitIdle(WAIT)).isTrue();

        snap.close();
        assertThat(TestSupport.poll(WAIT, () -> !writer.isAlive())).isTrue();
        assertThat(snap.isRunning()).isFalse();
        assertThat(openDescriptorsFor(path)).as("no descriptor left on the file").isEmpty();
        assertThat(snap.offer(new SnapshotEvent.UserEvent(2))).isFalse();
        assertThat(snap.leave()).isFalse();
        snap.close(); // idempotent

        // The file can be removed and a new snapshotter opened on the same path.
        assertThat(Files.readString(path)).isEqualTo("event-clock: 1\nclock: 4\n");
        Files.delete(path);
        try (Snapshotter again = Snapshotter.open(config(path, new GatedClock()))) {
            assertThat(again.recovered()).isEqualTo(RecoveredState.EMPTY);
        }
        assertThat(Files.readString(path)).isEqualTo("clock: 4\n");
    }

    @Test
    void manySnapshottersOpenedAndClosedLeaveNoThreads() throws Exception {
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            try (Snapshotter snap = Snapshotter.open(config(dir.resolve("many" + i + ".snap"), new GatedClock()))) {
                writers.add(snap.writerThread());
                snap.offer(new SnapshotEvent.Query(i + 1));
            }
        }
        assertThat(TestSupport.poll(WAIT, () -> writers.stream().noneMatch(Thread::isAlive))).isTrue();
    }

    @Test
    void aFullQueueDropsEventsWithoutBlocking() throws Exception {
        Path path = dir.resolve("full.snap");
        GatedClock clock = new GatedClock();
        try (Snapshotter snap = Snapshotter.open(config(path, clock).withEventQueueCapacity(4))) {
            clock.gateArmed.set(true);
            assertThat(snap.offer(new SnapshotEvent.MemberOther())).isTrue();
            assertThat(clock.entered.await(10, TimeUnit.SECONDS)).as("writer is held in the clock check").isTrue();

            for (int i = 1; i <= 4; i++) {
                assertThat(snap.offer(new SnapshotEvent.UserEvent(i))).isTrue();
            }
            assertThat(snap.offer(new SnapshotEvent.UserEvent(5))).isFalse();
            assertThat(snap.offer(new SnapshotEvent.UserEvent(6))).isFalse();
            assertThat(snap.droppedEvents()).isEqualTo(2);

            clock.release.countDown();
            assertThat(snap.awaitIdle(WAIT)).isTrue();
        }
        assertThat(Files.readString(path))
                .isEqualTo("clock: 4\nevent-clock: 1\nevent-clock: 2\nevent-clock: 3\nevent-clock: 4\n");
    }

    @Test
    void closeRecordsWhatWasQueued() throws Exception {
        Path path = dir.resolve("drain.snap");
        GatedClock clock = new GatedClock();
        Snapshotter snap = Snapshotter.open(config(path, clock));
        clock.gateArmed.set(true);
        assertThat(snap.offer(new SnapshotEvent.MemberOther())).isTrue();
        assertThat(clock.entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(snap.offer(SnapshotEvent.MemberJoin.of(new KnownNode("q1", "127.0.0.1:1")))).isTrue();
        assertThat(snap.offer(new SnapshotEvent.Query(3))).isTrue();

        Thread closer = Thread.ofVirtual().start(snap::close);
        // Probe until close has taken effect; a probe accepted before that is older than 3, so writes nothing.
        assertThat(TestSupport.poll(WAIT, () -> !snap.offer(new SnapshotEvent.Query(1)))).isTrue();
        clock.value = 8;
        clock.release.countDown();
        closer.join(WAIT);
        assertThat(closer.isAlive()).isFalse();
        assertThat(snap.isRunning()).isFalse();
        assertThat(Files.readString(path)).isEqualTo("clock: 7\nalive: q1 127.0.0.1:1\nquery-clock: 3\n");
    }

    @Test
    void leaveRecordsEarlierEventsFirstAndRefusesLaterOnes() throws Exception {
        Path path = dir.resolve("leave.snap");
        GatedClock clock = new GatedClock();
        try (Snapshotter snap = Snapshotter.open(config(path, clock))) {
            clock.gateArmed.set(true);
            assertThat(snap.offer(SnapshotEvent.MemberJoin.of(new KnownNode("a", "127.0.0.1:1")))).isTrue();
            assertThat(clock.entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(snap.offer(new SnapshotEvent.UserEvent(4))).isTrue();

            Thread leaver = Thread.ofVirtual().start(snap::leave);
            // Probe until the leave has taken effect; a probe accepted before that is older than 4: no line.
            assertThat(TestSupport.poll(WAIT, () -> !snap.offer(new SnapshotEvent.UserEvent(3)))).isTrue();
            clock.release.countDown();
            leaver.join(WAIT);
            assertThat(leaver.isAlive()).isFalse();
            assertThat(Files.readString(path)).as("leave is flushed at once")
                    .isEqualTo("alive: a 127.0.0.1:1\nclock: 4\nevent-clock: 4\nleave\n");
            assertThat(snap.leave()).as("a second leave changes nothing").isTrue();
        }
        assertThat(Files.readString(path)).isEqualTo("alive: a 127.0.0.1:1\nclock: 4\nevent-clock: 4\nleave\n");
        RecoveredState state = Snapshotter.recover(path, false, new TestSupport.RecordingLogger());
        assertThat(state.aliveNodes()).isEmpty();
        assertThat(state.leaveRecorded()).isTrue();
    }

    @Test
    void periodicClockCheckWritesOnlyWhenTheClockMoved() throws Exception {
        Path path = dir.resolve("tick.snap");
        GatedClock clock = new GatedClock();
        clock.value = 1;
        SnapshotConfig config = config(path, clock).withClockUpdateInterval(Duration.ofMillis(5))
                .withFlushInterval(Duration.ZERO);
        try (Snapshotter snap = Snapshotter.open(config)) {
            clock.value = 3;
            assertThat(TestSupport.poll(WAIT, () -> read(path).equals("clock: 2\n"))).isTrue();
            clock.value = 10;
            assertThat(TestSupport.poll(WAIT, () -> read(path).equals("clock: 2\nclock: 9\n"))).isTrue();
            clock.value = 4; // a smaller clock never writes
            assertThat(snap.offer(new SnapshotEvent.MemberOther())).isTrue();
            assertThat(snap.awaitIdle(WAIT)).isTrue();
        }
        assertThat(read(path)).isEqualTo("clock: 2\nclock: 9\n");
    }

    @Test
    void aZeroClockIsNeverSaved() throws Exception {
        Path path = dir.resolve("zero.snap");
        GatedClock clock = new GatedClock();
        clock.value = 0;
        try (Snapshotter snap = Snapshotter.open(config(path, clock))) {
            assertThat(snap.offer(new SnapshotEvent.MemberOther())).isTrue();
        }
        assertThat(read(path)).isEmpty();
    }

    @Test
    void openFailsCleanlyWhenTheDirectoryIsMissing() {
        Path path = dir.resolve("missing").resolve("x.snap");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Snapshotter.open(config(path, new GatedClock())))
                .isInstanceOf(IOException.class);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            return "";
        }
    }

    /** Descriptors of this process that point at {@code path} (empty where /proc is missing). */
    private static List<Path> openDescriptorsFor(Path path) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return List.of();
        }
        Path target = path.toAbsolutePath();
        List<Path> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(fds)) {
            for (Path fd : entries.toList()) {
                try {
                    Path link = Files.readSymbolicLink(fd);
                    if (link.equals(target) || link.toString().equals(target + " (deleted)")) {
                        found.add(fd);
                    }
                } catch (IOException e) {
                    // The descriptor closed while listing.
                }
            }
        }
        return found;
    }
}
