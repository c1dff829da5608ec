package serf.testkit;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import serf.wire.json.Json;

/**
 * Drives a real Go `serf agent` (Debian's /usr/bin/serf) on 127.0.0.1 for interop tests: starts it,
 * asks it for its members through its own CLI, kills it. Every wait is bounded.
 */
public final class GoSerfAgent implements AutoCloseable {
    public static final Path SERF = Path.of("/usr/bin/serf");

    private final String name;
    private final int bindPort;
    private final int rpcPort;
    private final Process process;
    private final Path logFile;

    private GoSerfAgent(String name, int bindPort, int rpcPort, Process process, Path logFile) {
        this.name = name;
        this.bindPort = bindPort;
        this.rpcPort = rpcPort;
        this.process = process;
        this.logFile = logFile;
    }

    public static boolean available() {
        return Files.isExecutable(SERF);
    }

    /** Starts an agent named {@code name} on free loopback ports, with extra flags. */
    public static GoSerfAgent start(String name, Path workDir, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("-log-level=debug"));
        args.addAll(List.of(extraArgs));
        GoSerfAgent agent = spawn(name, workDir, null, args);
        try {
            agent.waitFor("agent RPC to listen", Duration.ofSeconds(15), () -> agent.logContains("Serf agent running!"));
        } catch (AssertionError | RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    /**
     * Starts an agent like {@link #start} but returns at once (see {@link #awaitRunning}), with only
     * {@code extraArgs} (so Go's default log level) and {@code workDir} as its working directory: for
     * suites that start several agents and then wait for them all.
     */
    public static GoSerfAgent launch(String name, Path workDir, String... extraArgs) throws IOException {
        return spawn(name, workDir, workDir, List.of(extraArgs));
    }

    private static GoSerfAgent spawn(String name, Path workDir, Path cwd, List<String> args) throws IOException {
        int bind = freeUdpTcpPort();
        int rpc = freeTcpPort();
        List<String> cmd = new ArrayList<>(List.of(SERF.toString(), "agent", "-node=" + name,
                "-bind=127.0.0.1:" + bind, "-rpc-addr=127.0.0.1:" + rpc));
        cmd.addAll(args);
        Path log = workDir.resolve("go-agent-" + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        return new GoSerfAgent(name, bind, rpc, pb.start(), log);
    }

    /** Waits (20 s at most) until a {@link #launch}ed agent's RPC listener is up; fails with its whole log. */
    public GoSerfAgent awaitRunning() {
        try {
            Poll.until("agent " + name + " running", Duration.ofSeconds(20), () -> logContains("Serf agent running!"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + log(), e);
        }
        return this;
    }

    /** Whether the agent exited within {@code timeout} (after a leave, say). */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String name() {
        return name;
    }

    public int bindPort() {
        return bindPort;
    }

    public String joinAddress() {
        return "127.0.0.1:" + bindPort;
    }

    public InetSocketAddress gossipAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), bindPort);
    }

    public String rpcAddress() {
        return "127.0.0.1:" + rpcPort;
    }

    public Process process() {
        return process;
    }

    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public boolean logContains(String s) {
        return log().contains(s);
    }

    /** The agent's view of the cluster: member name to status ("alive", "failed", "left", …). */
    @SuppressWarnings("unchecked")
    public Map<String, String> members() throws IOException {
        CliResult r = cli("members", "-format=json");
        if (r.exitCode() != 0) {
            throw new IOException("serf members failed: " + r.output());
        }
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.output());
        Map<String, String> out = new LinkedHashMap<>();
        for (Object o : (List<Object>) root.get("members")) {
            Map<String, Object> m = (Map<String, Object>) o;
            out.put((String) m.get("name"), (String) m.get("status"));
        }
        return out;
    }

    /** The agent's members as `serf members -format=json` lists them (name, addr, port, tags, status, …). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> membersJson() throws IOException {
        CliResult r = cli("members", "-format=json");
        if (r.exitCode() != 0) {
            throw new IOException("serf members failed: " + r.output());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<Object>) ((Map<String, Object>) Json.parse(r.output())).get("members")) {
            out.add((Map<String, Object>) o);
        }
        return out;
    }

    /** The tags the agent sees on {@code node}, or null if it does not know the node. */
    @SuppressWarnings("unchecked")
    public Map<String, String> tagsOf(String node) throws IOException {
        for (Map<String, Object> m : membersJson()) {
            if (node.equals(m.get("name"))) {
                return (Map<String, String>) (Map<String, ?>) m.get("tags");
            }
        }
        return null;
    }

    public record CliResult(int exitCode, String output) {
    }

    /** Runs `serf <command> -rpc-addr=<this agent> args…` with a 20 s bound. */
    public CliResult cli(String command, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SERF.toString(), command, "-rpc-addr=" + rpcAddress()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("serf " + command + " timed out");
            }
            return new CliResult(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** kill -9. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls {@code condition} every 100 ms until it holds or {@code timeout} passes (then fails). */
    public void waitFor(String what, Duration timeout, BooleanSupplier condition) {
        Poll.until(what + " (agent log:\n" + tail() + ")", timeout, condition);
    }

    private String tail() {
        String l = log();
        return l.length() > 3000 ? l.substring(l.length() - 3000) : l;
    }

    @Override
    public void close() {
        kill();
    }

    // Ports handed out come from below the kernel's ephemeral range (32768 and up on Linux), so an
    // outgoing connection's local port never takes one between choosing and binding it, and never
    // twice in one JVM, so agents launched together never get the same one.
    private static final int PORT_LOW = 20000;
    private static final int PORT_HIGH = 32000;
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A TCP port free on 127.0.0.1 now, never handed out before by this JVM. */
    public static int freeTcpPort() throws IOException {
        return freePort(false);
    }

    /** A port free for both TCP and UDP on 127.0.0.1 (memberlist uses the same number for both). */
    public static int freeUdpTcpPort() throws IOException {
        return freePort(true);
    }

    private static int freePort(boolean udpToo) throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 500; i++) {
            int port = random.nextInt(PORT_LOW, PORT_HIGH);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                if (udpToo) {
                    new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).close();
                }
            } catch (IOException e) {
                continue; // taken: try another
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IOException("no free port in " + PORT_LOW + "-" + PORT_HIGH);
    }
}
