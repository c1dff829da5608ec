package serf.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import serf.agent.testsupport.AgentVectors;
import serf.agent.testsupport.AgentVectors.Vector;
import serf.agent.testsupport.CliRunner;
import serf.agent.testsupport.CliRunner.Result;
import serf.agent.testsupport.ReplayAgent;

/**
 * Our CLI against a fake agent replaying each Go-CLI capture: it must send exactly the bytes the
 * Go CLI sent for the same command line, and print what the Go CLI prints for those responses.
 */
class VectorReplayTest {
    private static final String KEY = "trG3b2ou1beDK5JJyEEHpv32syZj+TcosUi3kzWULEA=";

    /** vector, command line, SERF_RPC_AUTH, expected exit code, expected stdout (null: checked elsewhere). */
    static Stream<Arguments> captures() {
        return Stream.of(
                Arguments.of("auth_invalid", List.of("members", "-rpc-auth=bad"), "", 1,
                        "Error connecting to Serf agent: Invalid authentication token\n"),
                Arguments.of("auth_list_keys_ok", List.of("keys", "-list"), "sekrit", 0,
                        "==> Asking all members for installed keys...\n==> Keys gathered, listing cluster keys...\n\n"
                                + "0TKAT3ykjUvzx6re2s6IxhF8quSM6sRND/VGfeiFYmE=  [2/2]\n"),
                Arguments.of("auth_required", List.of("members"), "", 1,
                        "Error retrieving members: Authentication required\n"),
                Arguments.of("event_coalesce", List.of("event", "deploy", "v1.2"), "", 0,
                        "Event 'deploy' dispatched! Coalescing enabled: true\n"),
                Arguments.of("event_nocoalesce", List.of("event", "-coalesce=false", "deploy2", "abc"), "", 0,
                        "Event 'deploy2' dispatched! Coalescing enabled: false\n"),
                Arguments.of("event_no_payload", List.of("event", "nopay"), "", 0,
                        "Event 'nopay' dispatched! Coalescing enabled: true\n"),
                Arguments.of("force_leave", List.of("force-leave", "nosuch"), "", 0, ""),
                Arguments.of("force_leave_prune", List.of("force-leave", "-prune", "nosuch"), "", 0, ""),
                Arguments.of("get_coordinate", List.of("rtt", "n1", "n2"), "", 0, null),
                Arguments.of("install_key", List.of("keys", "-install", KEY), "sekrit", 0,
                        "==> Installing key on all members...\n==> Successfully installed key!\n"),
                Arguments.of("install_key_bad_base64", List.of("keys", "-install", "badkey"), "sekrit", 1,
                        "==> Installing key on all members...\n\nError installing key: illegal base64 data at input byte 4\n"),
                Arguments.of("join_fail", List.of("join", "127.0.0.1:1"), "", 1,
                        "Error joining the cluster: 1 error occurred:\n\t* Failed to join 127.0.0.1: dial tcp 127.0.0.1:1: "
                                + "connect: connection refused\n\n\n"),
                Arguments.of("join_ok", List.of("join", "127.0.0.1:17947"), "", 0,
                        "Successfully joined cluster by contacting 1 nodes.\n"),
                Arguments.of("leave", List.of("leave"), "", 0, "Graceful leave complete\n"),
                Arguments.of("list_keys_unencrypted", List.of("keys", "-list"), "", 1,
                        "==> Asking all members for installed keys...\n"
                                + "failed:  n1  Keyring is empty (encryption not enabled)\n"
                                + "failed:  n2  Keyring is empty (encryption not enabled)\n\n"
                                + "Failed to gather member keys: 2/2 nodes reported failure\n"),
                Arguments.of("members_filtered", List.of("members"), "", 0,
                        "n1  127.0.0.1:17946  alive  dc=x,role=web\nn2  127.0.0.1:17947  alive  role=db\n"),
                Arguments.of("members_filtered_tag_status", List.of("members", "-detailed", "-status=alive", "-tag", "role=web"),
                        "", 0, null),
                Arguments.of("members_name_filter", List.of("members", "-name", "n[12]", "-format=json"), "", 0, null),
                Arguments.of("query_filters_noack", List.of("query", "-node", "n1", "-node", "n2", "-tag", "role=web",
                        "-relay-factor", "2", "-no-ack", "-timeout=1s", "load"), "", 0,
                        "Query 'load' dispatched\nResponse from 'n1': resp-from-n1\nTotal Responses: 1\n"),
                Arguments.of("query_stream", List.of("query", "-timeout=2s", "load", "hello"), "", 0,
                        "Query 'load' dispatched\nAck from 'n1'\nResponse from 'n1': resp-from-n1\nAck from 'n2'\n"
                                + "Response from 'n2': resp-from-n2\nTotal Acks: 2\nTotal Responses: 2\n"),
                Arguments.of("reachability_members_ping", List.of("reachability"), "", 0,
                        "Total members: 2, live members: 2\nStarting reachability test...\nSuccessfully contacted all live nodes\n"),
                Arguments.of("remove_primary_key_fail", List.of("keys", "-remove", KEY), "sekrit", 1,
                        "==> Removing key on all members...\n"
                                + "failed:  e2  Removing the primary key is not allowed\n"
                                + "failed:  e1  Removing the primary key is not allowed\n\n"
                                + "Error removing key: 2/2 nodes reported failure\n"),
                Arguments.of("rtt_unknown_node", List.of("rtt", "nosuch"), "", 1,
                        "Could not find a coordinate for node \"nosuch\"\n"),
                Arguments.of("stats", List.of("info"), "", 0, null),
                Arguments.of("tags", List.of("tags", "-set", "foo=bar", "-delete", "dc"), "", 0,
                        "Successfully updated agent tags\n"),
                Arguments.of("use_key", List.of("keys", "-use", KEY), "sekrit", 0,
                        "==> Changing primary key on all members...\n==> Successfully changed primary key!\n"));
    }

    @Test
    void everyGoCliCaptureExceptTheMonitorIsReplayed() {
        List<String> replayed = captures().map(a -> (String) a.get()[0]).toList();
        List<String> goCaptures = AgentVectors.all().stream().filter(Vector::fromGoCli).map(Vector::name)
                .filter(n -> !n.equals("monitor_and_stream")).toList();
        assertThat(replayed).containsExactlyInAnyOrderElementsOf(goCaptures);
    }

    @ParameterizedTest(name = "{0}: serf {1}")
    @MethodSource("captures")
    void sendsTheGoClientsBytesAndPrintsItsOutput(String vector, List<String> args, String auth, int code, String out)
            throws Exception {
        Vector v = AgentVectors.load(vector);
        try (ReplayAgent agent = new ReplayAgent(v)) {
            Result r = CliRunner.ours(args, Map.of("SERF_RPC_ADDR", agent.address(), "SERF_RPC_AUTH", auth));
            assertThat(agent.awaitClientGone(Duration.ofSeconds(10))).as("client closed its connection").isTrue();
            assertThat(HexFormat.of().formatHex(agent.received())).as("bytes sent")
                    .isEqualTo(HexFormat.of().formatHex(v.c2sAll()));
            assertThat(r.code()).as(r.toString()).isEqualTo(code);
            assertThat(r.err()).isEmpty();
            if (out != null) {
                assertThat(r.out()).isEqualTo(out);
            }
        }
    }

    @Test
    void printsOtherCapturesAsGoDoes() throws Exception {
        assertThat(replay("members_filtered_tag_status", "members", "-detailed", "-status=alive", "-tag", "role=web").out())
                .matches("n1  127\\.0\\.0\\.1:17946  alive  (dc=x,role=web|role=web,dc=x)  Protocol Version: 5  "
                        + "Available Protocol Range: \\[2, 5\\]\n");
        String json = replay("members_name_filter", "members", "-name", "n[12]", "-format=json").out();
        assertThat(json).startsWith("{\n  \"members\": [\n    {\n      \"name\": \"n1\",\n      \"addr\": \"127.0.0.1:17946\",\n"
                + "      \"port\": 17946,\n      \"tags\": {\n").endsWith("      }\n    }\n  ]\n}\n");
        assertThat(replay("get_coordinate", "rtt", "n1", "n2").out()).matches("Estimated n1 <-> n2 rtt: \\d+\\.\\d{3} ms\n");
        String info = replay("stats", "info").out();
        assertThat(info).startsWith("agent:\n\tname = n1\nevent_handlers:\n\t*: = /tmp/sa/h.sh\nruntime:\n\tarch = amd64\n")
                .contains("serf:\n\tcoordinate_resets = 0\n\tencrypted = false\n").doesNotEndWith("\n\n");
    }

    private static Result replay(String vector, String... args) throws Exception {
        try (ReplayAgent agent = new ReplayAgent(AgentVectors.load(vector))) {
            return CliRunner.ours(List.of(args), Map.of("SERF_RPC_ADDR", agent.address()));
        }
    }

    @Test
    void monitorStopsTheMonitorThenTheStreamOnInterrupt() throws Exception {
        Vector v = AgentVectors.load("monitor_and_stream");
        try (ReplayAgent agent = new ReplayAgent(v)) {
            CliRunner.Running run = CliRunner.start(List.of("monitor", "-log-level=debug"),
                    Map.of("SERF_RPC_ADDR", agent.address()));
            // Everything up to the answer to the first stop (seq 4) has been played: Ctrl-C.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (agent.waitingFor() != 4 || !run.out().contains("script output: \n")) {
                assertThat(System.nanoTime()).as("replay reached the stop").isLessThan(deadline);
                Thread.sleep(20);
            }
            run.interrupt();
            Result r = run.await(Duration.ofSeconds(10));
            assertThat(agent.awaitClientGone(Duration.ofSeconds(10))).isTrue();
            assertThat(HexFormat.of().formatHex(agent.received())).isEqualTo(HexFormat.of().formatHex(v.c2sAll()));
            assertThat(r.code()).isZero();
            // The log stream and the event stream are separate streams (as with Go's CLI): their
            // records may interleave either way, so each is checked for itself, not their order.
            assertThat(r.out()).contains("2026/11/26 05:41:34 [INFO] agent: Serf agent starting\n")
                    .contains("2026/11/26 05:42:35 [INFO] agent: Received event: member-update\n")
                    .contains("Event Info:\n")
                    .contains("\tEvent: \"member-update\"\n")
                    .contains("\tMembers: []interface {}{map[interface {}]interface {}{\"Addr\":[]uint8{0x7f, 0x0, 0x0, 0x1}, "
                            + "\"DelegateCur\":5, \"DelegateMax\":5, \"DelegateMin\":2, \"Name\":\"n1\", \"Port\":0x461a, ")
                    .doesNotContain("Remote side ended");
        }
    }
}
