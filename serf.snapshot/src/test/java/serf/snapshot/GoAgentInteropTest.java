package serf.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Go agent ({@code /usr/bin/serf}, 0.9.4) reads a snapshot we wrote: it tries to rejoin
 * our node, restores our clocks ({@code serf info}), appends to the file in a form we read back,
 * and honours (with {@code -rejoin}: ignores) a leave we recorded. Everything on 127.0.0.1 with
 * bounded waits.
 */
class GoAgentInteropTest {

    private static final Path SERF = Path.of("/usr/bin/serf");
    private static final Duration AGENT_WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void goAgentReadsOurSnapshotAndWeReadWhatItLeaves() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SERF), "the Go serf agent is not installed");
        Path path = dir.resolve("interop.snap");
        int fakePort = freePort();
        KnownNode fake = new KnownNode("fake", "127.0.0.1:" + fakePort);

        AtomicLong memberClock = new AtomicLong(51);
        SnapshotConfig config = SnapshotConfig.defaults(path, memberClock::get)
                .withClockUpdateInterval(Duration.ofHours(1))
                .withLogger(new TestSupport.RecordingLogger());
        try (Snapshotter snap = Snapshotter.open(config)) {
            assertThat(snap.offer(SnapshotEvent.MemberJoin.of(fake))).isTrue();
            assertThat(snap.offer(new SnapshotEvent.UserEvent(40))).isTrue();
            assertThat(snap.offer(new SnapshotEvent.Query(30))).isTrue();
            assertThat(snap.awaitIdle(AGENT_WAIT)).isTrue();
        }
        assertThat(Files.readString(path))
                .isEqualTo("alive: " + fake.name() + " " + fake.address() + "\nclock: 50\nevent-clock: 40\nquery-clock: 30\n");

        // Round 1: the agent rejoins our node (and fails: nothing listens there) and restores our clocks.
        int bindPort = freePort();
        try (Agent agent = Agent.start(path, bindPort, freePort(), false)) {
            assertThat(agent.awaitLog("Attempting re-join to previously known node: " + fake)).isTrue();
            assertThat(agent.awaitLog("Failed to re-join any previously known node")).isTrue();
            String info = agent.info();
            assertThat(infoValue(info, "member_time")).isGreaterThanOrEqualTo(51);
            assertThat(infoValue(info, "event_time")).isEqualTo(41);
            assertThat(infoValue(info, "query_time")).isEqualTo(31);
            String own = "alive: snapgo 127.0.0.1:" + bindPort + "\n";
            assertThat(TestSupport.poll(AGENT_WAIT, () -> read(path).contains(own))).isTrue();
            assertThat(agent.stop()).as("agent exits on SIGTERM").isTrue();
            assertThat(agent.awaitLog("Shutdown without a Leave")).isTrue();
        }

        // Its file (our lines plus its appends) replays with our clocks and both nodes.
        RecoveredState afterGo = Snapshotter.recover(path, false, new TestSupport.RecordingLogger());
        assertThat(afterGo.aliveNodes()).contains(fake, new KnownNode("snapgo", "127.0.0.1:" + bindPort));
        assertThat(afterGo.lastClock()).isGreaterThanOrEqualTo(50);
        assertThat(afterGo.lastEventClock()).isEqualTo(40);
        assertThat(afterGo.lastQueryClock()).isEqualTo(30);
        assertThat(afterGo.leaveRecorded()).isFalse();
        assertThat(afterGo.skippedLines()).isZero();
        assertThat(afterGo.tornTailBytes()).isZero();

        // We continue the Go file and record a graceful leave.
        memberClock.set(afterGo.lastClock() + 1);
        try (Snapshotter snap = Snapshotter.open(config)) {
            assertThat(snap.recovered().aliveNodes()).isEqualTo(afterGo.aliveNodes());
            assertThat(snap.leave()).isTrue();
        }
        assertThat(read(path)).endsWith("leave\n");

        // Round 2: with -rejoin the agent sees our leave, ignores it, and still rejoins and keeps the clocks.
        try (Agent agent = Agent.start(path, freePort(), freePort(), true)) {
            assertThat(agent.awaitLog("Ignoring previous leave in snapshot")).isTrue();
            assertThat(agent.awaitLog("Attempting re-join to previously known node: " + fake)).isTrue();
            String info = agent.info();
            assertThat(infoValue(info, "event_time")).isEqualTo(41);
            assertThat(infoValue(info, "query_time")).isEqualTo(31);
            assertThat(agent.stop()).isTrue();
        }
        RecoveredState last = Snapshotter.recover(path, true, new TestSupport.RecordingLogger());
        assertThat(last.leaveRecorded()).isTrue();
        assertThat(last.lastEventClock()).isEqualTo(40);
        assertThat(last.skippedLines()).isZero();
        assertThat(last.tornTailBytes()).isZero();
    }

    private static long infoValue(String info, String key) {
        Matcher m = Pattern.compile("(?m)^\\s*" + key + " = (\\d+)$").matcher(info);
        assertThat(m.find()).as("%s in serf info output:%n%s", key, info).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            return "";
        }
    }

    /** A port free for both TCP and UDP on 127.0.0.1 (the agent binds both). */
    private static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
                port = tcp.getLocalPort();
            }
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
                return udp.getLocalPort();
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IOException("no free port on 127.0.0.1");
    }

    /**
     * A running Go agent whose output goes to a file. (Not a pipe: {@link Process#destroy()} closes
     * the pipe, and the agent then dies of SIGPIPE while logging its shutdown.)
     */
    private static final class Agent implements AutoCloseable {
        private static final long MAX_LOG_BYTES = 1 << 20;

        private final Process process;
        private final int rpcPort;
        private final Path log;

        private Agent(Process process, int rpcPort, Path log) {
            this.process = process;
            this.rpcPort = rpcPort;
            this.log = log;
        }

        static Agent start(Path snapshot, int bindPort, int rpcPort, boolean rejoin) throws IOException {
            List<String> command = new ArrayList<>(List.of(SERF.toString(), "agent", "-node=snapgo",
                    "-bind=127.0.0.1:" + bindPort, "-rpc-addr=127.0.0.1:" + rpcPort, "-snapshot=" + snapshot));
            if (rejoin) {
                command.add("-rejoin");
            }
            Path log = snapshot.resolveSibling("agent-" + bindPort + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new Agent(process, rpcPort, log);
        }

        private String output() {
            try {
                if (Files.size(log) > MAX_LOG_BYTES) {
                    return "";
                }
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        boolean awaitLog(String text) throws InterruptedException {
            boolean found = TestSupport.poll(AGENT_WAIT, () -> output().contains(text));
            if (!found) {
                System.err.println("agent output so far (alive=" + process.isAlive()
                        + (process.isAlive() ? "" : ", exit=" + process.exitValue()) + "):\n" + output());
            }
            return found;
        }

        /** {@code serf info} against this agent, retried until the RPC answers. */
        String info() throws Exception {
            long deadline = System.nanoTime() + AGENT_WAIT.toNanos();
            String output = "";
            while (System.nanoTime() - deadline < 0) {
                Process info = new ProcessBuilder(SERF.toString(), "info", "-rpc-addr=127.0.0.1:" + rpcPort)
                        .redirectErrorStream(true).start();
                try {
                    output = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (info.waitFor(10, TimeUnit.SECONDS) && info.exitValue() == 0) {
                        return output;
                    }
                } finally {
                    info.destroyForcibly();
                }
                Thread.sleep(100);
            }
            throw new AssertionError("serf info never answered: " + output);
        }

        /**
         * SIGTERM: the agent shuts down without a leave, flushing and syncing its snapshot. The agent
         * installs its signal handler only after its start-up log lines, so a SIGTERM sent too early
         * kills it outright; its first "Received event" line comes about a second later, well after.
         */
        boolean stop() throws InterruptedException {
            if (!awaitLog("agent: Received event: member-join")) {
                return false;
            }
            process.destroy();
            return process.waitFor(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
