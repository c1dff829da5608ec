package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import serf.agent.interop.GoCli.Result;
import serf.agent.interop.HandlerDumps.Dump;
import serf.testkit.Poll;
import serf.wire.json.Json;

/**
 * Members going away, seen through OUR agent with the Go CLI: a Go node leaving gracefully, two Go
 * nodes killed and then force-left (one pruned) through our agent, and finally our agent itself
 * leaving through {@code serf leave}: it exits 0 and the Go agent sees it {@code left}. The
 * member-leave/member-failed handlers of our agent and of a Go agent must see the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaveInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private HandlerDumps dumps;
    private AgentProcess ours;
    private AgentProcess go;
    private AgentProcess leaver;
    private AgentProcess victim1;
    private AgentProcess victim2;
    private final List<AgentProcess> agents = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        assumeTrue(AgentProcess.goAvailable(), "needs the Go agent at /usr/bin/serf");
        Path dir = Files.createTempDirectory("serf-interop-leave");
        dumps = HandlerDumps.create(dir);
        try {
            ours = add(AgentProcess.ours("la", dir, GoCliOnOurAgentTest.concat(dumps.flags(), "-tag", "role=web")));
            String join = "-join=" + ours.gossipAddress();
            go = add(AgentProcess.go("gb", dir, GoCliOnOurAgentTest.concat(dumps.flags(), "-tag", "role=db", join)));
            leaver = add(AgentProcess.go("gc", dir, "-tag", "role=lv", join));
            victim1 = add(AgentProcess.go("v1", dir, join));
            victim2 = add(AgentProcess.go("v2", dir, join));
            // Settled everywhere before anyone leaves: a Go agent that merges a join's state while gc
            // is leaving can take gc's leave intent for one it has seen and then report gc failed
            // (Go's serf does so; docs/protocol/serf-messages.md), which is not what this class tests.
            Poll.until("5 alive members and no intent queued on every agent", WAIT,
                    () -> agents.stream().allMatch(LeaveInteropTest::settled));
        } catch (Exception | AssertionError e) {
            stopCluster();
            throw e;
        }
    }

    @AfterAll
    void stopCluster() {
        AgentProcess.closeAll(agents);
    }

    private AgentProcess add(AgentProcess a) {
        agents.add(a);
        return a;
    }

    /** Name to status, as {@code serf members -format=json} lists them through the agent. */
    @SuppressWarnings("unchecked")
    static Map<String, String> statuses(AgentProcess a) {
        try {
            Result r = a.cli("members", "-format=json");
            Map<String, String> out = new LinkedHashMap<>();
            Object members = ((Map<String, Object>) Json.parse(r.out())).get("members");
            if (members instanceof List<?> list) {
                for (Object o : list) {
                    Map<String, Object> m = (Map<String, Object>) o;
                    out.put((String) m.get("name"), (String) m.get("status"));
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** Whether {@code a} lists five members, all alive, and has no join or leave intent left to gossip. */
    @SuppressWarnings("unchecked")
    private static boolean settled(AgentProcess a) {
        try {
            Map<String, Object> info = (Map<String, Object>) Json.parse(a.cli("info", "-format=json").out());
            Map<String, Object> serf = (Map<String, Object>) info.get("serf");
            return serf != null && "5".equals(serf.get("members")) && "0".equals(serf.get("failed"))
                    && "0".equals(serf.get("left")) && "0".equals(serf.get("intent_queue"))
                    && GoCliOnOurAgentTest.aliveCount(a, "") == 5;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void awaitStatus(AgentProcess viewer, String node, String status) {
        Poll.until(viewer + " sees " + node + " " + status, WAIT, () -> status.equals(statuses(viewer).get(node)));
    }

    @Test
    @Order(1)
    void aGoNodeLeavesGracefully() throws Exception {
        Result r = leaver.cli("leave");
        assertThat(r).isEqualTo(new Result(0, "Graceful leave complete\n", ""));
        assertThat(leaver.awaitExit(Duration.ofSeconds(15))).hasValue(0);
        awaitStatus(ours, "gc", "left");
        awaitStatus(go, "gc", "left");
        Poll.until("member-leave handlers on both agents", WAIT,
                () -> !leaveDumps("la", "gc").isEmpty() && !leaveDumps("gb", "gc").isEmpty());
        assertThat(normalised(leaveDumps("la", "gc"), "web")).isEqualTo(normalised(leaveDumps("gb", "gc"), "db"));
        assertThat(leaveDumps("la", "gc").get(0).env()).containsEntry("SERF_EVENT", "member-leave");
        assertThat(leaveDumps("la", "gc").get(0).stdin()).isEqualTo("gc\t127.0.0.1\tlv\trole=lv\n");
    }

    private List<Dump> leaveDumps(String node, String member) {
        return dumps.of(node, d -> d.kind().equals("member-leave-failed") && d.stdin().contains(member + "\t"));
    }

    private static List<String> normalised(List<Dump> l, String role) {
        return l.stream().map(d -> d.normalised(role)).sorted().toList();
    }

    @Test
    @Order(2)
    void forceLeaveOfKilledNodes() throws Exception {
        victim1.kill();
        victim2.kill();
        for (String v : List.of("v1", "v2")) {
            awaitStatus(ours, v, "failed");
            awaitStatus(go, v, "failed");
        }
        Poll.until("member-failed handlers on both agents", WAIT, () -> failedMembers("la").equals(List.of("v1", "v2"))
                && failedMembers("gb").equals(List.of("v1", "v2")));
        assertThat(normalised(failDumps("la"), "web")).isEqualTo(normalised(failDumps("gb"), "db"));

        Result fl = ours.cli("force-leave", "v1");
        assertThat(fl).isEqualTo(new Result(0, "", ""));
        awaitStatus(ours, "v1", "left");
        awaitStatus(go, "v1", "left");
        // The same command through the Go agent now (the node is already left): the same answer.
        assertThat(go.cli("force-leave", "v1")).isEqualTo(fl);

        Result prune = ours.cli("force-leave", "-prune", "v2");
        assertThat(prune).isEqualTo(new Result(0, "", ""));
        Poll.until("v2 pruned from both member lists", WAIT,
                () -> !statuses(ours).containsKey("v2") && !statuses(go).containsKey("v2"));
        assertThat(go.cli("force-leave", "-prune", "v2")).isEqualTo(prune);

        assertThat(ours.cli("force-leave", "nosuch")).isEqualTo(go.cli("force-leave", "nosuch"));
        assertThat(ours.cli("force-leave", "a", "b")).isEqualTo(go.cli("force-leave", "a", "b"));
        assertThat(ours.log()).contains("[INFO] agent: Force leaving node: v1", "[INFO] agent: Force leaving node (prune): v2");
        // Members lists agree (member order is Go map order).
        assertThat(statuses(ours)).isEqualTo(statuses(go)).containsEntry("v1", "left").containsEntry("gc", "left");
    }

    private List<Dump> failDumps(String node) {
        return dumps.of(node, d -> d.kind().equals("member-leave-failed") && d.event().equals("member-failed"));
    }

    private List<String> failedMembers(String node) {
        TreeSet<String> names = new TreeSet<>();
        for (Dump d : failDumps(node)) {
            d.stdin().lines().forEach(l -> names.add(l.split("\t")[0]));
        }
        return List.copyOf(names);
    }

    @Test
    @Order(3)
    void ourAgentLeavesThroughTheGoCli() throws Exception {
        GoCli.Running monitor = GoCli.Running.start(Files.createTempDirectory("serf-interop-leave-mon"), ours.rpcAddress(), "monitor");
        Result r;
        try {
            monitor.await("[INFO] agent: Serf agent starting", WAIT);
            r = ours.cli("leave");
            assertThat(r).isEqualTo(new Result(0, "Graceful leave complete\n", ""));
            OptionalInt exit = ours.awaitExit(Duration.ofSeconds(15));
            assertThat(exit).as("our agent's exit code after serf leave\n%s", ours.tail()).hasValue(0);
            // A monitor attached to the agent sees its end as it sees a Go agent's.
            assertThat(monitor.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(monitor.process().exitValue()).isEqualTo(1);
            assertThat(monitor.output()).endsWith("\nRemote side ended the monitor! This usually means that the\n"
                    + "remote side has exited or crashed.\n");
        } finally {
            monitor.close();
        }
        awaitStatus(go, "la", "left");
        Poll.until("the Go agent's member-leave handler saw our agent leave", WAIT, () -> !leaveDumps("gb", "la").isEmpty());
        assertThat(leaveDumps("gb", "la").get(0).stdin()).isEqualTo("la\t127.0.0.1\tweb\trole=web\n");
        assertThat(ours.log()).contains(
                "[INFO] agent.ipc: Graceful leave triggered",
                "[INFO] agent: requesting graceful leave from Serf",
                "[INFO] agent: requesting serf shutdown",
                "[INFO] agent: shutdown complete");
        Result gone = ours.cli("members");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.out()).isEqualTo("Error connecting to Serf agent: dial tcp " + ours.rpcAddress()
                + ": connect: connection refused\n");
    }
}
