package serf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import serf.api.Config;
import serf.api.Event;
import serf.api.EventType;
import serf.api.Member;
import serf.api.MemberStatus;
import serf.api.Serf;
import serf.api.SerfState;

/**
 * The cases of Go's serf_test.go that need whole Serf nodes (join, leave, failure, force-leave,
 * reaping, joins that ignore old events, the node's own view of itself), run in the simulator:
 * one thread, virtual time, a fixed seed, so each is the same run every time. The event sequences
 * asserted are those Go's tests expect for the node concerned. docs/protocol/rule-tests.md maps
 * every Go case to the test that checks it.
 */
class GoSerfClusterRulesTest {

    /** Per node: the member events it got, as "type member". */
    private final Map<String, List<String>> memberEvents = new HashMap<>();
    private final Map<String, List<Event.UserEvent>> userEvents = new HashMap<>();

    private Serf add(Simulation sim, String name, Consumer<Config> more) throws Exception {
        List<String> m = new ArrayList<>();
        List<Event.UserEvent> u = new ArrayList<>();
        memberEvents.put(name, m);
        userEvents.put(name, u);
        return sim.addSerf(name, c -> {
            c.eventSink(e -> {
                switch (e) {
                    case Event.MemberEvent me -> me.members().forEach(x -> m.add(me.type().name() + " " + x.name()));
                    case Event.UserEvent ue -> u.add(ue);
                    default -> { }
                }
            });
            more.accept(c);
        });
    }

    private Serf add(Simulation sim, String name) throws Exception {
        return add(sim, name, c -> { });
    }

    /** The member events {@code observer} got about {@code member}, in order. */
    private List<EventType> eventsAbout(String observer, String member) {
        return memberEvents.get(observer).stream().filter(s -> s.endsWith(" " + member))
                .map(s -> EventType.valueOf(s.substring(0, s.indexOf(' ')))).toList();
    }

    private static MemberStatus status(Serf viewer, String member) {
        return viewer.members().stream().filter(m -> m.name().equals(member)).map(Member::status).findFirst().orElse(null);
    }

    private static Simulation sim() {
        return Simulation.builder().seed(7).build();
    }

    @Test
    void aCrashedMemberIsFailedAndAForceLeaveMakesItLeftEverywhere() throws Exception {
        // TestSerf_eventsFailed, TestSerf_RemoveFailed_eventsLeave, TestSerf_forceLeaveFailed
        try (Simulation sim = sim()) {
            Serf s1 = add(sim, "s1");
            add(sim, "s2");
            Serf s3 = add(sim, "s3");
            sim.serf("s2").join(List.of(sim.joinAddress("s1")), false);
            s3.join(List.of(sim.joinAddress("s1")), false);
            assertThat(sim.runUntil(() -> s1.numMembers() == 3 && s3.numMembers() == 3, Duration.ofSeconds(30))).isTrue();

            sim.crash("s2");
            assertThat(sim.runUntil(() -> status(s1, "s2") == MemberStatus.FAILED && status(s3, "s2") == MemberStatus.FAILED,
                    Duration.ofSeconds(60))).isTrue();
            assertThat(eventsAbout("s1", "s2")).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_FAILED);

            s1.removeFailedNode("s2");
            assertThat(sim.runUntil(() -> status(s1, "s2") == MemberStatus.LEFT && status(s3, "s2") == MemberStatus.LEFT,
                    Duration.ofSeconds(30))).isTrue();
            sim.runFor(Duration.ofSeconds(1)); // delivery to the sinks is a task of its own
            assertThat(eventsAbout("s1", "s2")).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_FAILED, EventType.MEMBER_LEAVE);
            assertThat(eventsAbout("s3", "s2")).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_FAILED, EventType.MEMBER_LEAVE);
        }
    }

    @Test
    void aGracefulLeaveIsLeftNotFailedThenReapedAfterTheTombstoneTimeout() throws Exception {
        // TestSerf_eventsJoin, TestSerf_eventsLeave, TestSerf_joinLeave, TestSerfState
        try (Simulation sim = sim()) {
            Consumer<Config> fastReap = c -> c.reapInterval(Duration.ofSeconds(1)).tombstoneTimeout(Duration.ofSeconds(30));
            Serf s1 = add(sim, "s1", fastReap);
            Serf s2 = add(sim, "s2", fastReap);
            assertThat(s1.state()).isEqualTo(SerfState.ALIVE);
            s1.join(List.of(sim.joinAddress("s2")), false);
            assertThat(sim.runUntil(() -> s1.numMembers() == 2 && s2.numMembers() == 2, Duration.ofSeconds(30))).isTrue();
            sim.runFor(Duration.ofSeconds(1));
            assertThat(eventsAbout("s1", "s2")).containsExactly(EventType.MEMBER_JOIN);

            s2.leave();
            assertThat(s2.state()).isEqualTo(SerfState.LEFT);
            s2.shutdown();
            assertThat(s2.state()).isEqualTo(SerfState.SHUTDOWN);
            assertThat(sim.runUntil(() -> status(s1, "s2") == MemberStatus.LEFT, Duration.ofSeconds(30))).isTrue();
            sim.runFor(Duration.ofSeconds(1));
            assertThat(eventsAbout("s1", "s2")).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_LEAVE);

            // Kept for the tombstone timeout, then reaped.
            sim.runFor(Duration.ofSeconds(20));
            assertThat(status(s1, "s2")).isEqualTo(MemberStatus.LEFT);
            sim.runFor(Duration.ofSeconds(15));
            assertThat(status(s1, "s2")).isNull();
            assertThat(s1.numMembers()).isEqualTo(1);
            assertThat(eventsAbout("s1", "s2")).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_LEAVE, EventType.MEMBER_REAP);
        }
    }

    @Test
    void aNodeAloneKnowsItselfAndRemovingAnUnknownNodeIsNoError() throws Exception {
        // TestSerf_LocalMember, TestSerf_NumNodes, TestSerfRemoveFailedNode_ourself, TestSerfProtocolVersion, TestDefaultQuery
        try (Simulation sim = sim()) {
            Serf s1 = add(sim, "s1", c -> c.tags(Map.of("role", "web")).protocolVersion(Serf.PROTOCOL_VERSION_MAX));
            assertThat(s1.protocolVersion()).isEqualTo(Serf.PROTOCOL_VERSION_MAX).isEqualTo(5);
            Member me = s1.localMember();
            assertThat(me.name()).isEqualTo("s1");
            assertThat(me.tags()).containsEntry("role", "web");
            assertThat(me.status()).isEqualTo(MemberStatus.ALIVE);
            assertThat(s1.numMembers()).isEqualTo(1);
            // TestDefaultQuery: GossipInterval (200 ms on a LAN) × QueryTimeoutMult (16) × ceil(log10(1 + 1)).
            assertThat(s1.defaultQueryTimeout()).isEqualTo(Duration.ofMillis(3200));
            serf.api.QueryParam p = s1.defaultQueryParams();
            assertThat(p.filterNodes()).isEmpty();
            assertThat(p.filterTags()).isEmpty();
            assertThat(p.requestAck()).isFalse();
            assertThat(p.timeout()).isEqualTo(s1.defaultQueryTimeout());
            s1.removeFailedNode("somebody");
            Serf s2 = add(sim, "s2");
            s2.join(List.of(sim.joinAddress("s1")), false);
            assertThat(sim.runUntil(() -> s1.numMembers() == 2 && s2.numMembers() == 2, Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void userEventsArriveInOrderAndAJoinIgnoringOldOnesReplaysNone() throws Exception {
        // TestSerf_eventsUser, TestSerf_Join_IgnoreOld
        try (Simulation sim = sim()) {
            Serf s1 = add(sim, "s1");
            Serf s2 = add(sim, "s2");
            s1.userEvent("event!", "test".getBytes(StandardCharsets.UTF_8), false);
            s1.userEvent("second", "foobar".getBytes(StandardCharsets.UTF_8), false);
            sim.runFor(Duration.ofSeconds(1));

            s2.join(List.of(sim.joinAddress("s1")), true);
            assertThat(sim.runUntil(() -> s2.numMembers() == 2, Duration.ofSeconds(30))).isTrue();
            sim.runFor(Duration.ofSeconds(10));
            assertThat(userEvents.get("s2")).as("events from before the join are not replayed").isEmpty();

            s1.userEvent("third", "x".getBytes(StandardCharsets.UTF_8), false);
            s1.userEvent("fourth", "y".getBytes(StandardCharsets.UTF_8), false);
            sim.runFor(Duration.ofSeconds(5));
            assertThat(userEvents.get("s2")).extracting(Event.UserEvent::name).containsExactly("third", "fourth");
            assertThat(userEvents.get("s2")).extracting(e -> new String(e.payload(), StandardCharsets.UTF_8)).containsExactly("x", "y");

            // A join that does not ignore old events gets them from the push/pull.
            Serf s3 = add(sim, "s3");
            s3.join(List.of(sim.joinAddress("s1")), false);
            sim.runFor(Duration.ofSeconds(5));
            assertThat(userEvents.get("s3")).extracting(Event.UserEvent::name)
                    .containsExactlyInAnyOrder("event!", "second", "third", "fourth");
        }
    }
    @Test
    void aJoinBothMergeDelegatesVetoFailsWithTheVetoAndNobodyIsAdded() throws Exception {
        // TestSerf_Join_Cancel
        try (Simulation sim = sim()) {
            List<String> asked = new ArrayList<>();
            // Go's CancelMergeDelegate refuses every merge; both sides have one.
            Serf s1 = add(sim, "s1", c -> c.merge(members -> {
                asked.add("s1");
                return "Merge canceled";
            }));
            Serf s2 = add(sim, "s2", c -> c.merge(members -> {
                asked.add("s2");
                return "Merge canceled";
            }));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s1.join(List.of(sim.joinAddress("s2")), false))
                    .isInstanceOf(serf.api.SerfException.class).hasMessageContaining("Merge canceled");
            sim.runFor(Duration.ofSeconds(5));
            assertThat(asked).contains("s1", "s2");
            // As in Go, a delegate that vetoes everything vetoes the node's own alive too: no members at all.
            assertThat(s1.numMembers()).isZero();
            assertThat(s2.numMembers()).isZero();
        }
    }
    @Test
    void keyOperationsRewriteTheKeyringFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // TestSerf_WriteKeyringFile
        String existing = "T9jncgl9mbLus+baTTa7q7nPSUrXwbDi2dhbtqir37s=";
        String newKey = "HvY8ubRZMgafUOWvrOadwOckVa1wN3QWAo46FVKbVN8=";
        java.util.Base64.Decoder b64 = java.util.Base64.getDecoder();
        java.nio.file.Path file = dir.resolve("keyring.json");
        try (Simulation sim = sim()) {
            Serf s1 = add(sim, "s1", c -> {
                c.memberlistConfig().keyring(serf.crypto.Keyring.of(List.of(), b64.decode(existing)));
                c.keyringFile(file.toString());
            });
            assertThat(s1.keyManager().installKey(newKey).numErr()).isZero();
            assertThat(keys(file)).containsExactlyInAnyOrder(existing, newKey);
            assertThat(s1.keyManager().useKey(newKey).numErr()).isZero();
            assertThat(keys(file)).first().as("the primary key comes first").isEqualTo(newKey);
            assertThat(s1.keyManager().removeKey(existing).numErr()).isZero();
            assertThat(keys(file)).containsExactly(newKey);
        }
    }

    private static List<String> keys(java.nio.file.Path file) throws java.io.IOException {
        return serf.crypto.KeyringFile.read(file).stream().map(k -> java.util.Base64.getEncoder().encodeToString(k)).toList();
    }
    @Test
    void coordinatesMoveWithProbesAreCachedPerNodeAndForgottenWithTheMember() throws Exception {
        // TestSerf_Coordinates
        try (Simulation sim = sim()) {
            Consumer<Config> fastReap = c -> c.reapInterval(Duration.ofSeconds(1)).reconnectTimeout(Duration.ofSeconds(30));
            Serf s1 = add(sim, "s1", fastReap);
            Serf s2 = add(sim, "s2", fastReap);
            serf.api.coordinate.Coordinate c1 = s1.getCoordinate().orElseThrow();
            serf.api.coordinate.Coordinate c2 = s2.getCoordinate().orElseThrow();
            assertThat(c1.distanceTo(c2)).as("both start at the origin").isLessThanOrEqualTo(Duration.ofNanos(20_000)); // two minimum heights;
            s1.join(List.of(sim.joinAddress("s2")), false);
            assertThat(sim.runUntil(() -> s1.getCachedCoordinate("s2").isPresent() && s2.getCachedCoordinate("s1").isPresent(),
                    Duration.ofSeconds(30))).isTrue();
            sim.runFor(Duration.ofSeconds(5));
            c1 = s1.getCoordinate().orElseThrow();
            assertThat(c1.distanceTo(s2.getCoordinate().orElseThrow())).as("moved apart by the probes' round trips")
                    .isGreaterThan(Duration.ofNanos(20_000));
            assertThat(s1.getCachedCoordinate("s1")).as("its own, cached after the update").contains(c1);

            sim.crash("s2");
            assertThat(sim.runUntil(() -> s1.numMembers() == 1, Duration.ofMinutes(2))).as("s2 failed, then reaped").isTrue();
            assertThat(s1.getCachedCoordinate("s2")).isEmpty();

            Serf s3 = add(sim, "s3", c -> c.disableCoordinates(true));
            s3.join(List.of(sim.joinAddress("s1")), false);
            sim.runFor(Duration.ofSeconds(10));
            assertThat(s3.getCoordinate()).as("disabled").isEmpty();
            assertThat(s3.getCachedCoordinate("s1")).isEmpty();
        }
    }
}
