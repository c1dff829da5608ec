package serf.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import serf.testkit.Poll;

/**
 * A mixed cluster on a fresh {@link NetBed}: node i is Go's when {@code goAt.test(i)}, else ours.
 * Node 1 starts first; the others start in parallel, joining node 1 (and node 2 once it runs).
 * {@link #close()} kills every agent and removes every namespace, also after a failed start.
 */
final class FaultCluster implements AutoCloseable {
    static final Duration CONVERGE = Duration.ofSeconds(90);

    private final Path dir;
    private final NetBed bed;
    private final List<FaultAgent> agents = new ArrayList<>();

    private FaultCluster(Path dir, NetBed bed) {
        this.dir = dir;
        this.bed = bed;
    }

    /**
     * The working directory of a test: target/faults/&lt;name&gt;, new. The one of the run before is kept
     * as &lt;name&gt;.previous, so that the logs of a failed attempt survive the rerun of a flaky test.
     */
    static Path workDir(String name) throws IOException {
        Path dir = Path.of("target", "faults", name).toAbsolutePath();
        Path previous = dir.resolveSibling(name + ".previous");
        if (Files.exists(previous)) {
            try (var files = Files.walk(previous)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (Files.exists(dir)) {
            Files.move(dir, previous);
        }
        Files.createDirectories(dir);
        FaultAgent.writeHandler(dir);
        return dir;
    }

    /** Starts {@code n} agents; {@code args.apply(i)} gives node i's extra arguments. */
    static FaultCluster start(String name, int n, Predicate<Integer> goAt,
            java.util.function.IntFunction<List<String>> args) throws Exception {
        Path dir = workDir(name);
        FaultCluster c = new FaultCluster(dir, NetBed.open(dir, n));
        try {
            for (int i = 1; i <= n; i++) {
                boolean go = goAt.test(i);
                c.agents.add(new FaultAgent(go ? FaultAgent.Kind.GO : FaultAgent.Kind.IMAGE,
                        (go ? "g" : "j") + i, i, dir, args.apply(i)));
            }
            c.agents.getFirst().start(List.of());
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> starts = new ArrayList<>();
                for (FaultAgent a : c.agents.subList(1, n)) {
                    starts.add(pool.submit(() -> {
                        a.start(List.of(c.agents.getFirst().joinAddress()));
                        return null;
                    }));
                }
                for (Future<?> f : starts) {
                    f.get();
                }
            }
            c.awaitAllAlive(CONVERGE);
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    NetBed bed() {
        return bed;
    }

    List<FaultAgent> agents() {
        return agents;
    }

    FaultAgent agent(int index) {
        return agents.get(index - 1);
    }

    List<String> names() {
        return agents.stream().map(FaultAgent::name).toList();
    }

    List<FaultAgent> ours() {
        return agents.stream().filter(a -> a.kind() == FaultAgent.Kind.IMAGE).toList();
    }

    /** Waits until every running agent lists every agent of {@code of} alive. */
    void awaitAlive(List<FaultAgent> observers, List<String> of, Duration deadline) {
        Poll.until("every agent sees " + of + " alive", deadline,
                () -> observers.stream().allMatch(a -> a.sees(of, "alive")));
    }

    void awaitAllAlive(Duration deadline) {
        awaitAlive(agents, names(), deadline);
    }

    @Override
    public void close() {
        agents.forEach(FaultAgent::kill);
        bed.close();
    }
}
