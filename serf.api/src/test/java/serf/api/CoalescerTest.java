package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import serf.testkit.RecordingLogger;

/**
 * The coalescers and the delivery queue on a manual scheduler (the facts of Go's
 * coalesce_member_test.go and coalesce_user_test.go): what is folded, when a window flushes (the
 * quiescent period, or at the latest the coalesce period), and that the sink is called only from
 * a task, in order.
 */
class CoalescerTest {
    private final RecordingLogger log = new RecordingLogger();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Event> out = new ArrayList<>();

    private Coalescer members(Duration coalesce, Duration quiescent) {
        return new Coalescer(new Coalescer.MemberStrategy(), coalesce, quiescent, scheduler, scheduler,
                new DropCounter("member coalescer", log), out::add);
    }

    private Coalescer users(Duration coalesce, Duration quiescent) {
        return new Coalescer(new Coalescer.UserStrategy(), coalesce, quiescent, scheduler, scheduler,
                new DropCounter("user coalescer", log), out::add);
    }

    private static Member member(String name) {
        return new Member(name, InetAddress.getLoopbackAddress(), 7946, Map.of(), MemberStatus.ALIVE, 2, 5, 5, 2, 5, 5);
    }

    private static Event.MemberEvent memberEvent(EventType type, String... names) {
        return new Event.MemberEvent(type, java.util.Arrays.stream(names).map(CoalescerTest::member).toList());
    }

    private static Event.UserEvent user(long lTime, String name, String payload, boolean coalesce) {
        return new Event.UserEvent(lTime, name, payload.getBytes(), coalesce);
    }

    @Test
    void memberEventsFoldToTheLatestTypePerMemberGroupedByType() {
        Coalescer c = members(Duration.ofSeconds(10), Duration.ofMillis(100));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "a", "b"));
        c.accept(memberEvent(EventType.MEMBER_FAILED, "a"));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "c"));
        assertThat(out).as("held").isEmpty();
        scheduler.advance(Duration.ofMillis(99));
        assertThat(out).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(out).hasSize(2);
        Event.MemberEvent failed = (Event.MemberEvent) out.stream().filter(e -> e.type() == EventType.MEMBER_FAILED).findFirst().orElseThrow();
        Event.MemberEvent joined = (Event.MemberEvent) out.stream().filter(e -> e.type() == EventType.MEMBER_JOIN).findFirst().orElseThrow();
        assertThat(failed.members()).extracting(Member::name).containsExactly("a");
        assertThat(joined.members()).extracting(Member::name).containsExactlyInAnyOrder("b", "c");
        assertThat(c.holding()).isFalse();
        assertThat(scheduler.pending()).as("no timer left once flushed").isZero();
    }

    @Test
    void aMemberIsNotReportedAgainInTheSameStateButUpdatesAlwaysPass() {
        Coalescer c = members(Duration.ofSeconds(10), Duration.ofMillis(100));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "a"));
        scheduler.advance(Duration.ofSeconds(1));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "a"));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(out).hasSize(1);
        c.accept(memberEvent(EventType.MEMBER_UPDATE, "a"));
        scheduler.advance(Duration.ofSeconds(1));
        c.accept(memberEvent(EventType.MEMBER_UPDATE, "a"));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(out).extracting(Event::type).containsExactly(EventType.MEMBER_JOIN, EventType.MEMBER_UPDATE, EventType.MEMBER_UPDATE);
    }

    @Test
    void aSteadyStreamIsFlushedAtTheEndOfTheCoalescePeriodNotHeldForever() {
        Coalescer c = members(Duration.ofMillis(500), Duration.ofMillis(100));
        long t0 = scheduler.nanoTime();
        List<Long> flushedAt = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            c.accept(memberEvent(i % 2 == 0 ? EventType.MEMBER_JOIN : EventType.MEMBER_FAILED, "m" + i));
            int before = out.size();
            scheduler.advance(Duration.ofMillis(50)); // never quiet for 100 ms
            if (out.size() > before) {
                flushedAt.add((scheduler.nanoTime() - t0) / 1_000_000);
            }
        }
        assertThat(flushedAt).as("each quantum ends 500 ms after the event that opened it").startsWith(500L, 1000L);
    }

    @Test
    void theQuiescentPeriodFlushesAssoonAsTheBurstStops() {
        Coalescer c = members(Duration.ofSeconds(5), Duration.ofMillis(100));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "a"));
        scheduler.advance(Duration.ofMillis(80));
        c.accept(memberEvent(EventType.MEMBER_JOIN, "b")); // extends the quiet period to 180 ms
        scheduler.advance(Duration.ofMillis(99));
        assertThat(out).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(out).hasSize(1);
        assertThat(((Event.MemberEvent) out.get(0)).members()).extracting(Member::name).containsExactly("a", "b");
    }

    @Test
    void userEventsFoldByNameKeepingTheLatestLTimeAndOthersPassAtOnce() {
        Coalescer c = users(Duration.ofSeconds(1), Duration.ofMillis(200));
        c.accept(user(1, "deploy", "v1", true));
        c.accept(user(3, "deploy", "v3a", true));
        c.accept(user(2, "deploy", "v2", true)); // older than held: dropped
        c.accept(user(3, "deploy", "v3b", true)); // same LTime: kept beside
        c.accept(user(1, "restart", "r1", true));
        c.accept(user(9, "plain", "p", false)); // not coalescable: straight through
        c.accept(memberEvent(EventType.MEMBER_JOIN, "a")); // not a user event: straight through
        assertThat(out).extracting(Event::type).containsExactly(EventType.USER, EventType.MEMBER_JOIN);
        out.clear();
        scheduler.advance(Duration.ofMillis(200));
        assertThat(out).extracting(e -> new String(((Event.UserEvent) e).payload()))
                .containsExactlyInAnyOrder("v3a", "v3b", "r1");
    }

    @Test
    void shutdownFlushesWhatIsHeldAndLaterEventsAreCountedAsDropped() {
        DropCounter drops = new DropCounter("user coalescer", log);
        Coalescer c = new Coalescer(new Coalescer.UserStrategy(), Duration.ofSeconds(1), Duration.ofMillis(200), scheduler,
                scheduler, drops, out::add);
        c.accept(user(1, "deploy", "v1", true));
        c.shutdown();
        assertThat(out).hasSize(1);
        c.accept(user(2, "deploy", "v2", true));
        assertThat(drops.total()).isEqualTo(1);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(out).hasSize(1);
    }

    @Test
    void theSinkIsCalledOnlyFromADrainTaskInOrder() {
        List<String> sink = new ArrayList<>();
        DropCounter drops = new DropCounter("sink", log);
        EventDelivery d = new EventDelivery(scheduler, e -> sink.add(((Event.UserEvent) e).name()), 3, drops, log);
        for (int i = 0; i < 5; i++) {
            d.accept(user(i, "e" + i, "", false));
        }
        assertThat(sink).as("never on the caller's stack").isEmpty();
        assertThat(d.queued()).isEqualTo(3);
        assertThat(drops.total()).isEqualTo(2);
        scheduler.runDue();
        assertThat(sink).containsExactly("e0", "e1", "e2");
        assertThat(scheduler.ran).as("one drain task for the whole queue").isEqualTo(1);
        d.accept(user(9, "e9", "", false));
        scheduler.runDue();
        assertThat(sink).endsWith("e9");
        d.shutdown();
        d.accept(user(10, "after", "", false));
        scheduler.runDue();
        assertThat(sink).doesNotContain("after");
    }

    @Test
    void shutdownDeliversWhatIsQueuedByRunningTheScheduler() {
        List<String> sink = new ArrayList<>();
        EventDelivery d = new EventDelivery(scheduler, e -> sink.add(((Event.UserEvent) e).name()), 8,
                new DropCounter("sink", log), log);
        d.accept(user(1, "a", "", false));
        d.accept(user(2, "b", "", false));
        d.shutdown();
        assertThat(sink).containsExactly("a", "b");
    }
}
