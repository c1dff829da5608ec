package serf.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import serf.api.internal.msg.Filters;
import serf.api.internal.msg.SerfMessage;
import serf.memberlist.Node;
import serf.memberlist.NodeState;
import serf.testkit.RecordingLogger;

/**
 * The cases of Go's serf_test.go, query_test.go, lamport_test.go, event_test.go and the coalescer
 * tests that no other class here checks, one input at a time on a manual scheduler: the Lamport
 * witness rule, the names of statuses and events, the coalescing loop's two timers and what each
 * coalescer takes, the intent buffer, the queue bound, query filters, response relays and the
 * query size limit. docs/protocol/rule-tests.md maps every Go case to the test that checks it.
 */
class GoSerfRulesTest {
    private final RecordingLogger log = new RecordingLogger();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Event> out = new ArrayList<>();

    // ---- lamport_test.go ------------------------------------------------------------------------

    @Test
    void theLamportClockIncrementsAndWitnessesOnlyForward() {
        LamportClock c = new LamportClock();
        assertThat(c.time()).isZero();
        assertThat(c.increment()).isEqualTo(1);
        assertThat(c.time()).isEqualTo(1);
        c.witness(41);
        assertThat(c.time()).isEqualTo(42);
        c.witness(41);
        assertThat(c.time()).as("the same value again: already past it").isEqualTo(42);
        c.witness(30);
        assertThat(c.time()).as("an older value changes nothing").isEqualTo(42);
    }

    // ---- event_test.go and TestMemberStatus_String ------------------------------------------------

    @Test
    void statusesAndEventsCarryGosNames() {
        assertThat(List.of(MemberStatus.NONE, MemberStatus.ALIVE, MemberStatus.LEAVING, MemberStatus.LEFT, MemberStatus.FAILED))
                .extracting(MemberStatus::toString).containsExactly("none", "alive", "leaving", "left", "failed");
        assertThat(EventType.values()).extracting(EventType::toString).containsExactly(
                "member-join", "member-leave", "member-failed", "member-update", "member-reap", "user", "query");
        for (EventType t : List.of(EventType.MEMBER_JOIN, EventType.MEMBER_LEAVE, EventType.MEMBER_FAILED,
                EventType.MEMBER_UPDATE, EventType.MEMBER_REAP)) {
            Event.MemberEvent e = new Event.MemberEvent(t, List.of());
            assertThat(e.type()).isEqualTo(t);
            assertThat(e).hasToString(t.toString());
        }
        // Go panics on a member event of another type; here it cannot be made.
        assertThatThrownBy(() -> new Event.MemberEvent(EventType.USER, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Event.MemberEvent(EventType.QUERY, List.of())).isInstanceOf(IllegalArgumentException.class);
        Event.UserEvent ue = new Event.UserEvent(0, "test", "foobar".getBytes(), false);
        assertThat(ue.type()).isEqualTo(EventType.USER);
        assertThat(ue).hasToString("user-event: test");

        queries.handle(query(42, 1, "update", null, 0));
        Query q = (Query) events.get(0);
        assertThat(q.type()).isEqualTo(EventType.QUERY);
        assertThat(q).hasToString("query: update");
    }

    // ---- coalesce_test.go, coalesce_member_test.go, coalesce_user_test.go ------------------------

    private static Member member(String name, Map<String, String> tags) {
        return new Member(name, InetAddress.getLoopbackAddress(), 7946, tags, MemberStatus.ALIVE, 2, 5, 5, 2, 5, 5);
    }

    private static Event.MemberEvent memberEvent(EventType type, String name) {
        return new Event.MemberEvent(type, List.of(member(name, Map.of())));
    }

    private Coalescer memberCoalescer(Duration coalesce, Duration quiescent) {
        return new Coalescer(new Coalescer.MemberStrategy(), coalesce, quiescent, scheduler, scheduler,
                new DropCounter("member coalescer", log), out::add);
    }

    @Test
    void aWindowIsFlushedAtTheEndOfTheCoalescePeriodEvenIfNeverQuiet() {
        Coalescer c = memberCoalescer(Duration.ofMillis(5), Duration.ofSeconds(1));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "a"));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "b"));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "c"));
        scheduler.advance(Duration.ofMillis(4));
        assertThat(out).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(out).singleElement().satisfies(e ->
                assertThat(((Event.MemberEvent) e).members()).extracting(Member::name).containsExactlyInAnyOrder("a", "b", "c"));
    }

    @Test
    void aWindowIsFlushedOnceQuietForTheQuiescentPeriod() {
        Coalescer c = memberCoalescer(Duration.ofSeconds(10), Duration.ofMillis(10));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "a"));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "b"));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "c"));
        scheduler.advance(Duration.ofMillis(9));
        assertThat(out).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(out).hasSize(1);
        assertThat(((Event.MemberEvent) out.get(0)).members()).hasSize(3);
    }

    @Test
    void whatACoalescerDoesNotTakeGoesThroughAtOnceUnchanged() {
        Coalescer c = memberCoalescer(Duration.ofSeconds(1), Duration.ofSeconds(1));
        Event.UserEvent ue = new Event.UserEvent(3, "test", "foo".getBytes(), false);
        c.accept(ue);
        assertThat(out).containsExactly(ue);
        assertThat(scheduler.pending()).as("no window was opened").isZero();
    }

    @Test
    void whichEventsEachCoalescerTakes() {
        Coalescer.MemberStrategy members = new Coalescer.MemberStrategy();
        Coalescer.UserStrategy users = new Coalescer.UserStrategy();
        Event.UserEvent plain = new Event.UserEvent(1, "u", null, false);
        Event.UserEvent coalescable = new Event.UserEvent(1, "u", null, true);
        assertThat(members.handles(plain)).isFalse();
        assertThat(members.handles(coalescable)).isFalse();
        assertThat(users.handles(plain)).isFalse();
        assertThat(users.handles(coalescable)).isTrue();
        for (EventType t : List.of(EventType.MEMBER_JOIN, EventType.MEMBER_LEAVE, EventType.MEMBER_FAILED,
                EventType.MEMBER_UPDATE, EventType.MEMBER_REAP)) {
            assertThat(members.handles(new Event.MemberEvent(t, List.of()))).as(t.toString()).isTrue();
            assertThat(users.handles(new Event.MemberEvent(t, List.of()))).as(t.toString()).isFalse();
        }
        queries.handle(query(1, 1, "q", null, 0));
        assertThat(members.handles(events.get(0))).isFalse();
        assertThat(users.handles(events.get(0))).isFalse();
    }

    /** Go's TestMemberEventCoalesce_Basic, input for input. */
    @Test
    void memberEventsKeepTheLatestPerMemberWithItsLatestTags() {
        Coalescer c = memberCoalescer(Duration.ofMillis(5), Duration.ofMillis(5));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "foo"));
        c.accept(memberEvent(EventType.MEMBER_LEAVE, "foo"));
        c.accept(memberEvent(EventType.MEMBER_LEAVE, "bar"));
        c.accept(new Event.MemberEvent(EventType.MEMBER_UPDATE, List.of(member("zip", Map.of("role", "foo")))));
        c.accept(new Event.MemberEvent(EventType.MEMBER_UPDATE, List.of(member("zip", Map.of("role", "bar")))));
        c.accept(memberEvent(EventType.MEMBER_REAP, "dead"));
        scheduler.advance(Duration.ofMillis(10));
        assertThat(out).extracting(Event::type).containsExactlyInAnyOrder(
                EventType.MEMBER_LEAVE, EventType.MEMBER_UPDATE, EventType.MEMBER_REAP);
        for (Event e : out) {
            List<Member> ms = ((Event.MemberEvent) e).members();
            switch (e.type()) {
                case MEMBER_LEAVE -> assertThat(ms).extracting(Member::name).containsExactlyInAnyOrder("foo", "bar");
                case MEMBER_UPDATE -> assertThat(ms).singleElement().satisfies(m -> {
                    assertThat(m.name()).isEqualTo("zip");
                    assertThat(m.tags()).containsEntry("role", "bar");
                });
                case MEMBER_REAP -> assertThat(ms).extracting(Member::name).containsExactly("dead");
                default -> throw new AssertionError(e);
            }
        }
    }

    // ---- TestRecentIntent, TestSerf_ReapHandler (the intent part) --------------------------------

    @Test
    void theIntentBufferKeepsTheNewestLTimePerNodeAndForgetsByAge() {
        IntentBuffer intents = new IntentBuffer(new DropCounter("intents", log), scheduler);
        assertThat(intents.get("foo")).isNull();
        assertThat(intents.upsert("foo", IntentBuffer.Kind.JOIN, 1)).isTrue();
        assertThat(intents.upsert("bar", IntentBuffer.Kind.LEAVE, 2)).isTrue();
        assertThat(intents.upsert("bar", IntentBuffer.Kind.JOIN, 4)).as("newer, of the other kind").isTrue();
        assertThat(intents.upsert("bar", IntentBuffer.Kind.JOIN, 0)).as("older").isFalse();
        assertThat(intents.upsert("bar", IntentBuffer.Kind.JOIN, 5)).isTrue();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(intents.upsert("baz", IntentBuffer.Kind.JOIN, 3)).isTrue();

        assertThat(intents.get("foo")).isEqualTo(new IntentBuffer.Intent(IntentBuffer.Kind.JOIN, 1, intents.get("foo").atNanos()));
        assertThat(intents.get("bar").kind()).isEqualTo(IntentBuffer.Kind.JOIN);
        assertThat(intents.get("bar").lTime()).isEqualTo(5);
        assertThat(intents.get("baz").lTime()).isEqualTo(3);
        assertThat(intents.get("tubez")).isNull();

        intents.reap(Duration.ofSeconds(1).toNanos());
        assertThat(intents.get("foo")).as("2 s old").isNull();
        assertThat(intents.get("bar")).isNull();
        assertThat(intents.get("baz")).as("just made").isNotNull();

        scheduler.advance(Duration.ofSeconds(2));
        intents.reap(Duration.ofSeconds(1).toNanos());
        assertThat(intents.get("baz")).isNull();
        assertThat(intents.size()).isZero();
    }

    // ---- TestSerf_getQueueMax ----------------------------------------------------------------

    @Test
    void theBroadcastQueueBoundIsFixedOrTwiceTheMembersAboveAMinimum() {
        int[] members = {100};
        Config config = Config.defaults().nodeName("local");
        SerfBroadcasts fixed = new SerfBroadcasts(config, () -> members[0], log);
        fill(fixed, 300);
        fixed.checkDepths();
        assertThat(fixed.eventsQueued()).as("default bound 4,096").isEqualTo(300);

        config.minQueueDepth(1024);
        SerfBroadcasts floor = new SerfBroadcasts(config, () -> members[0], log);
        fill(floor, 1500);
        floor.checkDepths();
        assertThat(floor.eventsQueued()).as("the minimum, above 2 × 100").isEqualTo(1024);

        config.minQueueDepth(16);
        SerfBroadcasts scaled = new SerfBroadcasts(config, () -> members[0], log);
        fill(scaled, 300);
        scaled.checkDepths();
        assertThat(scaled.eventsQueued()).as("2 × 100 members").isEqualTo(200);
        members[0] = 101;
        fill(scaled, 100);
        scaled.checkDepths();
        assertThat(scaled.eventsQueued()).as("2 × 101 members").isEqualTo(202);
    }

    private static void fill(SerfBroadcasts b, int n) {
        for (int i = 0; i < n; i++) {
            b.event(new byte[] {8, (byte) i, (byte) (i >> 8)});
        }
    }

    // ---- queries: TestSerf_ShouldProcess, Test_kRandomMembers, TestSerf_Query_sizeLimit* -------

    private final List<Event> events = new ArrayList<>();
    private final List<InetSocketAddress> sentTo = new ArrayList<>();
    private final DropCounters drops = new DropCounters(log);
    private Config queryConfig = Config.defaults().nodeName("zip").queryBuffer(64)
            .tags(Map.of("role", "webserver", "datacenter", "east-aws"));
    private final MemberTracker members = new MemberTracker(queryConfig, scheduler, 1000, drops, log, events::add,
            n -> { }, () -> true, () -> { });
    private Queries queries = newQueries(new Random(7));

    private Queries newQueries(Random random) {
        return new Queries(queryConfig, scheduler, scheduler, random, drops, log, new Queries.Network() {
            @Override
            public InetSocketAddress advertiseAddress() {
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), 7946);
            }

            @Override
            public int numMembers() {
                return members.size();
            }

            @Override
            public void sendTo(InetSocketAddress to, byte[] raw) throws IOException {
                sentTo.add(to);
            }
        }, members, new SerfBroadcasts(queryConfig, members::size, log), queryConfig::tags, events::add, () -> false);
    }

    private static SerfMessage.Query query(long lTime, long id, String name, List<byte[]> filters, int relayFactor) {
        return new SerfMessage.Query(lTime, id, new byte[] {10, 9, 9, 9}, 7946, "origin", filters,
                SerfMessage.Query.FLAG_ACK, relayFactor, Duration.ofSeconds(5).toNanos(), name, null);
    }

    private static byte[] nodes(String... names) {
        return Filters.encode(new Filters.NodeFilter(List.of(names)));
    }

    private static byte[] tag(String tag, String expr) {
        return Filters.encode(new Filters.TagFilter(tag, expr));
    }

    @Test
    void aQueryIsProcessedOnlyWhenEveryFilterMatchesButIsPassedOnEitherWay() {
        long lTime = 1;
        List<List<byte[]>> match = List.of(
                List.of(nodes("foo", "bar", "zip"), tag("role", "^web"), tag("datacenter", "aws$")));
        List<List<byte[]>> noMatch = List.of(
                List.of(nodes("foo", "bar")),
                List.of(tag("other", "cool")),
                List.of(tag("role", "db")));
        for (List<byte[]> f : match) {
            events.clear();
            sentTo.clear();
            assertThat(queries.handle(query(lTime, lTime, "q", f, 0))).as("rebroadcast").isTrue();
            lTime++;
            assertThat(events).as("delivered").hasSize(1);
            assertThat(sentTo).as("acked").hasSize(1);
        }
        for (List<byte[]> f : noMatch) {
            events.clear();
            sentTo.clear();
            assertThat(queries.handle(query(lTime, lTime, "q", f, 0))).as("still rebroadcast").isTrue();
            lTime++;
            assertThat(events).as("not delivered").isEmpty();
            assertThat(sentTo).as("not acked").isEmpty();
        }
    }

    /** A node whose memberlist protocol range tops out at {@code protocolMax} (Go's relay rule looks at that one). */
    private static Node node(String name, int lastOctet, int protocolMax) {
        try {
            return new Node(name, InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) lastOctet}), 7946,
                    new byte[0], NodeState.ALIVE, 2, protocolMax, protocolMax, 2, 5, 5);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Go's relayResponse with kRandomMembers: relays go through alive protocol-5 members other than this one. */
    @Test
    void anAckIsRelayedThroughRandomAliveMembersThatCanRelay() {
        members.nodeJoined(node("zip", 1, 5)); // this node
        for (int i = 0; i < 30; i++) {
            members.nodeJoined(node("m" + i, 10 + i, i % 3 == 2 ? 4 : 5)); // every third too old to relay
        }
        for (int i = 0; i < 30; i += 5) {
            members.nodeLeft(node("m" + i, 10 + i, 5)); // some failed
        }
        Set<String> eligible = new HashSet<>();
        for (Member m : members.members()) {
            if (m.status() == MemberStatus.ALIVE && m.protocolMax() >= 5 && !m.name().equals("zip")) {
                eligible.add(m.addr().getHostAddress());
            }
        }
        assertThat(eligible).as("30 others, 10 too old, 4 more failed").hasSize(16);
        List<Set<String>> picks = new ArrayList<>();
        for (int seed = 1; seed <= 3; seed++) {
            queries = newQueries(new Random(seed));
            sentTo.clear();
            queries.handle(query(seed, seed, "q", null, 3));
            assertThat(sentTo.get(0).getAddress().getHostAddress()).as("the ack goes to the origin first").isEqualTo("10.9.9.9");
            Set<String> relays = new HashSet<>();
            sentTo.subList(1, sentTo.size()).forEach(a -> relays.add(a.getAddress().getHostAddress()));
            assertThat(sentTo).hasSize(4);
            assertThat(relays).hasSize(3).isSubsetOf(eligible);
            picks.add(relays);
        }
        assertThat(new HashSet<>(picks)).as("three seeds, three different picks").hasSize(3);

        // Fewer members than the relay factor + 1: no relay at all.
        MemberTracker few = new MemberTracker(queryConfig, scheduler, 1000, drops, log, e -> { }, n -> { }, () -> true, () -> { });
        few.nodeJoined(node("zip", 1, 5));
        few.nodeJoined(node("only", 2, 5));
        Queries small = new Queries(queryConfig, scheduler, scheduler, new Random(1), drops, log, new Queries.Network() {
            @Override
            public InetSocketAddress advertiseAddress() {
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), 7946);
            }

            @Override
            public int numMembers() {
                return 2;
            }

            @Override
            public void sendTo(InetSocketAddress to, byte[] raw) {
                sentTo.add(to);
            }
        }, few, new SerfBroadcasts(queryConfig, few::size, log), queryConfig::tags, e -> { }, () -> false);
        sentTo.clear();
        small.handle(query(9, 9, "q", null, 2));
        assertThat(sentTo).as("only the direct ack").hasSize(1);
    }

    @Test
    void aQueryLargerThanTheSizeLimitIsRefusedUnlessTheLimitIsRaised() throws Exception {
        byte[] big = new byte[queryConfig.querySizeLimit()];
        assertThatThrownBy(() -> queries.send("this is too large a query", big, QueryParam.defaults()))
                .isInstanceOf(SerfException.class).hasMessageStartingWith("query exceeds limit of 1024 bytes");
        queryConfig = Config.defaults().nodeName("zip").querySizeLimit(2 * 1024);
        queries = newQueries(new Random(7));
        assertThat(queries.send("this is too large a query", big, QueryParam.defaults())).isNotNull();
    }
    // ---- serf_test.go's restarts and repeated intents, as the member tracker sees them ----------

    private final List<Event> seen = new ArrayList<>();
    private final MemberTracker tracker = new MemberTracker(Config.defaults().nodeName("s1"), scheduler, 100, drops, log,
            seen::add, n -> { }, () -> true, () -> { });

    /** Node {@code name} at 10.0.1.{@code octet} with tags and Serf protocol {@code serfProtocol}. */
    private static Node peer(String name, int octet, Map<String, String> tags, int serfProtocol) {
        try {
            return new Node(name, InetAddress.getByAddress(new byte[] {10, 0, 1, (byte) octet}), 7946,
                    serf.api.internal.msg.Tags.encodeMeta(tags, serfProtocol), NodeState.ALIVE, 1, 5, 2, 2, 5, serfProtocol);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private List<EventType> seenTypes() {
        return seen.stream().map(Event::type).toList();
    }

    /**
     * TestSerf_eventsLeave_avoidInfiniteLeaveRebroadcast: s2 leaves, comes back (its join intent
     * lost here, memberlist's alive arrives), and leaves again; the second leave applies once and is
     * then old news, so it is not passed on for ever.
     */
    @Test
    void aSecondLeaveAfterAnUnseenRejoinAppliesOnceAndIsThenOldNews() {
        Node s2 = peer("s2", 2, Map.of(), 5);
        tracker.nodeJoined(s2);
        assertThat(tracker.leaveIntent(new SerfMessage.Leave(3, "s2", false))).isTrue();
        tracker.nodeLeft(s2);
        assertThat(tracker.member("s2").status()).isEqualTo(MemberStatus.LEFT);

        tracker.nodeJoined(s2); // back, by memberlist; the join intent at LTime 5 never came
        assertThat(tracker.member("s2").status()).isEqualTo(MemberStatus.ALIVE);
        assertThat(tracker.leaveIntent(new SerfMessage.Leave(6, "s2", false))).as("newer: applied, passed on").isTrue();
        assertThat(tracker.member("s2").status()).isEqualTo(MemberStatus.LEAVING);
        assertThat(tracker.leaveIntent(new SerfMessage.Leave(6, "s2", false))).as("the same again: old news").isFalse();
        tracker.nodeLeft(s2);
        assertThat(tracker.leaveIntent(new SerfMessage.Leave(6, "s2", false))).isFalse();
        assertThat(tracker.member("s2").status()).isEqualTo(MemberStatus.LEFT);
        assertThat(seenTypes()).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_LEAVE,
                EventType.MEMBER_JOIN, EventType.MEMBER_LEAVE);
    }

    /** TestSerf_leaveRejoinDifferentRole and TestSerf_joinLeaveJoin: a left member back under its name is alive with its new tags and no longer reaped. */
    @Test
    void aLeftMemberBackUnderItsNameIsAliveWithItsNewTagsAndNotReaped() {
        tracker.nodeJoined(peer("s2", 2, Map.of("role", "foo"), 5));
        tracker.leaveIntent(new SerfMessage.Leave(2, "s2", false));
        tracker.nodeLeft(peer("s2", 2, Map.of("role", "foo"), 5));
        assertThat(tracker.counts()).as("alive, failed, left").containsExactly(1, 0, 1);
        scheduler.advance(Duration.ofSeconds(1));

        tracker.nodeJoined(peer("s2", 2, Map.of("role", "bar"), 5));
        Member back = tracker.member("s2");
        assertThat(back.status()).isEqualTo(MemberStatus.ALIVE);
        assertThat(back.tags()).containsExactly(Map.entry("role", "bar"));
        assertThat(tracker.counts()).containsExactly(1, 0, 0);
        scheduler.advance(Duration.ofDays(2)); // far past the tombstone timeout
        tracker.reap();
        assertThat(tracker.member("s2")).isNotNull();
        assertThat(seenTypes()).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_LEAVE, EventType.MEMBER_JOIN);
    }

    /** TestSerf_update: a node restarted under its name with other tags and an older Serf protocol is an update. */
    @Test
    void aRestartWithOtherTagsAndProtocolIsAnUpdateCarryingBoth() {
        tracker.nodeJoined(peer("s2", 2, Map.of(), 5));
        tracker.nodeUpdated(peer("s2", 2, Map.of("foo", "bar"), 4));
        assertThat(seenTypes()).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_UPDATE);
        Member m = tracker.member("s2");
        assertThat(m.tags()).containsEntry("foo", "bar");
        assertThat(m.delegateCur()).isEqualTo(4);
        assertThat(((Event.MemberEvent) seen.get(1)).members().get(0).tags()).containsEntry("foo", "bar");
    }

    /** TestSerf_reconnect and TestSerf_reconnect_sameIP: a failed member that answers again is alive, no longer failed. */
    @Test
    void aFailedMemberBackAtTheSameAddressIsAliveAgain() {
        Node s2 = peer("s2", 2, Map.of(), 5);
        tracker.nodeJoined(s2);
        tracker.nodeLeft(s2);
        assertThat(tracker.member("s2").status()).isEqualTo(MemberStatus.FAILED);
        assertThat(tracker.reconnectTarget(new Random(1))).as("the reconnector's candidate").isNotNull();
        tracker.nodeJoined(s2);
        assertThat(tracker.member("s2").status()).isEqualTo(MemberStatus.ALIVE);
        assertThat(tracker.member("s2").addr().getHostAddress()).isEqualTo("10.0.1.2");
        assertThat(tracker.counts()).containsExactly(1, 0, 0);
        assertThat(seenTypes()).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_FAILED, EventType.MEMBER_JOIN);
    }

    /**
     * TestSerf_forceLeaveLeaving and TestSerf_forceLeaveLeft: a force-leave about a member already
     * leaving or left changes its status no further and raises no event, but a newer one is passed on.
     */
    @Test
    void aForceLeaveAboutALeavingOrLeftMemberChangesNothingButIsPassedOn() {
        Node s2 = peer("s2", 2, Map.of(), 5);
        tracker.nodeJoined(s2);
        tracker.leaveIntent(new SerfMessage.Leave(2, "s2", false));
        seen.clear();
        assertThat(tracker.leaveIntent(new SerfMessage.Leave(3, "s2", false))).isTrue();
        assertThat(tracker.member("s2").status()).isEqualTo(MemberStatus.LEAVING);
        tracker.nodeLeft(s2);
        assertThat(tracker.leaveIntent(new SerfMessage.Leave(4, "s2", false))).isTrue();
        assertThat(tracker.member("s2").status()).isEqualTo(MemberStatus.LEFT);
        assertThat(seenTypes()).containsExactly(EventType.MEMBER_LEAVE);
    }

    @Test
    void aProtocolVersionOutsideTwoToFiveIsRefusedAtCreation() {
        assertThatThrownBy(() -> Serf.create(Config.defaults().nodeName("p").protocolVersion(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too low");
        assertThatThrownBy(() -> Serf.create(Config.defaults().nodeName("p").protocolVersion(6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too high");
    }
    /** TestQueryFlags: Go's bit values, and what the no-broadcast bit does on arrival. */
    @Test
    void theQueryFlagsHaveGosBitsAndNoBroadcastStopsTheRebroadcast() {
        assertThat(SerfMessage.Query.FLAG_ACK).isEqualTo(1);
        assertThat(SerfMessage.Query.FLAG_NO_BROADCAST).isEqualTo(2);
        SerfMessage.Query quiet = new SerfMessage.Query(1, 1, new byte[] {10, 9, 9, 9}, 7946, "origin", null,
                SerfMessage.Query.FLAG_NO_BROADCAST, 0, Duration.ofSeconds(5).toNanos(), "q", null);
        assertThat(queries.handle(quiet)).as("not passed on").isFalse();
        assertThat(events).as("but delivered").hasSize(1);
        assertThat(sentTo).as("and not acked: no ack bit").isEmpty();
    }
}
