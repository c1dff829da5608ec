package serf.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;
import serf.testkit.RecordingLogger;

/**
 * User events and queries one input at a time on a manual scheduler (the facts of Go's
 * serf_test.go and query_test.go): dedupe, the Lamport window of the rings, the minimum LTime,
 * the default query timeout, query timeouts on the scheduler, and answers to our queries.
 */
class EventsAndQueriesTest {
    private final RecordingLogger log = new RecordingLogger();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Event> events = new ArrayList<>();
    private final DropCounters drops = new DropCounters(log);

    // ---- user events --------------------------------------------------------------------------

    private final UserEvents userEvents = new UserEvents(64, UserEvents.DEFAULT_MAX_BYTES, drops.eventBuffer, log, events::add);

    private boolean userEvent(long lTime, String name, String payload) {
        return userEvents.handle(new SerfMessage.UserEvent(lTime, name, payload == null ? null : payload.getBytes(), false));
    }

    @Test
    void aUserEventIsDeliveredOnceWhateverPathItComesBy() {
        assertThat(userEvent(5, "deploy", "v1")).isTrue();
        assertThat(userEvent(5, "deploy", "v1")).as("duplicate").isFalse();
        assertThat(userEvent(5, "deploy", "v2")).as("another payload is another event").isTrue();
        assertThat(userEvent(5, "restart", "v1")).isTrue();
        assertThat(events).hasSize(3);
        assertThat(userEvents.clock().time()).as("witnessed").isEqualTo(6);
    }

    @Test
    void userEventsOlderThanTheRingCoversAreRefused() {
        assertThat(userEvent(100, "now", null)).isTrue(); // clock 101, the ring covers 37..
        assertThat(userEvent(36, "too-old", null)).isFalse();
        assertThat(userEvent(37, "oldest-kept", null)).isTrue();
        assertThat(log.count("received old event too-old")).isEqualTo(1);
        assertThat(events).extracting(e -> ((Event.UserEvent) e).name()).containsExactly("now", "oldest-kept");
    }

    @Test
    void aSlotIsTakenOverByANewerLTimeSoTheOldEventIsNewAgainIfItReturns() {
        userEvent(1, "x", null);
        userEvent(65, "y", null); // same slot (65 mod 64), newer: the ring forgets LTime 1
        assertThat(userEvent(1, "x", null)).as("out of the window anyway").isFalse();
        assertThat(userEvent(65, "y", null)).isFalse();
    }

    @Test
    void eventsBelowTheMinimumLTimeAreIgnored() {
        userEvents.setMinTime(10);
        assertThat(userEvent(9, "before-snapshot", null)).isFalse();
        assertThat(userEvent(10, "after", null)).isTrue();
    }

    @Test
    void joiningWithIgnoreOldRaisesTheMinimumToThePeersClock() {
        userEvents.setJoinIgnore(true);
        List<SerfMessage.UserEventCollection> ring = List.of(new SerfMessage.UserEventCollection(20,
                List.of(new SerfMessage.UserEventData("old", null))));
        userEvents.merge(30, ring, true);
        assertThat(events).as("the peer's old events are not replayed").isEmpty();
        assertThat(userEvent(29, "still-old", null)).isFalse();
        assertThat(userEvent(30, "new", null)).isTrue();
        userEvents.setJoinIgnore(false);
        userEvents.merge(40, List.of(new SerfMessage.UserEventCollection(35, List.of(new SerfMessage.UserEventData("pp", null)))), false);
        assertThat(events).extracting(e -> ((Event.UserEvent) e).name()).containsExactly("new", "pp");
    }

    // ---- queries ------------------------------------------------------------------------------

    private final List<byte[]> sent = new ArrayList<>();
    private final Config config = Config.defaults().nodeName("local").queryBuffer(64).queryTimeoutMult(16)
            .memberlistConfig(serf.memberlist.MemberlistConfig.lan().gossipInterval(Duration.ofMillis(200)));
    private int liveMembers = 3;
    private final MemberTracker members = new MemberTracker(config, scheduler, 100, drops, log, events::add,
            n -> { }, () -> true, () -> { });
    private final SerfBroadcasts broadcasts = new SerfBroadcasts(config, members::size, log);
    private final Queries queries = new Queries(config, scheduler, scheduler, new Random(7), drops, log, new Queries.Network() {
        @Override
        public InetSocketAddress advertiseAddress() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 7946);
        }

        @Override
        public int numMembers() {
            return liveMembers;
        }

        @Override
        public void sendTo(InetSocketAddress to, byte[] raw) throws IOException {
            sent.add(raw);
        }
    }, members, broadcasts, Map::of, events::add, () -> false);

    private static SerfMessage.Query query(long lTime, long id, String name, boolean ack) {
        return new SerfMessage.Query(lTime, id, new byte[] {127, 0, 0, 1}, 7946, "origin", null,
                ack ? SerfMessage.Query.FLAG_ACK : 0, 0, Duration.ofSeconds(5).toNanos(), name, null);
    }

    @Test
    void theDefaultQueryTimeoutScalesWithTheLogOfTheClusterSize() {
        Duration g = Duration.ofMillis(200);
        assertThat(Queries.defaultTimeout(g, 16, 1)).isEqualTo(Duration.ofMillis(3200));
        assertThat(Queries.defaultTimeout(g, 16, 9)).isEqualTo(Duration.ofMillis(3200));
        assertThat(Queries.defaultTimeout(g, 16, 10)).isEqualTo(Duration.ofMillis(6400));
        assertThat(Queries.defaultTimeout(g, 16, 99)).isEqualTo(Duration.ofMillis(6400));
        assertThat(Queries.defaultTimeout(g, 16, 100)).isEqualTo(Duration.ofMillis(9600));
        assertThat(Queries.defaultTimeout(g, 16, 0)).as("never zero").isEqualTo(Duration.ofMillis(3200));
        liveMembers = 10;
        assertThat(queries.defaultTimeout()).isEqualTo(Duration.ofMillis(6400));
    }

    @Test
    void aQueryIsDeliveredOnceAndAckedOnce() {
        assertThat(queries.handle(query(4, 11, "q", true))).as("new: rebroadcast").isTrue();
        assertThat(queries.handle(query(4, 11, "q", true))).as("duplicate").isFalse();
        assertThat(queries.handle(query(4, 12, "q", true))).as("another id at the same LTime").isTrue();
        assertThat(events).hasSize(2);
        assertThat(sent).hasSize(2); // one ack each
        assertThat(queries.clock().time()).isEqualTo(5);
    }

    @Test
    void queriesOlderThanTheRingCoversAreRefused() {
        queries.handle(query(200, 1, "now", false));
        assertThat(queries.handle(query(136, 2, "too-old", false))).isFalse();
        assertThat(queries.handle(query(137, 3, "oldest-kept", false))).isTrue();
        queries.setMinTime(500);
        assertThat(queries.handle(query(499, 4, "below-min", false))).isFalse();
    }

    @Test
    void aQueryClosesAtItsTimeoutOnTheSchedulerAndCollectsAnswersUntilThen() throws Exception {
        QueryResponse r = queries.send("ask", null, QueryParam.defaults().withAck(true).withTimeout(Duration.ofSeconds(2)));
        assertThat(events).as("our own query is delivered locally too").hasSize(1);
        assertThat(broadcasts.queriesQueued()).isEqualTo(1);
        assertThat(queries.openQueries()).isEqualTo(1);
        queries.handleResponse(new SerfMessage.QueryResponse(r.lTime(), r.id(), "b", 1, null));
        queries.handleResponse(new SerfMessage.QueryResponse(r.lTime(), r.id(), "b", 0, "yes".getBytes()));
        queries.handleResponse(new SerfMessage.QueryResponse(r.lTime(), r.id() + 1, "c", 0, "wrong id".getBytes()));
        queries.handleResponse(new SerfMessage.QueryResponse(r.lTime(), r.id(), "b", 0, "again".getBytes()));
        scheduler.advance(Duration.ofMillis(1999));
        assertThat(r.finished()).isFalse();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(r.finished()).isTrue();
        assertThat(queries.openQueries()).isZero();
        queries.handleResponse(new SerfMessage.QueryResponse(r.lTime(), r.id(), "late", 0, null));
        assertThat(r.awaitAcks()).containsExactly("b");
        assertThat(r.awaitResponses()).extracting(NodeResponse::from).containsExactly("b");
    }

    @Test
    void waitingForAnswersRunsTheSchedulerForwardToTheDeadline() throws Exception {
        QueryResponse r = queries.send("ask", null, QueryParam.defaults().withTimeout(Duration.ofSeconds(3)));
        scheduler.schedule(Duration.ofSeconds(1), () ->
                queries.handleResponse(new SerfMessage.QueryResponse(r.lTime(), r.id(), "b", 0, null)));
        long t0 = scheduler.nanoTime();
        assertThat(r.pollResponse(Duration.ofSeconds(10))).extracting(NodeResponse::from).isEqualTo("b");
        assertThat(scheduler.nanoTime() - t0).as("virtual time, up to the answer").isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(r.awaitResponses()).isEmpty();
        assertThat(scheduler.nanoTime() - t0).isEqualTo(Duration.ofSeconds(3).toNanos());
    }

    @Test
    void queryIdsComeFromTheNodesRandomSourceAndLTimesAreNeverShared() throws Exception {
        QueryResponse a = queries.send("a", null, QueryParam.defaults());
        QueryResponse b = queries.send("b", null, QueryParam.defaults());
        Random same = new Random(7);
        assertThat(a.id()).isEqualTo(same.nextInt(Integer.MAX_VALUE));
        assertThat(b.id()).isEqualTo(same.nextInt(Integer.MAX_VALUE));
        assertThat(b.lTime()).isGreaterThan(a.lTime());
    }

    @Test
    void aResponseIsRefusedPastTheQuerysDeadlineOnTheNodesClock() throws Exception {
        queries.handle(query(1, 1, "q", false));
        Query q = (Query) events.get(0);
        scheduler.advance(Duration.ofSeconds(5).plusNanos(1));
        assertThatThrownBy(() -> q.respond("late".getBytes())).isInstanceOf(QueryException.class).hasMessageContaining("deadline");
        queries.handle(query(2, 2, "q", false));
        Query fresh = (Query) events.get(1);
        fresh.respond("ok".getBytes());
        assertThat(SerfCodec.decode(sent.get(0), 0, sent.get(0).length)).isInstanceOf(SerfMessage.QueryResponse.class);
        assertThatThrownBy(() -> fresh.respond("twice".getBytes())).hasMessageContaining("already sent");
    }
}
