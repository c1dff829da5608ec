package examples;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import serf.api.Config;
import serf.api.Event;
import serf.api.NodeResponse;
import serf.api.Query;
import serf.api.QueryException;
import serf.api.QueryResponse;
import serf.api.Serf;

/**
 * Embedding Serf in a plain Java program: three nodes in this JVM on 127.0.0.1 print the
 * membership events they see, one sends a user event, and one asks a query that every node
 * answers. Any of them could equally join a cluster of Go agents: the wire protocol is the same.
 *
 * <p>Usage: {@code EmbeddedSerf [existing-cluster-address]}: with an address, node-0 joins it too.
 */
public final class EmbeddedSerf {
    private EmbeddedSerf() {
    }

    /**
     * Runs the three nodes.
     *
     * @param args optionally the address of a cluster for node-0 to join as well
     * @throws Exception when a node cannot start
     */
    public static void main(String[] args) throws Exception {
        List<Serf> nodes = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                String name = "embedded-" + i;
                Config config = Config.defaults()
                        .nodeName(name)
                        .protocolVersion(5)
                        .tags(Map.of("role", i == 0 ? "web" : "db"))
                        .memberlistConfig(serf.memberlist.MemberlistConfig.local().name(name).bindAddr("127.0.0.1").bindPort(0))
                        .eventSink(event -> onEvent(name, event));
                nodes.add(Serf.create(config));
            }
            String seed = "127.0.0.1:" + nodes.get(0).memberlist().advertiseAddress().getPort();
            for (Serf s : nodes.subList(1, nodes.size())) {
                s.join(List.of(seed), false);
            }
            if (args.length > 0) {
                nodes.get(0).join(List.of(args[0]), false);
            }
            waitUntil(() -> nodes.stream().allMatch(s -> s.numMembers() >= 3));

            nodes.get(1).userEvent("deploy", "v1.2.3".getBytes(StandardCharsets.UTF_8), false);

            // Go's way: the query collects answers for its whole timeout.
            Serf web = nodes.get(0);
            try (QueryResponse answers = web.query("uptime", null,
                    web.defaultQueryParams().withAck(true).withTimeout(Duration.ofSeconds(2)))) {
                for (NodeResponse r : answers.awaitResponses()) {
                    System.out.printf("query answer from %s: %s%n", r.from(), new String(r.payload(), StandardCharsets.UTF_8));
                }
            }

            // Early return: ask only the db nodes, and stop waiting as soon as every one of them answered.
            long start = System.nanoTime();
            try (QueryResponse answers = web.query("uptime", null, web.defaultQueryParams()
                    .withFilterTags(Map.of("role", "^db$")).withTimeout(Duration.ofSeconds(30)))) {
                List<NodeResponse> got = answers.awaitMatchedResponses(Duration.ofSeconds(30));
                System.out.printf("%d of %d db nodes (%s) answered in %d ms, not 30 s%n", got.size(),
                        answers.matchedNodes().size(), new java.util.TreeSet<>(answers.matchedNodes()),
                        Duration.ofNanos(System.nanoTime() - start).toMillis());
            } // closing stops the query: late answers are ignored

            nodes.get(2).leave();
        } finally {
            nodes.forEach(Serf::close); // shutdown; close() does not leave, as Go's Shutdown
        }
    }

    private static void onEvent(String self, Event event) {
        switch (event) {
            case Event.MemberEvent me -> System.out.printf("[%s] %s %s%n", self, me.type(),
                    me.members().stream().map(m -> m.name() + " " + m.tags()).toList());
            case Event.UserEvent ue -> System.out.printf("[%s] user event %s: %s%n", self, ue.name(),
                    ue.payload() == null ? "" : new String(ue.payload(), StandardCharsets.UTF_8));
            case Query q -> {
                try {
                    q.respond((self + " is up").getBytes(StandardCharsets.UTF_8));
                } catch (QueryException e) {
                    System.out.printf("[%s] could not answer %s: %s%n", self, q.name(), e.getMessage());
                }
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the nodes did not find each other in 20 s");
            }
            Thread.sleep(20);
        }
    }
}
