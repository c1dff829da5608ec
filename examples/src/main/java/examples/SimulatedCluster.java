package examples;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import serf.api.Event;
import serf.api.MemberStatus;
import serf.api.NodeResponse;
import serf.api.Query;
import serf.api.QueryException;
import serf.api.QueryResponse;
import serf.api.Serf;
import serf.sim.LinkProfile;
import serf.sim.Simulation;

/**
 * 100 Serf nodes in the simulator, with 5% packet loss: they join, one sends a user event, one
 * asks a query that returns as soon as every node answered, a partition cuts ten of them off and
 * heals. Each step reports in virtual time; a run takes a few
 * seconds of wall time and the same seed always tells the same story.
 *
 * <pre>java -p serf.wire.jar:serf.crypto.jar:serf.memberlist.jar:serf.snapshot.jar:serf.api.jar:serf.sim.jar:examples.jar -m examples/examples.SimulatedCluster [seed]</pre>
 */
public final class SimulatedCluster {
    private SimulatedCluster() {
    }

    /**
     * Runs the story.
     *
     * @param args optionally the seed (default 1)
     * @throws Exception when a node cannot start
     */
    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        int n = 100;
        try (Simulation sim = Simulation.builder().seed(seed).link(LinkProfile.lan().withLoss(0.05)).build()) {
            List<Serf> nodes = new ArrayList<>();
            int[] received = new int[1];
            for (int i = 0; i < n; i++) {
                String name = "node-" + i;
                nodes.add(sim.addSerf(name, c -> c.protocolVersion(5).eventSink(e -> {
                    if (e instanceof Event.UserEvent u && u.name().equals("deploy")) {
                        received[0]++;
                    } else if (e instanceof Query q) {
                        try {
                            q.respond(name.getBytes(StandardCharsets.UTF_8));
                        } catch (QueryException ex) {
                            sim.note(name + " could not answer: " + ex.getMessage());
                        }
                    }
                })));
            }
            for (int i = 1; i < n; i++) {
                nodes.get(i).join(List.of(sim.joinAddress("node-0")), false);
            }
            boolean joined = sim.runUntil(() -> nodes.stream().allMatch(s -> alive(s) == n), Duration.ofMinutes(5));
            System.out.printf("%-8s full view: %s%n", at(sim), joined);

            nodes.get(42).userEvent("deploy", "v2".getBytes(StandardCharsets.UTF_8), false);
            sim.runUntil(() -> received[0] == n, Duration.ofSeconds(10));
            System.out.printf("%-8s 'deploy' reached %d of %d nodes%n", at(sim), received[0], n);

            // A query that closes itself once every node has answered, instead of after its timeout
            // (3 other nodes relay each answer too, so that one lost packet does not keep it open).
            Duration before = sim.elapsed();
            try (QueryResponse r = nodes.get(0).query("version", null, nodes.get(0).defaultQueryParams()
                    .withTimeout(Duration.ofSeconds(30)).withRelayFactor(3).withCloseWhenAllMatchedRespond())) {
                List<NodeResponse> answers = r.awaitResponses(); // runs the simulation until the query closes
                System.out.printf("%-8s query: %d of %d matched nodes answered in %d ms (timeout 30 s)%n", at(sim),
                        answers.size(), r.matchedNodes().size(), sim.elapsed().minus(before).toMillis());
            }

            Set<String> island = Set.of("node-90", "node-91", "node-92", "node-93", "node-94",
                    "node-95", "node-96", "node-97", "node-98", "node-99");
            sim.partition(island);
            sim.runUntil(() -> alive(nodes.get(0)) == n - island.size(), Duration.ofMinutes(2));
            System.out.printf("%-8s partitioned: node-0 sees %d alive%n", at(sim), alive(nodes.get(0)));

            sim.heal();
            sim.runUntil(() -> nodes.stream().allMatch(s -> alive(s) == n), Duration.ofMinutes(5));
            System.out.printf("%-8s healed: node-0 sees %d alive; %s; trace %016x%n", at(sim), alive(nodes.get(0)),
                    sim.network(), sim.traceDigest());
        }
    }

    private static long alive(Serf s) {
        return s.members().stream().filter(m -> m.status() == MemberStatus.ALIVE).count();
    }

    private static String at(Simulation sim) {
        return String.format("%.1fs", sim.elapsed().toMillis() / 1000.0);
    }
}
