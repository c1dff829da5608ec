package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import serf.testkit.Poll;

/**
 * The protocol never waits on the application: in a 5-node cluster (3 of our agents, 2 Go agents)
 * one of our agents runs an event handler that sleeps 30 s per user event. While it sleeps, user
 * events keep flowing, every node sees every member alive the whole time, nobody suspects anybody
 * (no "Suspect"/"Marking ... as failed" in any log), and the slow agent's later events still run
 * once the handler is free.
 */
class SlowHandlerInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SLOW = Duration.ofSeconds(30);
    private static final Pattern SUSPICION = Pattern.compile("Suspect \\S+ has failed|Marking \\S+ as failed|EventMemberFailed");

    private final List<AgentProcess> agents = new ArrayList<>();

    @AfterEach
    void stop() {
        AgentProcess.closeAll(agents);
    }

    private AgentProcess add(AgentProcess a) {
        agents.add(a);
        return a;
    }

    @Test
    void aHandlerThatSleeps30SecondsDelaysOnlyTheEventsBehindIt() throws Exception {
        assumeTrue(AgentProcess.goAvailable(), "needs the Go agent at /usr/bin/serf");
        Path dir = Files.createTempDirectory("serf-slow-handler");
        Path seen = dir.resolve("slow-seen.log");
        Path script = dir.resolve("slow.sh");
        // Records each event's name when it starts, then sleeps: the first event holds the handler 30 s.
        Files.writeString(script, "#!/bin/sh\necho \"$SERF_USER_EVENT\" >> '" + seen + "'\nsleep " + SLOW.toSeconds() + "\n");
        script.toFile().setExecutable(true);

        AgentProcess slow = add(AgentProcess.ours("slow", dir, "-event-handler=user=" + script));
        String join = "-join=" + slow.gossipAddress();
        add(AgentProcess.ours("j2", dir, join));
        add(AgentProcess.ours("j3", dir, join));
        add(AgentProcess.go("g1", dir, join));
        add(AgentProcess.go("g2", dir, join));
        Poll.until("5 alive members on every agent", WAIT, () -> agents.stream().allMatch(a -> aliveCount(a) == 5));

        AgentProcess sender = agents.get(3);
        assertThat(sender.cli("event", "-coalesce=false", "first").code()).isZero();
        Poll.until("the slow handler started on the first event", WAIT, () -> read(seen).contains("first"));

        // For the whole time the handler sleeps, events keep coming and every view stays all alive.
        long end = System.nanoTime() + SLOW.toNanos() + Duration.ofSeconds(3).toNanos();
        int sent = 0;
        while (System.nanoTime() < end) {
            if (sent < 20) {
                assertThat(agents.get(1 + sent % 4).cli("event", "-coalesce=false", "e" + sent).code()).isZero();
                sent++;
            }
            for (AgentProcess a : agents) {
                assertThat(aliveCount(a)).as("alive members seen by %s", a.name()).isEqualTo(5);
            }
        }
        for (AgentProcess a : agents) {
            assertThat(SUSPICION.matcher(a.log()).find()).as("suspicion in the log of %s:%n%s", a.name(), a.tail()).isFalse();
        }
        // The events queued behind the sleeping handler run afterwards (each sleeps too; one is enough).
        Poll.until("the slow agent ran a later event", Duration.ofSeconds(60), () -> read(seen).lines().count() >= 2);
        // Nobody else was held up: the RPC still answers at once on the slow agent.
        assertThat(statusOf(slow, "g2")).isEqualTo("alive");
    }

    private static int aliveCount(AgentProcess a) {
        return (int) LeaveInteropTest.statuses(a).values().stream().filter("alive"::equals).count();
    }

    private static String statusOf(AgentProcess a, String node) {
        Map<String, String> s = LeaveInteropTest.statuses(a);
        return s.get(node);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
