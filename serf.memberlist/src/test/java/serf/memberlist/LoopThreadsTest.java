package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import serf.memberlist.transport.LoopThreads;
import serf.testkit.Poll;

/**
 * {@link MemberlistConfig#loopThreads}: which kind of thread runs a node's timer, datagram reader and
 * connection acceptor (virtual by default; platform for one node per process), while blocking work
 * stays on virtual threads either way.
 */
class LoopThreadsTest {
    private final System.Logger log = System.getLogger("test");

    /** Live platform threads by name (virtual threads are not in this map). */
    private static Map<String, Thread> platformThreads() {
        Map<String, Thread> byName = new java.util.HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            byName.put(t.getName(), t);
        }
        return byName;
    }

    @Test
    void theConfigDefaultsToVirtualAndCopiesTheChoice() {
        MemberlistConfig c = MemberlistConfig.lan();
        assertThat(c.loopThreads()).isEqualTo(LoopThreads.VIRTUAL);
        assertThat(MemberlistConfig.wan().loopThreads()).isEqualTo(LoopThreads.VIRTUAL);
        assertThat(MemberlistConfig.local().loopThreads()).isEqualTo(LoopThreads.VIRTUAL);
        MemberlistConfig platform = c.loopThreads(LoopThreads.PLATFORM).copy();
        assertThat(platform.loopThreads()).isEqualTo(LoopThreads.PLATFORM);
        assertThatThrownBy(() -> c.loopThreads(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theBuildersMakeTheirKind() {
        Thread v = LoopThreads.VIRTUAL.builder().unstarted(() -> { });
        Thread p = LoopThreads.PLATFORM.builder().unstarted(() -> { });
        assertThat(v.isVirtual()).isTrue();
        assertThat(p.isVirtual()).isFalse();
        assertThat(p.isDaemon()).isTrue();
    }

    @Test
    void aPlatformTimerRunsTimedTasksWhileWorkStaysVirtual() throws Exception {
        Scheduler s = Scheduler.ofThreads("loop-sched", LoopThreads.PLATFORM, log);
        try {
            CompletableFuture<Thread> timed = new CompletableFuture<>();
            CompletableFuture<Thread> work = new CompletableFuture<>();
            s.schedule(Duration.ofMillis(1), () -> timed.complete(Thread.currentThread()));
            s.execute(() -> work.complete(Thread.currentThread()));
            Thread timer = timed.get(10, TimeUnit.SECONDS);
            assertThat(timer.isVirtual()).isFalse();
            assertThat(timer.isDaemon()).isTrue();
            assertThat(timer.getName()).isEqualTo("loop-sched-timer");
            assertThat(work.get(10, TimeUnit.SECONDS).isVirtual()).isTrue();
        } finally {
            s.close();
        }
        Poll.until("timer thread ended", Duration.ofSeconds(10), () -> !platformThreads().containsKey("loop-sched-timer"));
        assertThatThrownBy(() -> Scheduler.ofThreads("x", null, log)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theDefaultTimerIsVirtual() throws Exception {
        try (Scheduler s = Scheduler.ofThreads("loop-sched-v", log)) {
            CompletableFuture<Thread> timed = new CompletableFuture<>();
            s.schedule(Duration.ZERO, () -> timed.complete(Thread.currentThread()));
            assertThat(timed.get(10, TimeUnit.SECONDS).isVirtual()).isTrue();
        }
    }

    @Test
    void aNodeWithPlatformLoopsRunsAndReleasesThem() throws Exception {
        Memberlist a = Memberlist.create(MemberlistConfig.local().name("loop-a").bindAddr("127.0.0.1").bindPort(0)
                .loopThreads(LoopThreads.PLATFORM));
        Memberlist b = Memberlist.create(MemberlistConfig.local().name("loop-b").bindAddr("127.0.0.1").bindPort(0));
        int portA = a.advertiseAddress().getPort();
        int portB = b.advertiseAddress().getPort();
        List<String> loopsA = List.of("memberlist-loop-a-timer", "memberlist-udp-" + portA, "memberlist-tcp-accept-" + portA);
        try {
            // Joining goes over TCP (push/pull) both ways, probes and gossip over UDP.
            assertThat(b.join(List.of("127.0.0.1:" + portA))).isEqualTo(1);
            Poll.until("both see both", Duration.ofSeconds(20), () -> a.members().size() == 2 && b.members().size() == 2);
            Map<String, Thread> platform = platformThreads();
            for (String name : loopsA) {
                assertThat(platform).as(name).containsKey(name);
                assertThat(platform.get(name).isDaemon()).as(name).isTrue();
            }
            // The default node has none of its own: its loops are virtual.
            assertThat(platform.keySet()).noneMatch(n -> n.equals("memberlist-loop-b-timer") || n.endsWith("-" + portB));
        } finally {
            b.shutdown();
            a.shutdown();
        }
        Poll.until("platform loop threads ended with the node", Duration.ofSeconds(10),
                () -> loopsA.stream().noneMatch(platformThreads()::containsKey));
    }
}
