package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.agent.handler.EventHandlerRunner;
import serf.agent.handler.EventScript;
import serf.agent.handler.ScriptEvent;
import serf.agent.handler.ScriptInvoker;
import serf.snapshot.Snapshotter;

class HandledEventClockTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AgentLog log = new AgentLog(new PrintStream(out, true, StandardCharsets.UTF_8), LogLevel.DEBUG);

    @BeforeEach
    void showLog() {
        log.openGate();
    }

    private long recoveredEventClock(Path snapshot) throws Exception {
        return Snapshotter.recover(snapshot, false, System.getLogger("test")).lastEventClock();
    }

    private static ScriptEvent.User event(String name, long lTime) {
        return new ScriptEvent.User(name, lTime, name.getBytes(StandardCharsets.UTF_8));
    }

    private Optional<HandledEventFile.Contents> record(Path snap) {
        return HandledEventFile.read(HandledEventClock.pathFor(snap), log);
    }

    @Test
    void withoutARecordTheSnapshotIsLeftAsItIsAndItsClockBecomesTheFloor() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "alive: a 10.0.0.1:7946\nevent-clock: 9\n");
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            assertThat(c.floor()).isEqualTo(9);
            assertThat(c.restartClock()).isEqualTo(9);
        }
        assertThat(Files.readString(snap)).isEqualTo("alive: a 10.0.0.1:7946\nevent-clock: 9\n");
        assertThat(record(snap)).hasValueSatisfying(r -> {
            assertThat(r.floor()).isEqualTo(9);
            assertThat(r.events()).isEmpty();
        });
    }

    @Test
    void theOldOneLineRecordIsStillReadAndSetsTheSnapshotClockBack() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "alive: a 10.0.0.1:7946\nevent-clock: 12\n");
        Files.writeString(HandledEventClock.pathFor(snap), "00000000000000000010\n");
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            assertThat(c.floor()).isEqualTo(10);
        }
        assertThat(Files.readString(snap)).endsWith("event-clock: 12\nevent-clock: 10\n");
        assertThat(recoveredEventClock(snap)).isEqualTo(10);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("set back from 12 to 10");
        assertThat(record(snap)).hasValueSatisfying(r -> assertThat(r.floor()).isEqualTo(10));
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
            assertThat(c.floor()).isEqualTo(5);
        }
        assertThat(Files.readString(snap)).isEqualTo("event-clock: 5\n");
    }

    @Test
    void anUnreadableRecordIsIgnored() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "event-clock: 12\n");
        Files.writeString(HandledEventClock.pathFor(snap), "garbage");
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            assertThat(c.floor()).isEqualTo(12);
        }
        assertThat(Files.readString(snap)).isEqualTo("event-clock: 12\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Ignoring unreadable");
    }

    @Test
    void bothSlotsGarbledIsIgnoredToo() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "event-clock: 12\n");
        byte[] noise = new byte[2 * HandledEventFile.SLOT];
        new Random(7).nextBytes(noise);
        Files.write(HandledEventClock.pathFor(snap), noise);
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            assertThat(c.floor()).isEqualTo(12);
            assertThat(c.size()).isZero();
        }
        assertThat(Files.readString(snap)).isEqualTo("event-clock: 12\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Ignoring unreadable");
        assertThat(record(snap)).hasValueSatisfying(r -> assertThat(r.floor()).isEqualTo(12));
    }

    /**
     * Issue 12's last loss (c293/c294): two nodes send at once, both events carry Lamport time 291; the
     * victim handled one and was killed before the other arrived. The restarted node must run the
     * other one and not the first.
     */
    @Test
    void twoEventsAtOneLamportTimeOneHandledBeforeACrash() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "alive: a 10.0.0.1:7946\nevent-clock: 290\n");
        HandledEventClock before = HandledEventClock.open(snap, false, log);
        ScriptEvent.User c293 = event("c293", 291);
        ScriptEvent.User c294 = event("c294", 291);
        Files.writeString(snap, "event-clock: 291\n", java.nio.file.StandardOpenOption.APPEND); // Serf emitted c293
        before.handled(c293);
        // kill -9: the instance is never closed; a new one is made from the files.

        try (HandledEventClock after = HandledEventClock.open(snap, false, log)) {
            assertThat(Files.readString(snap)).endsWith("event-clock: 291\nevent-clock: 290\n");
            assertThat(recoveredEventClock(snap)).isEqualTo(290); // Serf's minimum becomes 291: both are taken
            EventHandlerRunner runner = new EventHandlerRunner(
                    EventScript.parseAll(List.of("user=cat > /dev/null; echo ran-$SERF_USER_EVENT >> ran")), () -> null,
                    new ScriptInvoker(ScriptInvoker.Options.defaults().withWorkingDir(dir)), 16, Duration.ofSeconds(5));
            try {
                runner.userEventLedger(after);
                // Peers' event buffers arrive on rejoin, in any order.
                runner.handle(c294);
                runner.handle(c293);
                runner.handle(c294); // (Serf never delivers one twice; the ledger would not run it twice either)
            } finally {
                runner.close();
            }
            assertThat(Files.readAllLines(dir.resolve("ran"))).containsExactly("ran-c294");
            assertThat(runner.skippedAlreadyHandled()).isEqualTo(2);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("set back from 291 to 290");
        } finally {
            before.close();
        }

        // A second crash before anything else happens: the same again, and neither runs.
        try (HandledEventClock again = HandledEventClock.open(snap, false, log)) {
            assertThat(recoveredEventClock(snap)).isEqualTo(290);
            assertThat(again.alreadyHandled(c293)).isTrue();
            assertThat(again.alreadyHandled(c294)).isTrue();
            assertThat(again.alreadyHandled(event("c295", 291))).isFalse();
        }
    }

    @Test
    void anEventHandledBeforeTheRestartStaysKnownHoweverManyNewerEventsFollow() throws Exception {
        // The 100-crash run: after a restart a rejoining peer pushed its event buffer seconds later,
        // when 64 newer events had already pushed the old entries out of the record; they ran again.
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "event-clock: 99\n");
        try (HandledEventClock first = HandledEventClock.open(snap, false, log)) {
            for (long t = 100; t < 100 + HandledEventClock.MAX_EVENTS; t++) {
                first.handled(event("c" + t, t));
            }
        }
        Files.writeString(snap, "event-clock: 163\n", java.nio.file.StandardOpenOption.APPEND);
        try (HandledEventClock second = HandledEventClock.open(snap, false, log)) {
            assertThat(recoveredEventClock(snap)).isEqualTo(99); // Serf takes everything from 100 again
            for (long t = 164; t < 164 + 2 * HandledEventClock.MAX_EVENTS; t++) {
                second.handled(event("c" + t, t));
            }
            assertThat(second.floor()).isGreaterThan(163); // the record itself has moved on
            for (long t = 100; t < 164; t++) {
                assertThat(second.alreadyHandled(event("c" + t, t))).as("c%d", t).isTrue();
            }
            assertThat(second.alreadyHandled(event("sibling", 120))).isFalse(); // never handled: it runs
        }
    }

    @Test
    void anEventHandledOutOfOrderLeavesTheEarlierLamportTimesOpen() throws Exception {
        Path snap = dir.resolve("s.snap");
        Files.writeString(snap, "event-clock: 100\n");
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            c.handled(event("late-sender", 103));
            Files.writeString(snap, "event-clock: 103\n", java.nio.file.StandardOpenOption.APPEND);
        }
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            assertThat(recoveredEventClock(snap)).isEqualTo(102);
            assertThat(c.alreadyHandled(event("late-sender", 103))).isTrue();
            assertThat(c.alreadyHandled(event("other", 103))).isFalse();
        }
    }

    @Test
    void theRecordIsBoundedAndFallsBackToTheFloorBeyond64EventsAtOneLamportTime() throws Exception {
        Path snap = dir.resolve("s.snap");
        Path file = HandledEventClock.pathFor(snap);
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            for (int i = 0; i < 64; i++) {
                c.handled(event("e" + i, 50));
            }
            assertThat(c.size()).isEqualTo(64);
            assertThat(c.restartClock()).isEqualTo(49);
            assertThat(c.dropped()).isZero();
            c.handled(event("e64", 50));
            assertThat(c.size()).isZero();
            assertThat(c.floor()).isEqualTo(50);
            assertThat(c.restartClock()).isEqualTo(50);
            assertThat(c.dropped()).isEqualTo(65);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("More than 64 user events handled at Lamport time 50");
            c.handled(event("e65", 50)); // at or below the floor: nothing to keep
            assertThat(c.size()).isZero();

            // Events at later times age out one Lamport time at a time; the floor follows.
            for (int t = 51; t <= 150; t++) {
                c.handled(event("t" + t, t));
            }
            assertThat(c.size()).isEqualTo(64);
            assertThat(c.floor()).isEqualTo(86);
            assertThat(c.restartClock()).isEqualTo(86);
            assertThat(c.dropped()).isEqualTo(65);
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(2L * HandledEventFile.SLOT);
        assertThat(record(snap)).hasValueSatisfying(r -> {
            assertThat(r.floor()).isEqualTo(86);
            assertThat(r.events()).hasSize(64).first().isEqualTo(HandledEvent.of(87, "t87", "t87".getBytes(StandardCharsets.UTF_8)));
        });
    }

    @Test
    void theRecordOnlyMovesForwardAndTakesUnsignedTimes() throws Exception {
        Path snap = dir.resolve("s.snap");
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            c.handled(event("a", 4));
            c.handled(event("b", 2));
            c.handled(event("a", 4));
            c.handled(event("max", -1L)); // 2^64 - 1, unsigned
            assertThat(c.size()).isEqualTo(3);
        }
        assertThat(record(snap)).hasValueSatisfying(r -> assertThat(r.events()).extracting(HandledEvent::lTime)
                .containsExactly(2L, 4L, -1L));
    }

    @Test
    void aWriteCutOffAtAnyByteLeavesTheOldOrTheNewRecord() throws Exception {
        Path snap = dir.resolve("s.snap");
        Path file = HandledEventClock.pathFor(snap);
        Files.writeString(snap, "event-clock: 20\n");
        Files.writeString(file, "00000000000000000010\n"); // the old format: its conversion is a write too
        byte[] previous = Files.readAllBytes(file);
        Optional<HandledEventFile.Contents> previousRecord = record(snap);
        try (HandledEventClock c = HandledEventClock.open(snap, false, log)) {
            for (int step = 0; step < 70; step++) {
                byte[] next = Files.readAllBytes(file);
                Optional<HandledEventFile.Contents> nextRecord = record(snap);
                assertThat(nextRecord).isPresent().isNotEqualTo(previousRecord);
                // The write changed bytes [from, to) (and may have made the file longer); a kill -9
                // after any number of them leaves the file as `torn` is below.
                int from = 0;
                while (from < previous.length && previous[from] == next[from]) {
                    from++;
                }
                int to = next.length;
                while (to > from && to <= previous.length && previous[to - 1] == next[to - 1]) {
                    to--;
                }
                for (int cut = from; cut <= to; cut++) {
                    byte[] torn = Arrays.copyOf(previous, Math.max(previous.length, cut));
                    System.arraycopy(next, from, torn, from, cut - from);
                    HandledEventFile.Contents read = HandledEventFile.decode(torn);
                    assertThat(Optional.of(read)).as("cut at %d of write %d", cut, step).isIn(previousRecord, nextRecord);
                }
                previous = next;
                previousRecord = nextRecord;
                c.handled(event("e" + step, 21 + step / 3));
            }
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Ignoring unreadable");
    }
}
