package serf.hostile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import serf.testkit.PeakRssWatch;
import serf.testkit.Poll;
import serf.testkit.ProcStatus;

/**
 * One attack class's cluster on 127.0.0.1: the target (the agent under attack, started afresh so
 * that its peak RSS is this class's alone) joined by a peer, and after the attack the checks of
 * issue 9: the target is alive, answers RPC, the peer sees it alive, a new node can join it, and its
 * peak RSS stayed within {@link #PEAK_RSS_BOUND_KB}. Every agent it starts is killed by
 * {@link #close()} (and by a shutdown hook, should the test JVM end first).
 */
final class Cluster implements AutoCloseable {
    static final long PEAK_RSS_BOUND_KB = 128 * 1024;
    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CHECK_DEADLINE = Duration.ofSeconds(20);
    private static final List<Agent> LIVE = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Agent::close), "hostile-agent-reaper"));
    }

    private final String attackClass;
    private final Path dir;
    private final List<String> args;
    private final Agent.Kind joinerKind;
    private final List<Agent> agents = new ArrayList<>();
    private Agent target;
    private Agent peer;
    private PeakRssWatch rss;
    private long cpuAtStartMillis;

    private Cluster(String attackClass, Path dir, List<String> args, Agent.Kind joinerKind) {
        this.attackClass = attackClass;
        this.dir = dir;
        this.args = args;
        this.joinerKind = joinerKind;
    }

    /**
     * Starts the target ({@code targetKind}) and a peer ({@code peerKind}) joined to it, all with
     * {@code args} (e.g. {@code -encrypt=…}), and waits until each sees the other alive.
     */
    static Cluster start(String attackClass, Path dir, Agent.Kind targetKind, Agent.Kind peerKind, List<String> args)
            throws IOException {
        Cluster c = new Cluster(attackClass, dir, args, peerKind);
        try {
            c.target = c.launch(targetKind, "target", args);
            List<String> peerArgs = new ArrayList<>(args);
            peerArgs.add("-join=" + c.target.joinAddress());
            c.peer = c.launch(peerKind, "peer", peerArgs);
            Poll.until("target and peer see each other alive", CHECK_DEADLINE,
                    () -> RpcProbe.seesAlive(c.peer, "target", RPC_TIMEOUT)
                            && RpcProbe.seesAlive(c.target, "peer", RPC_TIMEOUT));
            c.rss = PeakRssWatch.start(c.target.process().pid(), Duration.ofMillis(100));
            c.cpuAtStartMillis = ProcStatus.cpuMillis(c.target.process().pid()).orElse(0);
            return c;
        } catch (IOException | RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
    }

    Agent target() {
        return target;
    }

    private Agent launch(Agent.Kind kind, String name, List<String> agentArgs) throws IOException {
        Agent a;
        for (int attempt = 1; ; attempt++) {
            try {
                a = kind.start(name, dir, agentArgs);
                break;
            } catch (IOException e) {
                // A port found free can be taken before the agent binds it (the attacks themselves open
                // hundreds of connections from ephemeral ports): start again on other ports.
                if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("address already in use")) {
                    throw e;
                }
            }
        }
        agents.add(a);
        LIVE.add(a);
        return a;
    }

    /** The checks, after the attack (connections it holds open are still open). */
    Verdict check(String attack) {
        List<String> failures = new ArrayList<>();
        long pid = target.process().pid();
        runChecks(failures);
        long peak = rss.peakKb();
        if (peak > PEAK_RSS_BOUND_KB) {
            failures.add("peak RSS " + peak / 1024 + " MB > " + PEAK_RSS_BOUND_KB / 1024);
        }
        long cpu = ProcStatus.cpuMillis(pid).stream().map(ms -> ms - cpuAtStartMillis).findFirst().orElse(-1);
        return new Verdict(attackClass, target.kind(), List.copyOf(failures), peak, cpu, attack);
    }

    private void runChecks(List<String> failures) {
        if (died(failures)) {
            return;
        }
        if (!eventually(() -> !target.isAlive() || RpcProbe.members(target.rpcAddress(), RPC_TIMEOUT).isPresent())
                || !target.isAlive()) {
            if (!died(failures)) {
                failures.add("no RPC answer in " + CHECK_DEADLINE.toSeconds() + " s");
            }
            return;
        }
        if (!eventually(() -> !target.isAlive() || RpcProbe.seesAlive(peer, "target", RPC_TIMEOUT))
                || !target.isAlive()) {
            if (!died(failures)) {
                failures.add("peer does not see it alive");
            }
            return;
        }
        joinCheck(failures);
        died(failures);
    }

    /** A new node started with {@code -join=<target>} must be listed alive by the target. */
    private void joinCheck(List<String> failures) {
        List<String> joinerArgs = new ArrayList<>(args);
        joinerArgs.add("-join=" + target.joinAddress());
        Agent joiner;
        try {
            joiner = launch(joinerKind, "newcomer", joinerArgs);
        } catch (IOException | RuntimeException | AssertionError e) {
            failures.add("new node could not start: " + e.getMessage());
            return;
        }
        boolean joined = eventually(() -> !joiner.isAlive() || !target.isAlive()
                || RpcProbe.seesAlive(target, "newcomer", RPC_TIMEOUT));
        if (target.isAlive() && (!joined || !joiner.isAlive())) {
            failures.add("new node could not join (" + lastLine(joiner.logTail(5)) + ")");
        }
    }

    /** Adds the reason and returns true if the target is no longer running. */
    private boolean died(List<String> failures) {
        if (target.isAlive()) {
            return false;
        }
        String why = target.log().lines().filter(l -> l.contains("Terminating") || l.contains("Exception")
                || l.contains("Error") || l.contains("panic")).reduce((a, b) -> b).orElse(lastLine(target.logTail(1)));
        failures.add("DIED (exit " + target.process().exitValue() + "): " + why.strip());
        return true;
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.getLast().strip();
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) {
        try {
            Poll.until("check", CHECK_DEADLINE, condition);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (rss != null) {
            rss.close();
        }
        for (Agent a : agents) {
            a.close();
            LIVE.remove(a);
        }
    }
}
