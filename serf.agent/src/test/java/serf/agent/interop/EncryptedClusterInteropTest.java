package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import serf.agent.interop.GoCli.Result;
import serf.crypto.Keys;
import serf.testkit.Poll;
import serf.wire.json.Json;

/**
 * An encrypted cluster with RPC auth: OUR agent (keyring file, {@code rpc_auth} from a config file)
 * and a Go agent ({@code -encrypt}, the same config file). The Go CLI drives key rotation through
 * our agent and through the Go agent, and must print the same; our keyring file must follow the
 * rotation; auth failures must read as Go's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EncryptedClusterInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String AUTH = "sekrit";

    private final String key0 = Keys.encode(Keys.generate());
    private final String key1 = Keys.encode(Keys.generate());
    private Path keyring;
    private AgentProcess ours;
    private AgentProcess go;
    private final List<AgentProcess> agents = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        assumeTrue(AgentProcess.goAvailable(), "needs the Go agent at /usr/bin/serf");
        Path dir = Files.createTempDirectory("serf-interop-keys");
        keyring = dir.resolve("keyring.json");
        Files.writeString(keyring, "[\"" + key0 + "\"]");
        Path auth = dir.resolve("auth.json");
        Files.writeString(auth, "{\"rpc_auth\":\"" + AUTH + "\"}");
        try {
            ours = add(AgentProcess.ours("ej", dir, "-keyring-file=" + keyring, "-config-file=" + auth));
            go = add(AgentProcess.go("eg", dir, "-encrypt=" + key0, "-config-file=" + auth, "-join=" + ours.gossipAddress()));
            Poll.until("both agents see 2 alive members", WAIT,
                    () -> GoCliOnOurAgentTest.aliveCount(ours, AUTH) == 2 && GoCliOnOurAgentTest.aliveCount(go, AUTH) == 2);
        } catch (Exception | AssertionError e) {
            stopCluster();
            throw e;
        }
        assertThat(ours.log()).contains("Encrypted: true", "[INFO] agent: Restored keyring with 1 keys from " + keyring);
    }

    @AfterAll
    void stopCluster() {
        AgentProcess.closeAll(agents);
    }

    private AgentProcess add(AgentProcess a) {
        agents.add(a);
        return a;
    }

    private Result[] both(String command, String... args) throws IOException {
        Process o = GoCli.start(ours.rpcAddress(), command, args);
        Process g = GoCli.start(go.rpcAddress(), command, args);
        return new Result[] {GoCli.finish(o, GoCli.TIMEOUT), GoCli.finish(g, GoCli.TIMEOUT)};
    }

    private Result same(UnaryOperator<String> norm, String command, String... args) throws IOException {
        Result[] r = both(command, args);
        assertThat(r[0].mapOut(norm)).as("serf %s %s against our agent vs the Go agent", command, List.of(args))
                .isEqualTo(r[1].mapOut(norm));
        return r[0];
    }

    /** The same key command, first through our agent, then through the Go agent (idempotent commands). */
    private Result sameInTurn(String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("-rpc-auth=" + AUTH));
        a.addAll(List.of(args));
        Result o = ours.cli("keys", a.toArray(String[]::new)).mapOut(EncryptedClusterInteropTest::keyLines);
        Result g = go.cli("keys", a.toArray(String[]::new)).mapOut(EncryptedClusterInteropTest::keyLines);
        assertThat(o).as("serf keys %s through our agent vs through the Go agent", List.of(args)).isEqualTo(g);
        return o;
    }

    /** Key and failure lines are in Go map order. */
    private static String keyLines(String s) {
        return Norm.sortRuns(Norm.sortRuns(s, "failed:"), l -> l.matches("\\S+  \\[\\d+/\\d+\\]"));
    }

    @Test
    @Order(1)
    void authentication() throws Exception {
        Result none = same(s -> s, "members");
        assertThat(none).isEqualTo(new Result(1, "Error retrieving members: Authentication required\n", ""));
        Result ok = same(Norm::sortedLines, "members", "-rpc-auth=" + AUTH);
        assertThat(ok.code()).isZero();
        assertThat(Norm.sortedLines(ok.out())).isEqualTo(
                "eg  " + go.gossipAddress() + "  alive\nej  " + ours.gossipAddress() + "  alive\n");
        Result wrong = same(s -> s, "members", "-rpc-auth=wrong");
        assertThat(wrong).isEqualTo(new Result(1, "Error connecting to Serf agent: Invalid authentication token\n", ""));
        same(s -> s, "info", "-rpc-auth=wrong");
        same(s -> s, "event", "needs-auth");
        same(s -> s, "keys", "-list");
        assertThat(ours.log()).contains("[WARN] agent.ipc: Client sending commands before auth");
        // On the wire: a command with a body, unauthenticated, is refused twice (its unread body is
        // taken for the next header, which inherits the previous one's Command and Seq); then auth
        // with the wrong key, then the right key, then the command runs.
        byte[] membersFiltered = RawRpc.cat(RawRpc.header("members-filtered", 2), new byte[] {(byte) 0x83}, RawRpc.str("Name"),
                RawRpc.str("nobody"), RawRpc.str("Status"), RawRpc.str(""), RawRpc.str("Tags"), new byte[] {(byte) 0x80});
        byte[] session = RawRpc.cat(RawRpc.HANDSHAKE, membersFiltered,
                RawRpc.header("auth", 3), new byte[] {(byte) 0x81}, RawRpc.str("AuthKey"), RawRpc.str("wrong"),
                RawRpc.header("auth", 4), new byte[] {(byte) 0x81}, RawRpc.str("AuthKey"), RawRpc.str(AUTH),
                RawRpc.cat(RawRpc.header("members-filtered", 5), new byte[] {(byte) 0x83}, RawRpc.str("Name"),
                        RawRpc.str("nobody"), RawRpc.str("Status"), RawRpc.str(""), RawRpc.str("Tags"), new byte[] {(byte) 0x80}));
        RawRpc.Exchange o = RawRpc.exchange(ours, session);
        assertThat(o).isEqualTo(RawRpc.exchange(go, session));
        assertThat(o.replyHex()).contains(java.util.HexFormat.of().formatHex("Authentication required".getBytes(StandardCharsets.UTF_8)))
                .contains(java.util.HexFormat.of().formatHex("Invalid authentication token".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @Order(2)
    void keyRotationThroughOurAgent() throws Exception {
        Result list = sameInTurn("-list");
        assertThat(list).isEqualTo(new Result(0, keyLines("""
                ==> Asking all members for installed keys...
                ==> Keys gathered, listing cluster keys...

                %s  [2/2]
                """.formatted(key0)), ""));

        Result install = ours.cli("keys", "-rpc-auth=" + AUTH, "-install", key1);
        assertThat(install).isEqualTo(new Result(0, "==> Installing key on all members...\n==> Successfully installed key!\n", ""));
        assertThat(go.cli("keys", "-rpc-auth=" + AUTH, "-install", key1)).isEqualTo(install);
        assertThat(keyringFile()).containsExactlyInAnyOrder(key0, key1);
        assertThat(keyringFile().get(0)).isEqualTo(key0);
        Result two = sameInTurn("-list");
        assertThat(two.out()).contains(key0 + "  [2/2]", key1 + "  [2/2]");

        Result use = ours.cli("keys", "-rpc-auth=" + AUTH, "-use", key1);
        assertThat(use).isEqualTo(new Result(0, "==> Changing primary key on all members...\n==> Successfully changed primary key!\n", ""));
        assertThat(go.cli("keys", "-rpc-auth=" + AUTH, "-use", key1)).isEqualTo(use);
        assertThat(keyringFile().get(0)).as("primary key first in our keyring file").isEqualTo(key1);

        // Removing the primary key fails on every node.
        Result removePrimary = sameInTurn("-remove", key1);
        assertThat(removePrimary).isEqualTo(new Result(1, keyLines("""
                ==> Removing key on all members...
                failed:  eg  Removing the primary key is not allowed
                failed:  ej  Removing the primary key is not allowed

                Error removing key: 2/2 nodes reported failure
                """), ""));

        Result remove = ours.cli("keys", "-rpc-auth=" + AUTH, "-remove", key0);
        assertThat(remove).isEqualTo(new Result(0, "==> Removing key on all members...\n==> Successfully removed key!\n", ""));
        assertThat(go.cli("keys", "-rpc-auth=" + AUTH, "-remove", key0)).isEqualTo(remove);
        assertThat(keyringFile()).containsExactly(key1);
        Result last = sameInTurn("-list");
        assertThat(last.out()).contains(key1 + "  [2/2]").doesNotContain(key0);

        // Errors before any query is sent.
        sameInTurn("-install", "not-base64!");
        sameInTurn("-use", Keys.encode(Keys.generate()));
        // A key of the wrong size goes out to the cluster as Go sends it; each node judges it.
        sameInTurn("-remove", "dG9vc2hvcnQ=");
        Result badSize = sameInTurn("-install", "dG9vc2hvcnQ=");
        assertThat(badSize.out()).contains("failed:  ej  key size must be 16, 24 or 32 bytes",
                "Error installing key: 2/2 nodes reported failure");
        sameInTurn("-use", "dG9vc2hvcnQ=");
        sameInTurn("-install", key0, "-list");

        // The cluster still talks with the rotated key.
        Result q = ours.cli("query", "-rpc-auth=" + AUTH, "-timeout=1s", "after-rotation");
        assertThat(q.out()).contains("Ack from 'eg'", "Ack from 'ej'", "Total Acks: 2");
        Poll.until("both still alive", WAIT, () -> GoCliOnOurAgentTest.aliveCount(ours, AUTH) == 2
                && GoCliOnOurAgentTest.aliveCount(go, AUTH) == 2);
    }

    @Test
    @Order(3)
    void infoReportsEncryption() throws Exception {
        Result[] r = both("info", "-rpc-auth=" + AUTH, "-format=json");
        assertThat(r[0].out()).contains("\"encrypted\": \"true\"");
        assertThat(r[1].out()).contains("\"encrypted\": \"true\"");
    }

    @SuppressWarnings("unchecked")
    private List<String> keyringFile() throws IOException {
        return (List<String>) Json.parse(Files.readString(keyring, StandardCharsets.UTF_8));
    }
}
