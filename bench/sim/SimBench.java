import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import serf.api.Event;
import serf.api.MemberStatus;
import serf.api.Serf;
import serf.sim.LinkProfile;
import serf.sim.Simulation;

/**
 * N Serf nodes in the simulator (serf.sim): joins, time to a full view and a user event's spread, in
 * virtual time; wall time, CPU and heap per node of the process running it. Prints a Markdown row.
 */
public final class SimBench {
    private int n = 1000;
    private String mode = "storm";
    private int wave = 50;
    private long seed = 1;
    private double loss = 0;
    private int viewTimeout = 600;
    private int events = 3;
    private boolean compression = true;
    private int steady = 0;
    private int late = 0;
    private long memberFailures;

    public static void main(String[] args) throws Exception {
        SimBench b = new SimBench();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "-n" -> b.n = Integer.parseInt(v);
                case "-mode" -> b.mode = v;
                case "-wave" -> b.wave = Integer.parseInt(v);
                case "-seed" -> b.seed = Long.parseLong(v);
                case "-loss" -> b.loss = Double.parseDouble(v);
                case "-view-timeout" -> b.viewTimeout = Integer.parseInt(v);
                case "-events" -> b.events = Integer.parseInt(v);
                case "-compression" -> b.compression = !v.equals("off");
                case "-steady" -> b.steady = Integer.parseInt(v);
                case "-late" -> b.late = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.exit(b.run());
    }

    private long[][] eventAt; // event index -> node -> virtual nanos (-1: not yet)

    private int run() throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heap0 = mem.getHeapMemoryUsage().getUsed();
        long wall0 = System.nanoTime();
        long cpu0 = cpu();
        eventAt = new long[events][n];
        for (long[] a : eventAt) {
            Arrays.fill(a, -1);
        }
        int failedJoins = 0;
        long viewAt;
        try (Simulation sim = Simulation.builder().seed(seed).link(LinkProfile.lan().withLoss(loss))
                .checkInterval(Duration.ofMillis(100)).build()) {
            List<Serf> nodes = new ArrayList<>(n);
            boolean converged = mode.equals("converged");
            int first = converged ? n - late : n;
            for (int i = 0; i < first; i++) {
                nodes.add(addNode(sim, i));
            }
            Random pick = new Random(seed);
            long joinStart = sim.elapsed().toNanos();
            if (converged) {
                // A cluster long past its joins (Simulation.converge): no join traffic, full view at once;
                // then the late nodes join it, each to a random node of the converged ones, one after another.
                sim.converge();
                for (int i = first; i < n; i++) {
                    nodes.add(addNode(sim, i));
                    try {
                        nodes.get(i).join(List.of(sim.joinAddress("node-" + pick.nextInt(first))), false);
                    } catch (Exception e) {
                        failedJoins++;
                    }
                }
            }
            for (int i = 1; i < n && !converged; i++) {
                int target = mode.equals("storm") ? 0 : pick.nextInt(Math.max(1, (i / wave) * wave));
                try {
                    nodes.get(i).join(List.of(sim.joinAddress("node-" + target)), false);
                } catch (Exception e) {
                    failedJoins++;
                }
                if (mode.equals("waves") && i % wave == wave - 1) {
                    sim.runFor(Duration.ofSeconds(1));
                }
            }
            boolean full = sim.runUntil(() -> fullView(nodes), Duration.ofSeconds(viewTimeout));
            viewAt = sim.elapsed().toNanos() - joinStart;
            long wallView = System.nanoTime() - wall0;
            System.gc();
            long heapPerNode = (mem.getHeapMemoryUsage().getUsed() - heap0) / n;
            // Steady state before the events: right after joins every node still gossips the join
            // intents, which go before user events in Serf's broadcasts (as in Go).
            long intentWait = sim.elapsed().toNanos();
            boolean intentsDrained = sim.runUntil(() -> nodes.stream().allMatch(s -> "0".equals(s.stats().get("intent_queue"))),
                    Duration.ofMinutes(5));
            intentWait = sim.elapsed().toNanos() - intentWait;
            // Quiet time before the events: probes, push/pulls and no false failure.
            sim.runFor(Duration.ofSeconds(steady));
            long failuresBeforeEvents = memberFailures;
            List<Long> spread = new ArrayList<>();
            for (int k = 0; k < events; k++) {
                int from = pick.nextInt(n);
                long sent = sim.elapsed().toNanos();
                nodes.get(from).userEvent("bench-" + k, new byte[0], false);
                sim.runFor(Duration.ofSeconds(10));
                for (long t : eventAt[k]) {
                    spread.add(t < 0 ? Long.MAX_VALUE : t - sent);
                }
            }
            spread.sort(null);
            System.gc();
            long heapEnd = (mem.getHeapMemoryUsage().getUsed() - heap0) / n;
            long wall = System.nanoTime() - wall0;
            System.out.printf("sim n=%d mode=%s seed=%d loss=%.2f compression=%s: joins failed %d, full view %s after %.1f s virtual "
                    + "(wall %.1f s), events run %d, %s%n", n, mode, seed, loss, compression ? "on" : "off", failedJoins,
                    full ? "reached" : "NOT reached", viewAt / 1e9, wallView / 1e9, sim.eventsRun(), sim.network());
            System.out.printf("join intents left every node's queue: %s after %.1f s virtual (most still queued at one node: %d)%n",
                    intentsDrained ? "yes" : "NO", intentWait / 1e9,
                    nodes.stream().mapToInt(s -> Integer.parseInt(s.stats().get("intent_queue"))).max().orElse(0));
            System.out.printf("member-failed events seen by the nodes: %d in the %d s before the events, %d in all; virtual time %.1f s%n",
                    failuresBeforeEvents, steady, memberFailures, sim.elapsed().toNanos() / 1e9);
            // Heap per node at full view (the join's broadcasts still queued) and at the end (after the
            // events, the queues mostly drained); per (node, member) pair in brackets.
            String row = String.format("| %s | sim %,d | %s | %d | %s | %s / %s / %s | %.0f KB (%d B) / %.0f KB (%d B) | %.0f s | %.0f s |",
                    LocalDate.now(), n, mode + (late > 0 ? " + " + late + " joining" : "") + (loss > 0 ? String.format(", loss %.0f%%", loss * 100) : "")
                            + (compression ? "" : ", no compression"), failedJoins,
                    full ? String.format("%.1f s", viewAt / 1e9) : "not in " + viewTimeout + " s",
                    pct(spread, 0.5), pct(spread, 0.999), pct(spread, 1.0), heapPerNode / 1024.0, heapPerNode / n,
                    heapEnd / 1024.0, heapEnd / n, wall / 1e9, (cpu() - cpu0) / 1e9);
            System.out.println("| date | nodes | joins | joins failed | full view (virtual) | event p50 / p99.9 / max (virtual) "
                    + "| heap/node (per pair) at full view / at the end | wall | CPU |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            System.out.println(row);
            return full && failedJoins == 0 ? 0 : 1;
        }
    }

    private Serf addNode(Simulation sim, int index) throws java.io.IOException {
        return sim.addSerf("node-" + index, c -> c.memberlistConfig(c.memberlistConfig().enableCompression(compression)).eventSink(e -> {
            if (e instanceof Event.MemberEvent m && m.type() == serf.api.EventType.MEMBER_FAILED) {
                memberFailures += m.members().size();
            }
            if (e instanceof Event.UserEvent u && u.name().startsWith("bench-")) {
                int k = Integer.parseInt(u.name().substring(6));
                if (eventAt[k][index] < 0) {
                    eventAt[k][index] = sim.elapsed().toNanos();
                }
            }
        }));
    }

    private static String pct(List<Long> sorted, double p) {
        long v = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
        return v == Long.MAX_VALUE ? "never" : String.format("%.2f s", v / 1e9);
    }

    private boolean fullView(List<Serf> nodes) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            int alive = 0;
            for (var m : nodes.get(i).members()) {
                if (m.status() == MemberStatus.ALIVE) {
                    alive++;
                }
            }
            if (alive != n) {
                return false;
            }
        }
        return true;
    }

    private static long cpu() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
