package serf.agent.interop;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import serf.testkit.GoSerfAgent;
import serf.testkit.Poll;

/**
 * A {@code serf agent} running as a separate process on 127.0.0.1, as a user runs it: either OUR
 * agent (a child JVM started with the test's own module path, {@code -m serf.agent/serf.agent.Main
 * agent ...}) or the real Go agent (/usr/bin/serf). Output goes to a log file (never a pipe, so a
 * chatty agent cannot block on a full pipe); every wait has a deadline; {@link #close()} kills the
 * process and anything it started.
 */
public final class AgentProcess implements AutoCloseable {
    public static final Path GO_SERF = Path.of("/usr/bin/serf");

    /** Which implementation runs the agent. */
    public enum Impl { OURS, GO }

    private final Impl impl;
    private final String name;
    private final int bindPort;
    private final int rpcPort;
    private final Process process;
    private final Path logFile;

    private AgentProcess(Impl impl, String name, int bindPort, int rpcPort, Process process, Path logFile) {
        this.impl = impl;
        this.name = name;
        this.bindPort = bindPort;
        this.rpcPort = rpcPort;
        this.process = process;
        this.logFile = logFile;
    }

    public static boolean goAvailable() {
        return Files.isExecutable(GO_SERF);
    }

    /** Starts our agent and waits until it is running. */
    public static AgentProcess ours(String name, Path dir, String... flags) throws IOException {
        return launch(Impl.OURS, name, dir, flags).awaitRunning();
    }

    /** Starts the Go agent and waits until it is running. */
    public static AgentProcess go(String name, Path dir, String... flags) throws IOException {
        return launch(Impl.GO, name, dir, flags).awaitRunning();
    }

    /** Starts {@code serf agent -node=NAME -bind=127.0.0.1:P -rpc-addr=127.0.0.1:R FLAGS} without waiting. */
    public static AgentProcess launch(Impl impl, String name, Path dir, String... flags) throws IOException {
        return launch(impl, name, dir, List.of(), Map.of(), flags);
    }

    /**
     * As {@link #launch(Impl, String, Path, String...)}, with a command in front (e.g. {@code ip netns
     * exec NS}, which execs the agent, so the process is still the agent's) and extra environment.
     */
    public static AgentProcess launch(Impl impl, String name, Path dir, List<String> prefix, Map<String, String> env,
                                      String... flags) throws IOException {
        int bind = GoSerfAgent.freeUdpTcpPort();
        int rpc = GoSerfAgent.freeTcpPort();
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(command(impl));
        cmd.addAll(List.of("agent", "-node=" + name, "-bind=127.0.0.1:" + bind, "-rpc-addr=127.0.0.1:" + rpc));
        cmd.addAll(List.of(flags));
        Path log = dir.resolve((impl == Impl.OURS ? "ours-" : "go-") + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("SERF_RPC_ADDR");
        pb.environment().remove("SERF_RPC_AUTH");
        pb.environment().putAll(env);
        return new AgentProcess(impl, name, bind, rpc, pb.start(), log);
    }

    /** The command line that runs {@code serf} of the given implementation. */
    public static List<String> command(Impl impl) {
        if (impl == Impl.GO) {
            return List.of(GO_SERF.toString());
        }
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null || modulePath.isEmpty()) {
            throw new IllegalStateException("no jdk.module.path: the test must run on the module path");
        }
        // The executable's log routing, as in the runtime image (serf.launcher, a test dependency).
        String launcher = launcherLocation();
        if (!Arrays.asList(modulePath.split(File.pathSeparator)).contains(launcher)) {
            modulePath = modulePath + File.pathSeparator + launcher;
        }
        // As the image's launcher does: a JVM started with SIGINT ignored (a background job of a
        // non-interactive shell, as CI may start Maven) never installs its INT handler, and the agent
        // would not leave on kill -INT; env resets the three signals before it execs java.
        List<String> cmd = new ArrayList<>(RESET_SIGNALS);
        // C1 only and a small serial heap: quick to start, light on the shared cores.
        cmd.addAll(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-Xshare:auto",
                "--module-path", modulePath, "--add-modules", "serf.launcher", "-m", "serf.agent/serf.agent.Main"));
        return List.copyOf(cmd);
    }

    /** {@code env --default-signal=INT,HUP,TERM} where this system's env has that option, else nothing. */
    private static final List<String> RESET_SIGNALS = resetSignals();

    private static List<String> resetSignals() {
        List<String> env = List.of("env", "--default-signal=INT,HUP,TERM");
        try {
            Process p = new ProcessBuilder(List.of("env", "--default-signal=INT", "true")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? env : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Where the serf.launcher module's classes are (a jar or a classes folder). */
    public static String launcherLocation() {
        try {
            Class<?> routing = ClassLoader.getSystemClassLoader().loadClass("serf.launcher.AgentLogRouting");
            return java.nio.file.Path.of(routing.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (ReflectiveOperationException | java.net.URISyntaxException e) {
            throw new IllegalStateException("serf.launcher is not on the test's class or module path", e);
        }
    }

    /** Waits for {@code ==> Serf agent running!} (the RPC listener is up by then). */
    public AgentProcess awaitRunning() {
        try {
            awaitLog("Serf agent running!", Duration.ofSeconds(30));
        } catch (AssertionError e) {
            close();
            throw e;
        }
        return this;
    }

    public Impl impl() {
        return impl;
    }

    public String name() {
        return name;
    }

    public int bindPort() {
        return bindPort;
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
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls the log for {@code text}; fails with the log's tail after {@code timeout}. */
    public void awaitLog(String text, Duration timeout) {
        try {
            Poll.until(impl + " agent " + name + " logging '" + text + "'", timeout,
                    () -> log().contains(text) || !process.isAlive() && log().contains(text));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (alive: " + process.isAlive() + ")\n" + tail(), e);
        }
    }

    public String tail() {
        String l = log();
        return l.length() > 4000 ? l.substring(l.length() - 4000) : l;
    }

    /** Runs the Go CLI against this agent's RPC address. */
    public GoCli.Result cli(String command, String... args) throws IOException {
        return GoCli.run(rpcAddress(), command, args);
    }

    /** Sends a signal by name (INT, TERM, HUP) with kill(1). */
    public void signal(String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-s", sig, Long.toString(process.pid())).inheritIO().start();
        try {
            if (!k.waitFor(5, TimeUnit.SECONDS)) {
                throw new IOException("kill -s " + sig + " did not finish");
            }
        } finally {
            k.destroyForcibly();
        }
    }

    /** The exit code, if the process ends within {@code timeout}. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.of(process.exitValue());
        }
        return OptionalInt.empty();
    }

    /** kill -9 of the agent and of anything it started (handler scripts). */
    public void kill() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return impl + " agent " + name + " (gossip " + gossipAddress() + ", rpc " + rpcAddress() + ")";
    }

    /** Closes every agent given, ignoring nulls; used in finally blocks. */
    public static void closeAll(Iterable<AgentProcess> agents) {
        for (AgentProcess a : agents) {
            if (a != null) {
                a.close();
            }
        }
    }

    /** Environment with no SERF_RPC_* variables inherited from the test runner. */
    static void cleanEnv(Map<String, String> env) {
        env.remove("SERF_RPC_ADDR");
        env.remove("SERF_RPC_AUTH");
    }
}
