package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import serf.testkit.ThreadNames;

/**
 * Whole nodes on a {@link ManualScheduler} and a {@link TaskNetwork}: the way a simulator drives
 * them. Every task of every node runs on the test's thread in virtual time, no thread is started,
 * and the same seeds give the same run, event for event.
 */
class VirtualTimeTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final TaskNetwork network = new TaskNetwork(scheduler, Duration.ofMillis(1));
    private final List<String> trace = new ArrayList<>();
    private final List<Memberlist> nodes = new ArrayList<>();

    private Memberlist node(int host, long seed) throws IOException {
        String name = "vt-" + host;
        MemberlistConfig c = MemberlistConfig.lan().name(name).scheduler(scheduler).transport(network.transport(host))
                .random(new Random(seed))
                .events(new EventDelegate() {
                    @Override
                    public void notifyJoin(Node n) {
                        record(name, "join " + n.name());
                    }

                    @Override
                    public void notifyLeave(Node n) {
                        record(name, "leave " + n.name() + " " + n.state());
                    }

                    @Override
                    public void notifyUpdate(Node n) {
                        record(name, "update " + n.name());
                    }
                });
        Memberlist m = Memberlist.create(c);
        nodes.add(m);
        return m;
    }

    private void record(String node, String what) {
        trace.add(Duration.ofNanos(scheduler.clock().nanoTime()).toMillis() + "ms " + node + ": " + what);
    }

    private static String seedOf(int host) {
        return "10.0.0." + host + ":7946";
    }

    @Test
    void aNodeOnAGivenSchedulerStartsNoThread() throws Exception {
        Memberlist a = node(1, 1);
        Memberlist b = node(2, 2);
        assertThat(b.join(List.of(seedOf(1)))).isEqualTo(1);
        scheduler.runFor(Duration.ofMinutes(2));
        assertThat(ThreadNames.includesVirtualThreads()).isTrue();
        List<String> live = ThreadNames.live();
        assertThat(live).noneMatch(n -> n.startsWith("memberlist-") && n.contains("vt-"));
        assertThat(live).noneMatch(n -> n.contains("vt-1") || n.contains("vt-2"));
        assertThat(scheduler.ran()).isGreaterThan(100); // the rounds did run, on this thread
        assertThat(a.numMembers()).isEqualTo(2);
        a.shutdown();
        b.shutdown();
        assertThat(ThreadNames.live()).noneMatch(n -> n.contains("vt-"));
    }

    /** Five nodes join, gossip, one is cut off and declared dead; returns what happened, in order. */
    private List<String> scenario(long seedBase) throws Exception {
        for (int i = 1; i <= 5; i++) {
            node(i, seedBase + i);
        }
        for (int i = 1; i < 5; i++) {
            nodes.get(i).join(List.of(seedOf(i))); // a chain: each joins the previous one
            scheduler.runFor(Duration.ofMillis(100));
        }
        scheduler.runFor(Duration.ofSeconds(10));
        for (Memberlist m : nodes) {
            assertThat(m.numMembers()).as(m.name()).isEqualTo(5);
        }
        record("test", "cut vt-3 off");
        for (int i = 1; i <= 5; i++) {
            network.cut(3, i, true);
        }
        scheduler.runFor(Duration.ofMinutes(1));
        for (Memberlist m : nodes) {
            if (!m.name().equals("vt-3")) {
                assertThat(m.members()).as(m.name()).extracting(Node::name).doesNotContain("vt-3").hasSize(4);
            }
        }
        trace.add("packets " + network.packetsDelivered() + " lost " + network.packetsLost() + " tasks " + scheduler.ran());
        nodes.forEach(Memberlist::shutdown);
        return List.copyOf(trace);
    }

    @Test
    void fiveNodesConvergeAndDetectAFailureTheSameWayEveryRun() throws Exception {
        List<String> first = scenario(100);
        VirtualTimeTest again = new VirtualTimeTest();
        List<String> second = again.scenario(100);
        assertThat(first).anyMatch(l -> l.contains("vt-5: join vt-1"));
        assertThat(first).anyMatch(l -> l.contains("leave vt-3 DEAD"));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void leaveWaitsInVirtualTimeUntilTheBroadcastWentOut() throws Exception {
        Memberlist a = node(1, 1);
        Memberlist b = node(2, 2);
        b.join(List.of(seedOf(1)));
        scheduler.runFor(Duration.ofSeconds(5));
        long before = scheduler.clock().nanoTime();
        a.leave(Duration.ofSeconds(10)); // pumps the scheduler on this thread
        assertThat(scheduler.clock().nanoTime()).isGreaterThan(before).isLessThan(before + Duration.ofSeconds(10).toNanos());
        scheduler.runFor(Duration.ofSeconds(1));
        assertThat(b.members()).extracting(Node::name).containsExactly("vt-2");
        assertThat(trace).anyMatch(l -> l.endsWith("vt-2: leave vt-1 LEFT"));
    }

    @Test
    void afterShutdownANodesPendingTasksDoNothingOnTheSharedScheduler() throws Exception {
        Memberlist a = node(1, 1);
        Memberlist b = node(2, 2);
        b.join(List.of(seedOf(1)));
        scheduler.runFor(Duration.ofSeconds(5));
        int pendingBoth = scheduler.pending();
        a.shutdown();
        // Its rounds were cancelled; only b's tasks (and a's spent timeouts, if any) remain.
        assertThat(scheduler.pending()).isLessThan(pendingBoth);
        long delivered = network.packetsDelivered();
        long lost = network.packetsLost();
        scheduler.runFor(Duration.ofMinutes(1));
        assertThat(b.isShutdown()).isFalse();
        // b went on probing a, which no longer answers, and declared it dead.
        assertThat(b.members()).extracting(Node::name).containsExactly("vt-2");
        assertThat(network.packetsLost()).isGreaterThan(lost); // b's pings, to a closed node
        assertThat(network.packetsDelivered()).isEqualTo(delivered); // a sent nothing after shutdown
        assertThat(a.members()).hasSize(2); // a froze at shutdown: nothing of it ran since
    }
}
