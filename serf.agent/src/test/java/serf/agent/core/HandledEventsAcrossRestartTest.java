package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.api.Member;
import serf.api.MemberStatus;
import serf.testkit.GoSerfAgent;
import serf.testkit.Poll;

/**
 * Issue 12's same-Lamport-time case end to end, with three of our agents on 127.0.0.1: two nodes
 * send one user event each at the same moment (so both carry one Lamport time); the node with a
 * snapshot finishes the handler of one and is stopped without leaving while the other's handler is
 * still running; restarted from its snapshot (no join), it gets both again from its peer's event
 * buffer, runs the unfinished one and not the finished one.
 */
class HandledEventsAcrossRestartTest {
    @TempDir
    Path dir;
    private final List<TestAgent> agents = new ArrayList<>();

    @AfterEach
    void stop() {
        for (TestAgent a : agents) {
            a.close();
        }
    }

    private TestAgent start(String name, String... flags) throws Exception {
        TestAgent a = TestAgent.start(name, RpcLimits.defaults(), flags);
        agents.add(a);
        return a;
    }

    private static String address(TestAgent a) {
        Member m = a.agent.serf().localMember();
        return m.addr().getHostAddress() + ":" + m.port();
    }

    private List<String> ran() throws Exception {
        Path p = dir.resolve("ran");
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    @Test
    void theUnfinishedOfTwoEventsAtOneLamportTimeRunsAfterARestartAndTheFinishedOneDoesNot() throws Exception {
        // The second event's handler hangs until the node is restarted, as if the crash came first.
        Path script = dir.resolve("handler.sh");
        Files.writeString(script, """
                cat > /dev/null
                cd "$(dirname "$0")"
                if [ -e ran ] && grep -q '^done' ran && [ ! -e restarted ]; then
                  echo "stuck $SERF_USER_EVENT $SERF_USER_LTIME" >> ran
                  sleep 60
                fi
                echo "done $SERF_USER_EVENT $SERF_USER_LTIME" >> ran
                """);
        String snapshot = dir.resolve("b.snap").toString();
        int bPort = GoSerfAgent.freeUdpTcpPort();
        String[] bFlags = {"-bind=127.0.0.1:" + bPort, "-snapshot=" + snapshot, "-event-handler=user=sh " + script};
        TestAgent a = start("a");
        TestAgent c = start("c");
        TestAgent b = start("b", bFlags);
        b.agent.join(List.of(address(a)), false);
        c.agent.join(List.of(address(a)), false);
        Poll.until("all three alive everywhere", Duration.ofSeconds(30), () -> agents.stream().allMatch(x ->
                x.agent.serf().members().stream().filter(m -> m.status() == MemberStatus.ALIVE).count() == 3));

        a.agent.userEvent("from-a", "1".getBytes(), false);
        c.agent.userEvent("from-c", "2".getBytes(), false);
        Poll.until("one handler done and the other stuck", Duration.ofSeconds(30), () -> {
            try {
                return ran().size() == 2 && ran().get(1).startsWith("stuck");
            } catch (Exception e) {
                return false;
            }
        });
        List<String> before = ran();
        String finished = before.get(0).split(" ")[1];
        String unfinished = before.get(1).split(" ")[1];
        assertThat(before.get(0).split(" ")[2]).as("both at one Lamport time").isEqualTo(before.get(1).split(" ")[2]);

        // "Crash": no leave; the hanging handler is killed.
        b.close();
        agents.remove(b);
        Files.createFile(dir.resolve("restarted"));
        TestAgent b2 = start("b", bFlags);
        Poll.until("the unfinished event handled after the restart", Duration.ofSeconds(60), () -> {
            try {
                return ran().contains("done " + unfinished + " " + before.get(1).split(" ")[2]);
            } catch (Exception e) {
                return false;
            }
        });
        // Give a re-run of the finished one the time to show up: the events of one push/pull are handled in order,
        // and an event sent now is handled after both.
        a.agent.userEvent("marker", null, false);
        Poll.until("the marker handled", Duration.ofSeconds(30), () -> {
            try {
                return ran().stream().anyMatch(l -> l.startsWith("done marker"));
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(ran()).filteredOn(l -> l.startsWith("done " + finished)).hasSize(1);
        assertThat(ran()).filteredOn(l -> l.startsWith("done " + unfinished)).hasSize(1);
        assertThat(b2.log()).contains("Snapshot event clock set back");
        assertThat(b2.handlers.skippedAlreadyHandled()).isEqualTo(1);
    }
}
