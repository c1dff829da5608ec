package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static serf.agent.interop.RawRpc.HANDSHAKE;
import static serf.agent.interop.RawRpc.cat;
import static serf.agent.interop.RawRpc.connect;
import static serf.agent.interop.RawRpc.exchange;
import static serf.agent.interop.RawRpc.header;
import static serf.agent.interop.RawRpc.readReply;
import static serf.agent.interop.RawRpc.str;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import serf.agent.interop.GoCli.Result;
import serf.agent.interop.RawRpc.Exchange;
import serf.testkit.Poll;

/**
 * Bad and hostile input on OUR agent's RPC port: protocol errors answered byte for byte as the Go
 * agent answers them, garbage, absurd length headers, deep nesting, a flood of connections and a
 * monitor client that never reads. None of it may kill the agent: afterwards the Go CLI's
 * {@code serf members} still works. Finally both agents get SIGINT and leave as Go does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RpcRobustnessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private AgentProcess ours;
    private AgentProcess go;
    private final List<AgentProcess> agents = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(AgentProcess.goAvailable(), "needs the Go agent at /usr/bin/serf");
        Path dir = Files.createTempDirectory("serf-interop-robust");
        try {
            ours = add(AgentProcess.ours("r1", dir));
            go = add(AgentProcess.go("r2", dir, "-join=" + ours.gossipAddress()));
            Poll.until("both see 2 alive members", WAIT,
                    () -> GoCliOnOurAgentTest.aliveCount(ours, "") == 2 && GoCliOnOurAgentTest.aliveCount(go, "") == 2);
        } catch (Exception | AssertionError e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        AgentProcess.closeAll(agents);
    }

    private AgentProcess add(AgentProcess a) {
        agents.add(a);
        return a;
    }

    private void assertStillServing() throws IOException {
        Result r = ours.cli("members");
        assertThat(r.code()).as("serf members against our agent\n%s", ours.tail()).isZero();
        assertThat(r.out()).contains("r1  ", "r2  ");
        assertThat(ours.process().isAlive()).isTrue();
    }

    // ---- protocol errors: the same bytes as the Go agent ---------------------------------------------

    @Test
    @Order(0)
    void eventStreamFiltersSelectEventsAndRefuseUnknownKinds() throws Exception {
        try (serf.client.internal.RpcChannel client = serf.client.internal.RpcChannel.connect(ours.rpcAddress(), "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.stream("member-join,bogus", e -> { }))
                    .isInstanceOf(serf.client.internal.RpcException.class).hasMessage("Invalid event filter");
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (serf.client.internal.RpcStream stream = client.stream("user:wanted,query:q1", e -> {
                if (e instanceof serf.client.internal.StreamRecord.UserEvent u) {
                    seen.add("user:" + u.name());
                } else if (e instanceof serf.client.internal.StreamRecord.QueryEvent q) {
                    seen.add("query:" + q.name());
                } else {
                    seen.add("other");
                }
            })) {
                // Sent from the Go agent: the filter runs on events that crossed implementations.
                assertThat(go.cli("event", "unwanted", "x").code()).isZero();
                assertThat(go.cli("event", "wanted", "y").code()).isZero();
                assertThat(go.cli("query", "-timeout=1s", "q2").code()).isZero();
                assertThat(go.cli("query", "-timeout=1s", "q1").code()).isZero();
                Poll.until("the wanted event and query on the stream", WAIT,
                        () -> seen.contains("user:wanted") && seen.contains("query:q1"));
                assertThat(seen).containsOnly("user:wanted", "query:q1");
            }
        }
    }

    @Test
    @Order(1)
    void protocolErrorsAnsweredAsGoDoes() throws Exception {
        List<byte[]> requests = List.of(
                // a command before the handshake: "Handshake required", then closed
                cat(header("members", 1)),
                // handshake then an unknown command: "Unsupported command", then closed
                cat(HANDSHAKE, header("bogus", 2), new byte[] {(byte) 0x80}),
                // an unsupported IPC version, then the right one: both answered, connection kept
                cat(header("handshake", 1), new byte[] {(byte) 0x81}, str("Version"), new byte[] {2}, HANDSHAKE),
                // a second handshake
                cat(HANDSHAKE, header("handshake", 2), new byte[] {(byte) 0x81}, str("Version"), new byte[] {1}),
                // a body of the wrong shape: closed without an answer
                cat(header("handshake", 1), str("not a map")),
                // a header that is not a map: closed
                new byte[] {(byte) 0x93, 1, 2, 3},
                // stop for an unknown stream: always fine
                cat(HANDSHAKE, header("stop", 2), new byte[] {(byte) 0x81}, str("Stop"), new byte[] {0x63}),
                // an invalid event filter and an unknown log level
                cat(HANDSHAKE, header("stream", 2), new byte[] {(byte) 0x81}, str("Type"), str("member-foo")),
                cat(HANDSHAKE, header("monitor", 2), new byte[] {(byte) 0x81}, str("LogLevel"), str("bogus")),
                // respond to a query that does not exist
                cat(HANDSHAKE, header("respond", 2), new byte[] {(byte) 0x82}, str("ID"), new byte[] {9}, str("Payload"),
                        new byte[] {(byte) 0xc0}),
                // a members-filtered regex that does not compile: closed without an answer
                cat(HANDSHAKE, header("members-filtered", 2), new byte[] {(byte) 0x83}, str("Name"), str("("), str("Status"),
                        str(""), str("Tags"), new byte[] {(byte) 0x80}),
                // garbage that looks like HTTP
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] req : requests) {
            Exchange o = exchange(ours, req);
            Exchange g = exchange(go, req);
            assertThat(o).as("reply to %s: ours vs Go", HexFormat.of().formatHex(req)).isEqualTo(g);
        }
        assertStillServing();
    }

    // ---- hostile input -----------------------------------------------------------------------------

    @Test
    @Order(2)
    void absurdLengthsAndNestingCloseTheConnection() throws Exception {
        List<byte[]> hostile = List.of(
                HexFormat.of().parseHex("dbffffffff"),            // str32 of 4 GiB as the header
                HexFormat.of().parseHex("c6ffffffff"),            // bin32 of 4 GiB
                HexFormat.of().parseHex("ddffffffff"),            // array32 of 4 Gi elements
                HexFormat.of().parseHex("dfffffffff"),            // map32 of 4 Gi pairs
                HexFormat.of().parseHex("81dbffffffff"),          // a map whose key is 4 GiB long
                cat(HANDSHAKE, header("event", 2), HexFormat.of().parseHex("83a8436f616c65736365c3a44e616d65a178a75061796c6f6164c6ffffffff")));
        for (byte[] req : hostile) {
            try (Socket s = connect(ours)) {
                OutputStream out = s.getOutputStream();
                out.write(req);
                // Keep feeding a little more, as a client announcing a huge object would.
                try {
                    out.write(new byte[64 * 1024]);
                } catch (IOException closedAlready) {
                    // fine: the agent gave up on us
                }
                Exchange e = readReply(s, Duration.ofSeconds(5), Duration.ofSeconds(10));
                assertThat(e.closed()).as("connection closed after %s", HexFormat.of().formatHex(req, 0, Math.min(req.length, 16))).isTrue();
            }
        }
        // 100,000 nested one-element arrays as a header.
        byte[] deep = new byte[100_000];
        java.util.Arrays.fill(deep, (byte) 0x91);
        try (Socket s = connect(ours)) {
            s.getOutputStream().write(deep);
            assertThat(readReply(s, Duration.ofSeconds(5), Duration.ofSeconds(10)).closed()).isTrue();
        }
        assertStillServing();
    }

    @Test
    @Order(3)
    void aFloodOfConnectionsAndAMonitorThatNeverReads() throws Exception {
        // A client that asks for every log line and every event, then never reads.
        try (Socket stuck = connect(ours, 1024);
             GoCli.Running reader = GoCli.Running.start(Files.createTempDirectory("serf-interop-mon"), ours.rpcAddress(),
                     "monitor", "-log-level=debug")) {
            stuck.getOutputStream().write(cat(HANDSHAKE,
                    header("monitor", 2), new byte[] {(byte) 0x81}, str("LogLevel"), str("debug"),
                    header("stream", 3), new byte[] {(byte) 0x81}, str("Type"), str("*")));
            reader.await("[INFO] agent: Serf agent starting", WAIT);

            // 10,000 connections opened and dropped (each one is a log line for both monitors).
            int total = 10_000;
            AtomicInteger done = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    fs.add(pool.submit(() -> {
                        while (done.getAndIncrement() < total) {
                            try (Socket s = connect(ours)) {
                                s.setSoLinger(true, 0);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get(90, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertStillServing();
            // The reading monitor got live lines throughout; the stuck one is dropped from, with a
            // warning that does not repeat for every dropped line.
            ours.awaitLog("agent.ipc: Dropping logs to", WAIT);
            reader.await("agent.ipc: Accepted client", WAIT);
            long warnings = ours.log().lines().filter(l -> l.contains("Dropping logs to")).count();
            assertThat(warnings).isBetween(1L, 100L);
            assertThat(reader.process().isAlive()).isTrue();
            // Events still flow while the stuck client holds its streams open.
            Result ev = ours.cli("event", "after-flood");
            assertThat(ev.code()).isZero();
            reader.await("[INFO] agent: Received event: user-event: after-flood", WAIT);
            // What was dropped is counted and visible in `serf info` (our section "limits").
            Result info = ours.cli("info", "-format=json");
            assertThat(info.code()).isZero();
            @SuppressWarnings("unchecked")
            var stats = (java.util.Map<String, java.util.Map<String, String>>) serf.wire.json.Json.parse(info.out());
            assertThat(Long.parseLong(stats.get("limits").get("rpc_stream_records_dropped"))).isPositive();
        }
        // Every dropped connection was cleaned up: many clients at once still get served.
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Result>> fs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                fs.add(pool.submit(() -> ours.cli("members")));
            }
            for (Future<Result> f : fs) {
                assertThat(f.get(60, TimeUnit.SECONDS).code()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertStillServing();
    }

    // ---- SIGINT: graceful leave, as Go does ------------------------------------------------------------

    @Test
    @Order(4)
    void interruptLeavesGracefully() throws Exception {
        go.signal("INT");
        assertThat(go.awaitExit(Duration.ofSeconds(15))).hasValue(0);
        Poll.until("our agent sees the Go agent left", WAIT, () -> "left".equals(LeaveInteropTest.statuses(ours).get("r2")));
        ours.signal("INT");
        assertThat(ours.awaitExit(Duration.ofSeconds(15))).as("our exit code\n%s", ours.tail()).hasValue(0);
        assertThat(shutdownLines(ours.log())).isEqualTo(shutdownLines(go.log()))
                .containsExactly("==> Caught signal: interrupt", "==> Gracefully shutting down agent...");
    }

    private static List<String> shutdownLines(String log) {
        String after = log.substring(log.indexOf("==> Log data will now stream in as it occurs:") + 10);
        return after.lines().filter(l -> l.startsWith("==> ")).toList();
    }
}
