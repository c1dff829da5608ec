package serf.agent.testsupport;

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
import java.util.function.BooleanSupplier;

/**
 * A real Go {@code serf agent} (Debian's /usr/bin/serf) on 127.0.0.1 with free ports, its output in
 * a log file. {@link #close()} kills it; every wait is bounded.
 */
public final class GoAgent implements AutoCloseable {
    private final String name;
    private final int bindPort;
    private final int rpcPort;
    private final Process process;
    private final Path log;

    private GoAgent(String name, int bindPort, int rpcPort, Process process, Path log) {
        this.name = name;
        this.bindPort = bindPort;
        this.rpcPort = rpcPort;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code serf agent -node=NAME -bind=... -rpc-addr=... extra...} without waiting. */
    public static GoAgent launch(String name, Path dir, String... extra) throws IOException {
        int bind = freeGossipPort();
        int rpc = freeTcpPort();
        List<String> cmd = new ArrayList<>(List.of(CliRunner.GO_SERF.toString(), "agent", "-node=" + name,
                "-bind=127.0.0.1:" + bind, "-rpc-addr=127.0.0.1:" + rpc));
        cmd.addAll(List.of(extra));
        Path log = dir.resolve("agent-" + name + ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new GoAgent(name, bind, rpc, p, log);
    }

    /** Waits until the agent's RPC listener is up (it prints "Serf agent running!" after that). */
    public GoAgent awaitRunning() {
        try {
            Poll.until("agent " + name + " running", Duration.ofSeconds(20), () -> log().contains("Serf agent running!"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + log(), e);
        }
        return this;
    }

    public String name() {
        return name;
    }

    public String gossipAddress() {
        return "127.0.0.1:" + bindPort;
    }

    public String rpcAddress() {
        return "127.0.0.1:" + rpcPort;
    }

    public Process process() {
        return process;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** memberlist binds TCP and UDP on the same port number. */
    static int freeGossipPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port = freeTcpPort();
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                return d.getLocalPort();
            } catch (IOException e) {
                // taken for UDP; try another
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }

    /** Polls a condition with a deadline. */
    public static final class Poll {
        private Poll() {
        }

        public static void until(String what, Duration timeout, BooleanSupplier condition) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                boolean ok;
                try {
                    ok = condition.getAsBoolean();
                } catch (RuntimeException e) {
                    ok = false;
                }
                if (ok) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what);
                }
            }
        }
    }
}
