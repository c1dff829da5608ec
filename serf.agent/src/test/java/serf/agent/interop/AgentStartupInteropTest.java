package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import serf.agent.interop.AgentProcess.Impl;
import serf.testkit.GoSerfAgent;
import serf.testkit.Poll;

/**
 * What OUR agent prints on its console when it starts, fails to start, and stops on SIGTERM,
 * compared with the Go agent run with the same flags (ports and timestamps normalised).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentStartupInteropTest {
    private Path dir;

    @BeforeAll
    void setUp() throws Exception {
        assumeTrue(AgentProcess.goAvailable(), "needs the Go agent at /usr/bin/serf");
        dir = Files.createTempDirectory("serf-interop-start");
    }

    /** Runs {@code serf agent FLAGS} to its exit (bounded) and returns its console output. */
    private String runToExit(Impl impl, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(AgentProcess.command(impl));
        cmd.add("agent");
        cmd.addAll(List.of(flags));
        Path out = Files.createTempFile(dir, impl.name(), ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        AgentProcess.cleanEnv(pb.environment());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s agent exits", impl).isTrue();
            return "exit " + p.exitValue() + "\n" + Files.readString(out);
        } finally {
            p.destroyForcibly();
        }
    }

    private static String timestamps(String s) {
        return s.replaceAll("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d", "<ts>");
    }

    @Test
    void aFailedStartupJoinReadsAsGo() throws Exception {
        int closed = GoSerfAgent.freeUdpTcpPort();
        String[] flags = {"-node=s1", "-bind=127.0.0.1:" + GoSerfAgent.freeUdpTcpPort(), "-rpc-addr=127.0.0.1:" + GoSerfAgent.freeTcpPort(),
            "-join=127.0.0.1:" + closed};
        String ours = runToExit(Impl.OURS, flags);
        String go = runToExit(Impl.GO, flags);
        assertThat(ours).isEqualTo(go);
        assertThat(go).startsWith("exit 1\n").endsWith("==> Joining cluster...(replay: false)\n==> 1 error occurred:\n"
                + "\t* Failed to join 127.0.0.1: dial tcp 127.0.0.1:" + closed + ": connect: connection refused\n\n\n");
    }

    @Test
    void encryptTogetherWithAKeyringFileIsRefusedAsGo() throws Exception {
        Path keyring = dir.resolve("keyring.json");
        Files.writeString(keyring, "[\"" + serf.crypto.Keys.encode(serf.crypto.Keys.generate()) + "\"]");
        String[] flags = {"-node=s5", "-bind=127.0.0.1:" + GoSerfAgent.freeUdpTcpPort(), "-rpc-addr=127.0.0.1:" + GoSerfAgent.freeTcpPort(),
            "-encrypt=" + serf.crypto.Keys.encode(serf.crypto.Keys.generate()), "-keyring-file=" + keyring};
        assertThat(runToExit(Impl.OURS, flags)).isEqualTo(runToExit(Impl.GO, flags)).isEqualTo(
                "exit 1\n==> Starting Serf agent...\n==> Failed to setup the Serf agent: Encryption key not allowed while using a keyring\n");
    }

    @Test
    void portsInUseReadAsGo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            String[] rpcTaken = {"-node=s2", "-bind=127.0.0.1:" + GoSerfAgent.freeUdpTcpPort(), "-rpc-addr=127.0.0.1:" + port};
            String ours = runToExit(Impl.OURS, rpcTaken);
            assertThat(ours).isEqualTo(runToExit(Impl.GO, rpcTaken)).isEqualTo("exit 1\n==> Starting Serf agent...\n"
                    + "==> Error starting RPC listener: listen tcp 127.0.0.1:" + port + ": bind: address already in use\n");
            String[] bindTaken = {"-node=s3", "-bind=127.0.0.1:" + port, "-rpc-addr=127.0.0.1:" + GoSerfAgent.freeTcpPort()};
            assertThat(runToExit(Impl.OURS, bindTaken)).isEqualTo(runToExit(Impl.GO, bindTaken));
        }
    }

    @Test
    void bannerLogAndSigtermReadAsGo() throws Exception {
        List<String> outputs = new ArrayList<>();
        for (Impl impl : List.of(Impl.OURS, Impl.GO)) {
            try (AgentProcess a = AgentProcess.launch(impl, "s4", dir, "-tag", "role=x").awaitRunning()) {
                a.awaitLog("[INFO] serf: EventMemberJoin: s4 127.0.0.1", Duration.ofSeconds(20));
                a.signal("TERM");
                // leave_on_terminate is off: no leave, exit 1.
                assertThat(a.awaitExit(Duration.ofSeconds(15))).as("%s exit after SIGTERM", impl).hasValue(1);
                Poll.until("output flushed", Duration.ofSeconds(5), () -> a.log().contains("Caught signal: terminated"));
                String log = timestamps(a.log()).replace(a.gossipAddress(), "<bind>").replace(a.rpcAddress(), "<rpc>");
                // Up to the first log lines; what follows (serf's own log lines) legitimately differs.
                List<String> lines = new ArrayList<>();
                for (String l : log.split("\n")) {
                    if (l.startsWith("    <ts>") && !l.contains("agent: Serf agent starting") && !l.contains("EventMemberJoin")) {
                        continue;
                    }
                    lines.add(l);
                }
                outputs.add(String.join("\n", lines));
            }
        }
        assertThat(outputs.get(0)).isEqualTo(outputs.get(1));
        assertThat(outputs.get(0)).contains("""
                ==> Serf agent running!
                                      Node name: 's4'
                                      Bind addr: '<bind>'
                                       RPC addr: '<rpc>'
                                      Encrypted: false
                                       Snapshot: false
                                        Profile: lan
                    Message Compression Enabled: true

                ==> Log data will now stream in as it occurs:

                    <ts> [INFO] agent: Serf agent starting
                    <ts> [INFO] serf: EventMemberJoin: s4 127.0.0.1
                """).endsWith("==> Caught signal: terminated");
    }
}
