package serf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.testkit.GoSerfAgent;
import serf.testkit.Poll;

/**
 * {@link SerfClient} against the real Go agent (/usr/bin/serf; skipped when absent): connecting with
 * and without the agent's RPC key, the request/response commands, a stream, a query and close.
 * serf.agent's SerfClientInteropTest runs every command against both agents.
 */
class SerfClientGoAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void talksToTheGoAgent(@TempDir Path dir) throws Exception {
        assumeTrue(GoSerfAgent.available(), "/usr/bin/serf not installed");
        // The agent takes its RPC key from a configuration file only.
        Path config = Files.writeString(dir.resolve("auth.json"), "{\"rpc_auth\": \"s3cret\"}");
        try (GoSerfAgent go = GoSerfAgent.start("go1", dir, "-config-file=" + config, "-tag", "zone=a")) {
            assertThatThrownBy(() -> SerfClient.connect(go.rpcAddress()).members())
                    .isInstanceOf(AgentException.class).hasMessage("Authentication required");
            assertThatThrownBy(() -> SerfClient.connect(ClientConfig.of(go.rpcAddress()).withAuthKey("wrong")))
                    .isInstanceOf(AgentException.class).hasMessage("Invalid authentication token");

            SerfClient client = SerfClient.connect(ClientConfig.of(go.rpcAddress()).withAuthKey("s3cret"));
            try (client) {
                List<Member> members = client.members();
                assertThat(members).singleElement().satisfies(m -> {
                    assertThat(m.name()).isEqualTo("go1");
                    assertThat(m.status()).isEqualTo("alive");
                    assertThat(m.tags()).containsEntry("zone", "a");
                    assertThat(m.port()).isEqualTo(go.bindPort());
                });
                assertThat(client.stats().get("agent")).containsEntry("name", "go1");

                ConcurrentLinkedQueue<StreamEvent> events = new ConcurrentLinkedQueue<>();
                try (Subscription s = client.stream("user", events::add)) {
                    client.userEvent("hello", "world".getBytes(StandardCharsets.UTF_8), false);
                    Poll.until("the user event", WAIT, () -> !events.isEmpty());
                    assertThat(events.peek()).isInstanceOfSatisfying(StreamEvent.UserEvent.class,
                            e -> assertThat(e.name()).isEqualTo("hello"));
                }

                ConcurrentLinkedQueue<QueryResult> results = new ConcurrentLinkedQueue<>();
                Subscription q = client.query(QueryParams.of("q", null).withTimeout(Duration.ofSeconds(30)), results::add);
                Poll.until("the ack of go1", WAIT, () -> !results.isEmpty());
                q.close();
                assertThat(q.awaitDone(Duration.ofSeconds(5))).as("closed early, long before 30 s").isTrue();
                assertThat(results.peek()).isEqualTo(new QueryResult.Ack("go1"));

                // Without encryption every node fails a keyring operation: the error carries their answers.
                assertThatThrownBy(client::listKeys).isInstanceOfSatisfying(KeyringException.class, e -> {
                    assertThat(e.response().numNodes()).isEqualTo(1);
                    assertThat(e.response().numErr()).isEqualTo(1);
                    assertThat(e.response().messages()).containsOnlyKeys("go1");
                    assertThat(e.response().messages().get("go1")).contains("encryption not enabled");
                });

                client.updateTags(Map.of("zone", "b"), null);
                Poll.until("the new tag", WAIT, () -> zone(client).equals("b"));
            }
            assertThat(client.isClosed()).isTrue();
            assertThatThrownBy(client::members).isInstanceOf(IOException.class).hasMessage("client closed");
        }
    }

    @Test
    void connectFailuresNameTheAddress() throws Exception {
        int port = GoSerfAgent.freeTcpPort();
        assertThatThrownBy(() -> SerfClient.connect("127.0.0.1:" + port))
                .isInstanceOf(IOException.class).isNotInstanceOf(AgentException.class)
                .hasMessage("dial tcp 127.0.0.1:" + port + ": connect: connection refused");
        assertThatThrownBy(() -> SerfClient.connect("no-port"))
                .hasMessage("dial tcp: address no-port: missing port in address");
    }

    private static String zone(SerfClient c) {
        try {
            return c.members().getFirst().tagsOrEmpty().getOrDefault("zone", "");
        } catch (IOException e) {
            return "";
        }
    }
}
