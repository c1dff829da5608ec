package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.testkit.Poll;

/**
 * {@code -syslog} with {@code syslog_facility}: the lines read back from a socket the test owns,
 * with the Go agent's format and priorities; and the Go agent's own lines for comparison (its
 * syslog socket path is fixed, so the test gives it one in a private mount namespace).
 */
class SyslogInteropTest {
    /** Go's local format: {@code <PRI>Mmm dd hh:mm:ss serf[PID]: MSG}. */
    private static final Pattern LOCAL = Pattern.compile("<(\\d+)>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d serf\\[(\\d+)\\]: (.*)");
    /** Go's network format: {@code <PRI>RFC3339 HOST serf[PID]: MSG}. */
    private static final Pattern NETWORK = Pattern.compile(
            "<(\\d+)>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:Z|[+-]\\d\\d:\\d\\d) (\\S+) serf\\[(\\d+)\\]: (.*)");

    @TempDir
    Path dir;

    /** Accepts connections on a Unix stream socket and collects the lines. */
    private static final class UnixSink implements AutoCloseable {
        final Path path;
        final ServerSocketChannel server;
        final List<String> lines = new CopyOnWriteArrayList<>();

        UnixSink(Path path) throws IOException {
            this.path = path;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Thread.ofVirtual().start(this::acceptLoop);
        }

        private void acceptLoop() {
            while (server.isOpen()) {
                try {
                    SocketChannel c = server.accept();
                    Thread.ofVirtual().start(() -> read(c));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void read(SocketChannel c) {
            try (c) {
                ByteBuffer buf = ByteBuffer.allocate(8192);
                StringBuilder sb = new StringBuilder();
                while (c.read(buf) >= 0) {
                    buf.flip();
                    sb.append(StandardCharsets.UTF_8.decode(buf));
                    buf.clear();
                    int nl;
                    while ((nl = sb.indexOf("\n")) >= 0) {
                        lines.add(sb.substring(0, nl));
                        sb.delete(0, nl + 1);
                    }
                }
            } catch (IOException e) {
                // the agent went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            Files.deleteIfExists(path);
        }
    }

    private Path configWithFacility(String facility) throws IOException {
        Path cfg = dir.resolve("syslog.json");
        Files.writeString(cfg, "{\"syslog_facility\": \"" + facility + "\"}");
        return cfg;
    }

    private static String withMessage(List<String> lines, String message) {
        return lines.stream().filter(l -> l.endsWith(message)).findFirst().orElse(null);
    }

    @Test
    void ourAgentWritesGoLinesToAUnixStreamSocket() throws Exception {
        try (UnixSink sink = new UnixSink(dir.resolve("log.sock"))) {
            AgentProcess a = AgentProcess.launch(AgentProcess.Impl.OURS, "sys1", dir, List.of(),
                    Map.of("SERF_SYSLOG_ADDR", "unix:" + sink.path), "-syslog",
                    "-config-file=" + configWithFacility("local3"), "-retry-join=127.0.0.1:1", "-retry-interval=1s");
            try {
                a.awaitRunning();
                Poll.until("the start-up line and a warning in syslog", Duration.ofSeconds(20),
                        () -> withMessage(sink.lines, "agent: Serf agent starting") != null
                                && sink.lines.stream().anyMatch(l -> l.contains("retrying in 1s")));
                var start = LOCAL.matcher(withMessage(sink.lines, "agent: Serf agent starting"));
                assertThat(start.matches()).isTrue();
                // LOCAL3 (19) * 8 + notice (5): INFO lines are notices, as in Go
                assertThat(start.group(1)).isEqualTo("157");
                assertThat(Long.parseLong(start.group(2))).isEqualTo(a.process().pid());
                var warn = LOCAL.matcher(sink.lines.stream().filter(l -> l.contains("agent: Join failed")).findFirst().orElseThrow());
                assertThat(warn.matches()).isTrue();
                assertThat(warn.group(1)).isEqualTo("156"); // WARN: warning (4)
                // the agent's level filter (INFO) applies: no DEBUG line reaches syslog. A message of
                // several lines (a join error) goes as one, with its newlines, as Go sends it.
                assertThat(sink.lines).filteredOn(l -> l.startsWith("<")).allMatch(l -> LOCAL.matcher(l).matches())
                        .noneMatch(l -> l.startsWith("<158>") || l.startsWith("<159>"));
            } finally {
                a.close();
            }
        }
    }

    @Test
    void ourAgentWritesNetworkFormatOverUdp() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            List<String> got = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (ch.isOpen()) {
                    try {
                        buf.clear();
                        ch.receive(buf);
                        buf.flip();
                        got.add(StandardCharsets.UTF_8.decode(buf).toString());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            AgentProcess a = AgentProcess.launch(AgentProcess.Impl.OURS, "sys2", dir, List.of(),
                    Map.of("SERF_SYSLOG_ADDR", "udp:127.0.0.1:" + port), "-syslog");
            try {
                a.awaitRunning();
                Poll.until("the start-up datagram", Duration.ofSeconds(20),
                        () -> got.stream().anyMatch(l -> l.endsWith("agent: Serf agent starting\n")));
                String line = got.stream().filter(l -> l.endsWith("agent: Serf agent starting\n")).findFirst().orElseThrow();
                var m = NETWORK.matcher(line.strip());
                assertThat(m.matches()).as(line).isTrue();
                assertThat(m.group(1)).isEqualTo("133"); // LOCAL0 (16) * 8 + notice
                assertThat(Long.parseLong(m.group(3))).isEqualTo(a.process().pid());
            } finally {
                a.close();
                ch.close();
                reader.join(2000);
            }
        }
    }

    @Test
    void refusedLoudlyWithoutAStreamSocketOrWithABadFacility() throws Exception {
        assumeTrue(!Files.exists(Path.of("/dev/log")), "this host has /dev/log");
        AgentProcess ours = AgentProcess.launch(AgentProcess.Impl.OURS, "sys3", dir, List.of(), Map.of(), "-syslog");
        assertThat(ours.awaitExit(Duration.ofSeconds(30))).isEqualTo(OptionalInt.of(1));
        assertThat(ours.log()).contains("==> Syslog setup failed: Unix syslog delivery error")
                .contains("SERF_SYSLOG_ADDR");
        AgentProcess bad = AgentProcess.launch(AgentProcess.Impl.OURS, "sys4", dir, List.of(),
                Map.of("SERF_SYSLOG_ADDR", "udp:127.0.0.1:9"), "-syslog", "-config-file=" + configWithFacility("bogus"));
        assertThat(bad.awaitExit(Duration.ofSeconds(30))).isEqualTo(OptionalInt.of(1));
        assertThat(bad.log()).contains("==> Syslog setup failed: invalid syslog facility: BOGUS");
        if (AgentProcess.goAvailable()) {
            AgentProcess go = AgentProcess.launch(AgentProcess.Impl.GO, "sys5", dir, List.of(), Map.of(), "-syslog");
            assertThat(go.awaitExit(Duration.ofSeconds(30))).isEqualTo(OptionalInt.of(1));
            assertThat(go.log()).contains("==> Syslog setup failed: Unix syslog delivery error");
            AgentProcess goBad = AgentProcess.launch(AgentProcess.Impl.GO, "sys6", dir, List.of(), Map.of(), "-syslog",
                    "-config-file=" + configWithFacility("bogus"));
            assertThat(goBad.awaitExit(Duration.ofSeconds(30))).isEqualTo(OptionalInt.of(1));
            assertThat(goBad.log()).contains("==> Syslog setup failed: invalid syslog facility: BOGUS");
        }
    }

    /**
     * The Go agent's own syslog lines for the same start-up, through a stream socket the test
     * owns, mounted (in a private mount namespace, over a private /run) where Go looks for one:
     * /var/run/syslog. Ours and Go's lines match once the time and pid are taken out.
     */
    @Test
    void theLinesAreTheGoAgents() throws Exception {
        assumeTrue(AgentProcess.goAvailable(), "no Go agent");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && ProcessHandle.current().info().user()
                .map("root"::equals).orElse(false), "needs unshare(1) as root");
        List<String> goLines;
        try (UnixSink sink = new UnixSink(dir.resolve("go.sock"))) {
            String script = "mount -t tmpfs none /run && touch /run/syslog && mount --bind \"$0\" /run/syslog && exec \"$@\"";
            List<String> prefix = List.of("unshare", "-m", "sh", "-c", script, sink.path.toString());
            AgentProcess go = AgentProcess.launch(AgentProcess.Impl.GO, "same", dir, prefix, Map.of(), "-syslog",
                    "-config-file=" + configWithFacility("LOCAL5"));
            try {
                go.awaitRunning();
                Poll.until("Go's start-up line", Duration.ofSeconds(20),
                        () -> withMessage(sink.lines, "agent: Serf agent starting") != null);
            } finally {
                go.close();
            }
            goLines = new ArrayList<>(sink.lines);
        }
        List<String> ourLines;
        try (UnixSink sink = new UnixSink(dir.resolve("ours.sock"))) {
            AgentProcess a = AgentProcess.launch(AgentProcess.Impl.OURS, "same", dir, List.of(),
                    Map.of("SERF_SYSLOG_ADDR", "unix:" + sink.path), "-syslog", "-config-file=" + configWithFacility("LOCAL5"));
            try {
                a.awaitRunning();
                Poll.until("our start-up line", Duration.ofSeconds(20),
                        () -> withMessage(sink.lines, "agent: Serf agent starting") != null);
            } finally {
                a.close();
            }
            ourLines = new ArrayList<>(sink.lines);
        }
        String go = normalize(withMessage(goLines, "agent: Serf agent starting"));
        String ours = normalize(withMessage(ourLines, "agent: Serf agent starting"));
        assertThat(ours).isEqualTo(go).isEqualTo("<173>TIME serf[PID]: agent: Serf agent starting");
    }

    private static String normalize(String line) {
        var m = LOCAL.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        return "<" + m.group(1) + ">TIME serf[PID]: " + m.group(3);
    }
}
