package serf.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import serf.snapshot.internal.SnapshotReplay;

/** Crashes mid-write, torn lines, junk: recovery never fails and keeps the complete lines. */
class TornAndCorruptTest {

    @TempDir
    Path dir;

    static Stream<String> vectorFiles() throws IOException {
        try (Stream<Path> listing = Files.list(TestSupport.vectors())) {
            return listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snap")).sorted()
                    .toList().stream();
        }
    }

    /** Replays in memory (the file path is covered by the other tests), to keep the many cuts fast. */
    private static RecoveredState recoverBytes(byte[] content, boolean rejoin) throws IOException {
        return SnapshotReplay.replay(new ByteArrayInputStream(content), rejoin,
                SnapshotConfig.DEFAULT_MAX_LINE_LENGTH, new TestSupport.RecordingLogger()).state();
    }

    /** A crash can cut the file anywhere: each prefix recovers as its complete lines do. */
    @ParameterizedTest
    @MethodSource("vectorFiles")
    void everyPrefixRecoversItsCompleteLines(String file) throws IOException {
        byte[] content = Files.readAllBytes(TestSupport.vector(file));
        for (boolean rejoin : new boolean[] {false, true}) {
            for (int cut = 0; cut <= content.length; cut++) {
                int complete = cut;
                while (complete > 0 && content[complete - 1] != '\n') {
                    complete--;
                }
                RecoveredState torn = recoverBytes(Arrays.copyOf(content, cut), rejoin);
                RecoveredState clean = recoverBytes(Arrays.copyOf(content, complete), rejoin);
                assertThat(torn.tornTailBytes()).isEqualTo(cut - complete);
                assertThat(torn.aliveNodes()).isEqualTo(clean.aliveNodes());
                assertThat(torn.lastClock()).isEqualTo(clean.lastClock());
                assertThat(torn.lastEventClock()).isEqualTo(clean.lastEventClock());
                assertThat(torn.lastQueryClock()).isEqualTo(clean.lastQueryClock());
                assertThat(torn.leaveRecorded()).isEqualTo(clean.leaveRecorded());
                assertThat(torn.skippedLines()).isEqualTo(clean.skippedLines());
            }
        }
    }

    /**
     * The run behind crash_torn_line.3: the crash file plus a torn alive line. Go replays it as
     * .1 did, then glues its next line onto the fragment. We truncate the fragment instead, so the
     * next restart sees no bogus node.
     */
    @Test
    void openingATornFileTruncatesTheFragmentBeforeAppending() throws Exception {
        Path path = dir.resolve("torn.snap");
        byte[] crash = Files.readAllBytes(TestSupport.vector("crash_torn_line.2-after-crash.snap"));
        byte[] fragment = "alive: torn-node 127.0.0.1:79".getBytes(StandardCharsets.US_ASCII);
        byte[] torn = Arrays.copyOf(crash, crash.length + fragment.length);
        System.arraycopy(fragment, 0, torn, crash.length, fragment.length);
        Files.write(path, torn);

        TestSupport.RecordingLogger logger = new TestSupport.RecordingLogger();
        SnapshotConfig config = SnapshotConfig.defaults(path, () -> 2)
                .withClockUpdateInterval(Duration.ofHours(1)).withLogger(logger);
        try (Snapshotter snap = Snapshotter.open(config)) {
            RecoveredState recovered = snap.recovered();
            RecoveredState before = Snapshotter.recover(TestSupport.vector("crash_torn_line.1-before-crash.snap"),
                    false, logger);
            assertThat(recovered.aliveNodes()).isEqualTo(before.aliveNodes());
            assertThat(recovered.lastEventClock()).isEqualTo(2);
            assertThat(recovered.tornTailBytes()).isEqualTo(fragment.length);
            assertThat(Files.size(path)).as("fragment removed at open").isEqualTo(crash.length);

            // The same first appends as the real restart (crash_torn_line.3).
            assertThat(snap.offer(SnapshotEvent.MemberJoin.of(new KnownNode("alpha", "127.0.0.1:7966")))).isTrue();
            assertThat(snap.offer(SnapshotEvent.MemberJoin.of(new KnownNode("beta", "127.0.0.1:7967")))).isTrue();
            assertThat(snap.offer(new SnapshotEvent.UserEvent(3))).isTrue();
        }
        assertThat(logger.containing("unterminated last line")).isNotEmpty();
        String goFile = Files.readString(TestSupport.vector("crash_torn_line.3-after-restart.snap"));
        String expected = goFile.replace("alive: torn-node 127.0.0.1:79", "");
        assertThat(Files.readString(path)).isEqualTo(expected);
        RecoveredState next = Snapshotter.recover(path, true, logger);
        assertThat(next.aliveNodes()).extracting(KnownNode::name).containsExactly("alpha", "beta");
    }

    @Test
    void overlongLinesAreSkippedAndLaterLinesStillApply() throws IOException {
        StringBuilder content = new StringBuilder("clock: 3\n");
        content.append("alive: ").append("n".repeat(2_000_000)).append(" 1.2.3.4:5\n");
        content.append("event-clock: 7\n");
        // Exactly at the cap: kept.
        content.append("alive: ").append("m".repeat(SnapshotConfig.DEFAULT_MAX_LINE_LENGTH - 17))
                .append(" 1.2.3.4:6\n");
        RecoveredState state = recoverBytes(content.toString().getBytes(StandardCharsets.US_ASCII), false);
        assertThat(state.lastClock()).isEqualTo(3);
        assertThat(state.lastEventClock()).isEqualTo(7);
        assertThat(state.skippedLines()).isEqualTo(1);
        assertThat(state.aliveNodes()).singleElement().extracting(KnownNode::address).isEqualTo("1.2.3.4:6");
    }

    @Test
    void aHugeFileWithoutNewlineIsOneTornTail() throws IOException {
        byte[] junk = new byte[8 * 1024 * 1024];
        Arrays.fill(junk, (byte) 'x');
        RecoveredState state = recoverBytes(junk, false);
        assertThat(state.tornTailBytes()).isEqualTo(junk.length);
        assertThat(state.aliveNodes()).isEmpty();
        assertThat(state.skippedLines()).isZero();
    }

    @Test
    void goNumberRulesAreFollowed() throws IOException {
        String content = """
                clock: 18446744073709551615
                event-clock: 18446744073709551616
                query-clock: +5
                query-clock: 007
                event-clock: 1\r
                clock:5
                leave\s
                """;
        TestSupport.RecordingLogger logger = new TestSupport.RecordingLogger();
        Path path = dir.resolve("numbers.snap");
        Files.writeString(path, content);
        RecoveredState state = Snapshotter.recover(path, false, logger);
        assertThat(state.lastClock()).isEqualTo(-1L); // 2^64 - 1 as unsigned bits
        assertThat(state.lastEventClock()).isZero();
        assertThat(state.lastQueryClock()).isEqualTo(7);
        assertThat(state.leaveRecorded()).isFalse();
        assertThat(state.skippedLines()).isEqualTo(5);
        assertThat(logger.containing("value out of range")).hasSize(1);
        assertThat(logger.containing("Unrecognized snapshot line: clock:5")).hasSize(1);
    }

    @Test
    void randomGarbageNeverThrows() throws Exception {
        SplittableRandom random = new SplittableRandom(0x5eed);
        List<byte[]> seeds = vectorFiles().map(f -> {
            try {
                return Files.readAllBytes(TestSupport.vector(f));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        for (int round = 0; round < 300; round++) {
            byte[] content;
            if (round % 2 == 0) {
                content = new byte[random.nextInt(4096)];
                for (int i = 0; i < content.length; i++) {
                    // Mostly junk, with enough newlines, spaces and prefixes to reach every parser branch.
                    int pick = random.nextInt(10);
                    content[i] = switch (pick) {
                        case 0 -> '\n';
                        case 1 -> ' ';
                        case 2 -> ':';
                        default -> (byte) random.nextInt(256);
                    };
                }
            } else {
                byte[] seed = seeds.get(random.nextInt(seeds.size()));
                content = seed.clone();
                for (int flips = random.nextInt(1, 20); flips > 0; flips--) {
                    content[random.nextInt(content.length)] = (byte) random.nextInt(256);
                }
            }
            RecoveredState state = recoverBytes(content, random.nextBoolean());
            assertThat(state.tornTailBytes()).isBetween(0L, (long) content.length);
        }
    }

    @Test
    void snapshotterOpensOnGarbageAndLeavesAReadableFile() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 20; round++) {
            byte[] junk = new byte[random.nextInt(1, 3000)];
            random.nextBytes(junk);
            Path path = dir.resolve("junk" + round + ".snap");
            Files.write(path, junk);
            SnapshotConfig config = SnapshotConfig.defaults(path, () -> 100)
                    .withClockUpdateInterval(Duration.ofHours(1))
                    .withLogger(new TestSupport.RecordingLogger());
            try (Snapshotter snap = Snapshotter.open(config)) {
                assertThat(snap.offer(SnapshotEvent.MemberJoin.of(new KnownNode("fresh", "127.0.0.1:9"))))
                        .isTrue();
                assertThat(snap.offer(new SnapshotEvent.UserEvent(1L << 40))).isTrue();
            }
            RecoveredState state = Snapshotter.recover(path, false, new TestSupport.RecordingLogger());
            assertThat(state.tornTailBytes()).isZero();
            assertThat(state.aliveNodes()).contains(new KnownNode("fresh", "127.0.0.1:9"));
            assertThat(state.lastClock()).isEqualTo(99);
            assertThat(state.lastEventClock()).isEqualTo(1L << 40);
        }
    }
}
