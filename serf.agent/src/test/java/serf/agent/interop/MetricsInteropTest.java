package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.agent.metrics.GoKeys;
import serf.testkit.GoSerfAgent;
import serf.testkit.Poll;

/**
 * The agent's metrics seen from outside, next to the Go agent's: statsd datagrams and statsite lines
 * received on sockets this test owns (same names, same line format), the SIGUSR1 dump (same format,
 * agent still serving), {@code serf info} through the Go CLI, and the Prometheus text.
 */
class MetricsInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    /** One go-metrics line: key:value|type, value as Go's %f. */
    private static final Pattern LINE = Pattern.compile("([^:|\\s]+):(-?\\d+\\.\\d{6})\\|(c|g|ms)");
    /** Names both agents send on a two-node cluster within seconds of joining (host name as "HOST"). */
    private static final Set<String> CORE = Set.of(
            "serf-agent.memberlist.gossip|ms", "serf-agent.memberlist.probeNode|ms",
            "serf-agent.memberlist.udp.sent|c", "serf-agent.memberlist.udp.received|c",
            "serf-agent.memberlist.msg.alive|c", "serf-agent.memberlist.tcp.sent|c", "serf-agent.serf.member.join|c",
            "serf-agent.serf.queue.Intent|ms", "serf-agent.serf.queue.Event|ms", "serf-agent.serf.queue.Query|ms",
            "serf-agent.serf.msgs.received|ms", "serf-agent.serf.msgs.sent|ms",
            "serf-agent.serf.events|c", "serf-agent.serf.events.metrics-probe|c",
            "serf-agent.HOST.runtime.num_goroutines|g", "serf-agent.HOST.runtime.alloc_bytes|g",
            "serf-agent.HOST.runtime.sys_bytes|g");

    /** Collects statsd datagrams on a loopback port this test owns. */
    static final class StatsdReceiver implements AutoCloseable {
        final DatagramSocket socket;
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        final Thread reader;

        StatsdReceiver() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            reader = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[65536];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (IOException e) {
                        return;
                    }
                    assertThat(p.getLength()).as("a statsd datagram stays within 1,400 bytes").isLessThanOrEqualTo(1400);
                    String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                    for (String l : text.split("\n")) {
                        if (!l.isEmpty()) {
                            lines.add(l);
                        }
                    }
                }
            });
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** Collects statsite lines from TCP connections on a loopback port this test owns. */
    static final class StatsiteReceiver implements AutoCloseable {
        final ServerSocket server;
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        StatsiteReceiver() throws IOException {
            server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s; BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                                for (String l; (l = r.readLine()) != null; ) {
                                    lines.add(l);
                                }
                            } catch (IOException e) {
                                // closed
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** name|type of each line, the host name replaced by HOST; every line must have Go's format. */
    static Set<String> shapes(Iterable<String> lines, String host) {
        Set<String> out = new TreeSet<>();
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            assertThat(m.matches()).as("go-metrics line format: " + l).isTrue();
            out.add(m.group(1).replace("serf-agent." + host + ".", "serf-agent.HOST.") + "|" + m.group(3));
        }
        return out;
    }

    static Path config(Path dir, String name, String key, String addr) throws IOException {
        Path f = dir.resolve(name + ".json");
        Files.writeString(f, "{\"" + key + "\": \"" + addr + "\"}");
        return f;
    }

    @Test
    void statsdAndStatsiteGetGoNamesAndLinesFromOursAsFromGo(@TempDir Path dir) throws Exception {
        assumeTrue(AgentProcess.goAvailable(), "needs /usr/bin/serf");
        String host = GoKeys.hostname();
        try (StatsdReceiver oursUdp = new StatsdReceiver(); StatsdReceiver goUdp = new StatsdReceiver();
             StatsiteReceiver oursTcp = new StatsiteReceiver(); StatsiteReceiver goTcp = new StatsiteReceiver()) {
            Path oursCfg = dir.resolve("ours.json");
            Files.writeString(oursCfg, "{\"statsd_addr\": \"" + oursUdp.address() + "\", \"statsite_addr\": \"" + oursTcp.address() + "\"}");
            Path goCfg = dir.resolve("go.json");
            Files.writeString(goCfg, "{\"statsd_addr\": \"" + goUdp.address() + "\", \"statsite_addr\": \"" + goTcp.address() + "\"}");
            try (AgentProcess go = AgentProcess.go("go-m", dir, "-config-file=" + goCfg);
                 AgentProcess ours = AgentProcess.ours("ours-m", dir, "-config-file=" + oursCfg, "-join=" + go.gossipAddress())) {
                Poll.until("both see two members", WAIT, () -> out(go, "members").lines().count() == 2
                        && out(ours, "members").lines().count() == 2);
                assertThat(go.cli("event", "metrics-probe", "x").code()).isZero();
                List<StatsdReceiver> udp = List.of(oursUdp, goUdp);
                List<StatsiteReceiver> tcp = List.of(oursTcp, goTcp);
                for (int i = 0; i < 2; i++) {
                    StatsdReceiver u = udp.get(i);
                    StatsiteReceiver t = tcp.get(i);
                    Poll.until((i == 0 ? "our" : "Go's") + " agent sending the core names by statsd and statsite", WAIT,
                            () -> shapes(u.lines, host).containsAll(CORE) && shapes(t.lines, host).containsAll(CORE));
                }
                // Every serf./memberlist./agent. name Go sent, we send too (push/pull and its TCP counters
                // come with the 30 s push/pull timer, hence the wait). Go's runtime gauges are Go's own.
                Poll.until("our agent sending every protocol name Go's sent", WAIT, () -> {
                    Set<String> missing = shapes(goUdp.lines, host);
                    missing.removeIf(n -> n.contains(".runtime."));
                    missing.removeAll(shapes(oursUdp.lines, host));
                    return missing.isEmpty();
                });
            }
        }
    }

    @Test
    void sigusr1DumpsLikeGoAndTheAgentRunsOn(@TempDir Path dir) throws Exception {
        assumeTrue(AgentProcess.goAvailable(), "needs /usr/bin/serf");
        Pattern dumpLine = Pattern.compile("\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4} \\S+\\]\\[(G|C|S)\\] '([^']+)': (.*)");
        try (AgentProcess go = AgentProcess.go("go-d", dir);
             AgentProcess ours = AgentProcess.ours("ours-d", dir, "-join=" + go.gossipAddress())) {
            // Go dumps finished 10-second intervals only: ask until one is there.
            for (AgentProcess a : List.of(ours, go)) {
                long[] lastSignal = {0};
                Poll.until(a.impl() + " dump with counters", WAIT, () -> {
                    if (System.nanoTime() - lastSignal[0] > 2_000_000_000L) {
                        signal(a, "USR1");
                        lastSignal[0] = System.nanoTime();
                    }
                    String log = a.log();
                    return log.contains("][C] 'serf-agent.memberlist.udp.sent': Count: ")
                            && log.contains("][S] 'serf-agent.memberlist.probeNode': Count: ");
                });
            }
            for (AgentProcess a : List.of(ours, go)) {
                Set<String> names = new TreeSet<>();
                for (String l : a.log().lines().toList()) {
                    if (l.startsWith("[") && l.contains("] '")) {
                        Matcher m = dumpLine.matcher(l);
                        assertThat(m.matches()).as(a.impl() + " dump line: " + l).isTrue();
                        names.add(m.group(1) + " " + m.group(2));
                        if (!m.group(1).equals("G")) {
                            assertThat(m.group(3)).matches("Count: \\d+ (Min: \\S+ Mean: \\S+ Max: \\S+ Stddev: \\S+ )?Sum: -?\\d+\\.\\d{3} "
                                    + "LastUpdated: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? [+-]\\d{4} \\S+ m=\\+\\d+\\.\\d{9}");
                        }
                    }
                }
                assertThat(names).as(a.impl() + " dump").contains("C serf-agent.memberlist.udp.sent",
                        "S serf-agent.memberlist.gossip", "S serf-agent.memberlist.probeNode", "C serf-agent.serf.member.join");
                assertThat(a.process().isAlive()).isTrue();
            }
            // Still serving after the signals.
            GoCli.Result members = ours.cli("members");
            assertThat(members.code()).isZero();
            assertThat(members.out()).contains("ours-d", "go-d");
        }
    }

    @Test
    void serfInfoShowsTheMetricsSectionThroughGosCli(@TempDir Path dir) throws Exception {
        assumeTrue(AgentProcess.goAvailable(), "needs /usr/bin/serf");
        try (AgentProcess ours = AgentProcess.ours("ours-i", dir)) {
            Poll.until("a gossip round counted", WAIT, () -> out(ours, "info").contains("memberlist.gossip = count="));
            GoCli.Result info = ours.cli("info");
            assertThat(info.code()).isZero();
            // Go's sections first, unchanged; ours after.
            assertThat(info.out()).contains("agent:", "runtime:", "serf:", "\thealth_score = 0", "metrics:",
                    "\tmemberlist.stats.nodes_refused = 0", "\tmemberlist.health.score");
            GoCli.Result json = ours.cli("info", "-format=json");
            assertThat(json.code()).isZero();
            assertThat(json.out()).contains("\"metrics\"", "\"memberlist.gossip\"");
        }
    }

    @Test
    void prometheusTextOnLoopbackWhenAsked(@TempDir Path dir) throws Exception {
        int port = GoSerfAgent.freeTcpPort();
        try (AgentProcess ours = AgentProcess.ours("ours-p", dir, "-metrics-prometheus-addr=:" + port)) {
            Poll.until("a gossip round exported", WAIT, () -> httpGet(port, "/metrics").contains("serf_agent_memberlist_gossip_count"));
            String response = httpGet(port, "/metrics");
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Type: text/plain; version=0.0.4");
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            Pattern sample = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*) (-?[0-9.eE+-]+|NaN|[+-]Inf)");
            Pattern type = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|untyped)");
            Set<String> typed = new TreeSet<>();
            Set<String> samples = new TreeSet<>();
            for (String l : body.split("\n")) {
                Matcher t = type.matcher(l);
                if (t.matches()) {
                    typed.add(t.group(1));
                    continue;
                }
                Matcher s = sample.matcher(l);
                assertThat(s.matches()).as("a sample line: " + l).isTrue();
                Double.parseDouble(s.group(2).replace("Inf", "Infinity"));
                samples.add(s.group(1));
            }
            assertThat(typed).contains("serf_agent_memberlist_gossip", "serf_agent_memberlist_health_score",
                    "serf_agent_memberlist_stats_nodes_refused");
            assertThat(samples).contains("serf_agent_memberlist_gossip_sum", "serf_agent_memberlist_gossip_count",
                    "serf_agent_memberlist_health_score");
            assertThat(httpGet(port, "/other")).startsWith("HTTP/1.1 404");
            // Bound to loopback only.
            assertThat(ours.log()).doesNotContain("Failed to start the Prometheus endpoint");
        }
    }

    /** The CLI's output, "" if it could not run (inside polls). */
    static String out(AgentProcess a, String command, String... args) {
        try {
            return a.cli(command, args).out();
        } catch (IOException e) {
            return "";
        }
    }

    static void signal(AgentProcess a, String sig) {
        try {
            a.signal(sig);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String httpGet(int port, String path) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                return "";
            }
        } catch (IOException e) {
            return "";
        }
    }
}
