package serf.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recovers every snapshot vector (files written by real Go agents and by the Go library) and
 * checks the outcome docs/protocol/snapshot-keyring.md, the vector README and the agent logs document.
 */
class VectorRecoveryTest {

    private static final KnownNode ALPHA_3 = new KnownNode("alpha", "127.0.0.1:7946");
    private static final KnownNode BETA_3 = new KnownNode("beta", "127.0.0.1:7947");
    private static final KnownNode GAMMA_3 = new KnownNode("gamma", "127.0.0.1:7948");
    private static final KnownNode ALPHA = new KnownNode("alpha", "127.0.0.1:7966");
    private static final KnownNode BETA = new KnownNode("beta", "127.0.0.1:7967");
    /** The glued torn line of §1.8: the name swallows the torn text, the address is alpha's own. */
    private static final KnownNode GLUED = new KnownNode("torn-node 127.0.0.1:79alive: alpha", "127.0.0.1:7966");
    private static final KnownNode PEER_X = new KnownNode("peer-x", "127.0.0.1:8099");
    private static final KnownNode S7 = new KnownNode("s7", "127.0.0.1:8006");
    private static final KnownNode NODE_A = new KnownNode("node-a", "127.0.0.1:7946");
    private static final KnownNode NODE_B = new KnownNode("node-b", "127.0.0.1:7947");
    private static final String CRAFTED_COORDINATE =
            "{\"Vec\":[0,0,0,0,0,0,0,0],\"Error\":1.5,\"Adjustment\":0,\"Height\":0.00001}";

    /** Expected outcome; {@code coordinate} null means none. */
    record Expected(List<KnownNode> alive, long clock, long eventClock, long queryClock, boolean leave,
            long skipped, String coordinate) {
        static Expected of(List<KnownNode> alive, long clock, long eventClock, long queryClock, boolean leave) {
            return new Expected(alive, clock, eventClock, queryClock, leave, 0, null);
        }
    }

    /** file -> {outcome without rejoin-after-leave, outcome with it}. */
    private static final Map<String, Expected[]> EXPECTED = new TreeMap<>();

    static {
        // Alpha left gracefully: the leave wipes everything, then shutdown wrote clock: 6.
        EXPECTED.put("agent_alpha_full_session.snap", new Expected[] {
            Expected.of(List.of(), 6, 0, 0, true),
            Expected.of(List.of(ALPHA_3), 6, 2, 4, true)});
        EXPECTED.put("agent_beta_full_session.snap", new Expected[] {
            Expected.of(List.of(), 5, 0, 0, true),
            Expected.of(List.of(BETA_3, ALPHA_3), 5, 2, 4, true)});
        // Killed with -9: no leave, everyone still alive.
        EXPECTED.put("agent_gamma_killed.snap", new Expected[] {
            Expected.of(List.of(GAMMA_3, ALPHA_3, BETA_3), 2, 2, 4, false),
            Expected.of(List.of(GAMMA_3, ALPHA_3, BETA_3), 2, 2, 4, false)});
        // Comment, coordinate, "query-clock: nope", "bogus line here", "alive: badaddr", "not-alive: nobody":
        // three warnings; the agent restored member_time 42, event_time 18, query_time 10 and tried peer-x.
        EXPECTED.put("crafted_input.snap", new Expected[] {
            new Expected(List.of(PEER_X), 41, 17, 9, false, 3, CRAFTED_COORDINATE),
            new Expected(List.of(PEER_X), 41, 17, 9, false, 3, CRAFTED_COORDINATE)});
        EXPECTED.put("crafted_after_agent_run.snap", new Expected[] {
            new Expected(List.of(), 42, 0, 0, true, 3, CRAFTED_COORDINATE),
            new Expected(List.of(PEER_X, S7), 42, 17, 9, true, 3, CRAFTED_COORDINATE)});
        // The agent rejoined beta and did not redeliver ev1/ev2 (member_time 2, event_time 3, query_time 2).
        EXPECTED.put("crash_torn_line.1-before-crash.snap", new Expected[] {
            Expected.of(List.of(ALPHA, BETA), 1, 2, 1, false),
            Expected.of(List.of(ALPHA, BETA), 1, 2, 1, false)});
        EXPECTED.put("crash_torn_line.2-after-crash.snap", new Expected[] {
            Expected.of(List.of(ALPHA, BETA), 1, 2, 1, false),
            Expected.of(List.of(ALPHA, BETA), 1, 2, 1, false)});
        EXPECTED.put("crash_torn_line.3-after-restart.snap", new Expected[] {
            Expected.of(List.of(ALPHA, BETA, GLUED), 1, 3, 1, false),
            Expected.of(List.of(ALPHA, BETA, GLUED), 1, 3, 1, false)});
        // After leave + restart the agent had member_time 3 (clock: 2 follows the leave), event/query 1.
        EXPECTED.put("crash_torn_line.4-after-leave.snap", new Expected[] {
            Expected.of(List.of(), 2, 0, 0, true),
            Expected.of(List.of(ALPHA, BETA, GLUED), 2, 3, 1, true)});
        EXPECTED.put("crash_torn_line.5-after-leave-restart.snap", new Expected[] {
            Expected.of(List.of(ALPHA), 2, 0, 0, true),
            Expected.of(List.of(ALPHA, BETA, GLUED), 2, 3, 1, true)});
        EXPECTED.put("crash_torn_line.6-rejoin.snap", new Expected[] {
            Expected.of(List.of(ALPHA), 2, 0, 0, true),
            Expected.of(List.of(ALPHA, BETA, GLUED), 2, 3, 1, true)});
        // Compacted header (alive x2, clock 5, event 59, query 58) then appends up to event 81 / query 80.
        EXPECTED.put("library_compaction_after_compact.snap", new Expected[] {
            Expected.of(List.of(NODE_A, NODE_B), 5, 81, 80, false),
            Expected.of(List.of(NODE_A, NODE_B), 5, 81, 80, false)});
        EXPECTED.put("library_compaction_after_leave.snap", new Expected[] {
            Expected.of(List.of(), 0, 0, 0, true),
            Expected.of(List.of(NODE_A, NODE_B), 5, 81, 80, true)});
    }

    static Stream<Arguments> cases() {
        return EXPECTED.entrySet().stream().flatMap(e -> Stream.of(
                Arguments.of(e.getKey(), false, e.getValue()[0]),
                Arguments.of(e.getKey(), true, e.getValue()[1])));
    }

    @Test
    void everyVectorFileIsCovered() throws IOException {
        List<String> files;
        try (Stream<Path> listing = Files.list(TestSupport.vectors())) {
            files = listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snap")).sorted().toList();
        }
        assertThat(files).isNotEmpty().containsExactlyElementsOf(EXPECTED.keySet());
    }

    @ParameterizedTest(name = "{0} rejoinAfterLeave={1}")
    @MethodSource("cases")
    void recoversLikeTheGoAgent(String file, boolean rejoinAfterLeave, Expected expected) throws IOException {
        RecoveredState state = Snapshotter.recover(TestSupport.vector(file), rejoinAfterLeave,
                new TestSupport.RecordingLogger());

        assertThat(state.aliveNodes()).containsExactlyElementsOf(expected.alive());
        assertThat(state.lastClock()).isEqualTo(expected.clock());
        assertThat(state.lastEventClock()).isEqualTo(expected.eventClock());
        assertThat(state.lastQueryClock()).isEqualTo(expected.queryClock());
        assertThat(state.leaveRecorded()).isEqualTo(expected.leave());
        assertThat(state.skippedLines()).isEqualTo(expected.skipped());
        assertThat(state.lastCoordinate()).isEqualTo(Optional.ofNullable(expected.coordinate()));
        assertThat(state.tornTailBytes()).isZero();
    }

    @Test
    void craftedFileLogsTheWarningsTheAgentLogged() throws IOException {
        TestSupport.RecordingLogger logger = new TestSupport.RecordingLogger();
        Snapshotter.recover(TestSupport.vector("crafted_input.snap"), false, logger);

        // The same texts as vectors/serf/logs/crafted_snapshot.log.
        assertThat(logger.containing(
                "Failed to convert query clock time: strconv.ParseUint: parsing \"nope\": invalid syntax")).hasSize(1);
        assertThat(logger.containing("Unrecognized snapshot line: bogus line here")).hasSize(1);
        assertThat(logger.containing("Failed to parse address: alive: badaddr")).hasSize(1);
        assertThat(logger.messages).hasSize(3);
    }

    @Test
    void gluedTornLineNamesTheNodeAsTheAgentLoggedIt() throws IOException {
        TestSupport.RecordingLogger logger = new TestSupport.RecordingLogger();
        RecoveredState state = Snapshotter.recover(TestSupport.vector("crash_torn_line.5-after-leave-restart.snap"),
                true, logger);

        // vectors/serf/logs/crash_torn_line_alpha.log: "Attempting re-join to previously known node: <this>"
        assertThat(state.aliveNodes()).extracting(KnownNode::toString)
                .contains("torn-node 127.0.0.1:79alive: alpha: 127.0.0.1:7966");
        assertThat(logger.containing("Ignoring previous leave in snapshot")).hasSize(1);
    }

    @Test
    void restoredClocksMatchWhatTheAgentReported() throws IOException {
        // serf info after restarts: member_time = lastClock + 1, event_time = lastEvent + 1, query_time = lastQuery + 1
        // (a value of 0 leaves the clock at its start value 1).
        RecoveredState afterCrash = Snapshotter.recover(TestSupport.vector("crash_torn_line.2-after-crash.snap"),
                false, new TestSupport.RecordingLogger());
        assertThat(restored(afterCrash.lastClock())).isEqualTo(2);
        assertThat(restored(afterCrash.lastEventClock())).isEqualTo(3);
        assertThat(restored(afterCrash.lastQueryClock())).isEqualTo(2);

        RecoveredState afterLeave = Snapshotter.recover(TestSupport.vector("crash_torn_line.4-after-leave.snap"),
                false, new TestSupport.RecordingLogger());
        assertThat(restored(afterLeave.lastClock())).isEqualTo(3);
        assertThat(restored(afterLeave.lastEventClock())).isEqualTo(1);
        assertThat(restored(afterLeave.lastQueryClock())).isEqualTo(1);

        RecoveredState crafted = Snapshotter.recover(TestSupport.vector("crafted_input.snap"), false,
                new TestSupport.RecordingLogger());
        assertThat(restored(crafted.lastClock())).isEqualTo(42);
        assertThat(restored(crafted.lastEventClock())).isEqualTo(18);
        assertThat(restored(crafted.lastQueryClock())).isEqualTo(10);
    }

    /** A Lamport clock that starts at 1 and witnesses {@code value}. */
    private static long restored(long value) {
        return value >= 1 ? value + 1 : 1;
    }
}
