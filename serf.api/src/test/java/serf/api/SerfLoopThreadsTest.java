package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import serf.memberlist.MemberlistConfig;
import serf.memberlist.transport.LoopThreads;
import serf.testkit.Poll;

/** Serf's own scheduler follows {@link MemberlistConfig#loopThreads}: a platform timer thread when asked. */
class SerfLoopThreadsTest {

    private static Set<String> platformThreadNames() {
        Set<String> names = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName());
        }
        return names;
    }

    private static Serf start(String name, LoopThreads loops) throws Exception {
        return Serf.create(Config.defaults().nodeName(name)
                .memberlistConfig(SerfCluster.fastMemberlist(name).bindAddr("127.0.0.1").bindPort(0).loopThreads(loops))
                .leavePropagateDelay(Duration.ofMillis(100)));
    }

    @Test
    void platformLoopsForOneNodeVirtualForTheOther() throws Exception {
        Serf p = start("loops-p", LoopThreads.PLATFORM);
        Serf v = start("loops-v", LoopThreads.VIRTUAL);
        int portP = p.memberlist().advertiseAddress().getPort();
        List<String> loopsP = List.of("serf-loops-p-timer", "memberlist-udp-" + portP, "memberlist-tcp-accept-" + portP);
        try {
            assertThat(v.join(List.of(SerfCluster.addressOf(p)), false)).isEqualTo(1);
            Poll.until("both alive in both", Duration.ofSeconds(20),
                    () -> p.members().size() == 2 && v.members().size() == 2);
            Set<String> names = platformThreadNames();
            assertThat(names).containsAll(loopsP).doesNotContain("serf-loops-v-timer");
        } finally {
            v.shutdown();
            p.shutdown();
        }
        Poll.until("platform loops ended", Duration.ofSeconds(10),
                () -> loopsP.stream().noneMatch(platformThreadNames()::contains));
    }
}
