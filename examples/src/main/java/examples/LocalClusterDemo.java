package examples;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import serf.memberlist.MemberlistConfig;
import serf.memberlist.EventDelegate;
import serf.memberlist.Memberlist;
import serf.memberlist.Node;

/**
 * A cluster of memberlist nodes in one JVM on 127.0.0.1, over real UDP and TCP: they join, one
 * crashes (stops without a word) and is detected as failed, another leaves gracefully.
 *
 * <p>Usage: {@code LocalClusterDemo [nodes]} (default 4).
 */
public final class LocalClusterDemo {
    private LocalClusterDemo() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        if (count < 3) {
            throw new IllegalArgumentException("the demo needs at least 3 nodes");
        }
        List<Memberlist> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                String name = "node-" + i;
                MemberlistConfig c = MemberlistConfig.local().name(name).bindAddr("127.0.0.1").bindPort(0).events(printer(name));
                nodes.add(Memberlist.create(c));
                System.out.printf("started %s on %s%n", name, nodes.get(i).advertiseAddress());
            }
            String seed = "127.0.0.1:" + nodes.get(0).advertiseAddress().getPort();
            long start = System.nanoTime();
            for (Memberlist m : nodes.subList(1, nodes.size())) {
                m.join(List.of(seed));
            }
            waitFor(() -> nodes.stream().allMatch(m -> m.numMembers() == count), Duration.ofSeconds(20));
            System.out.printf("%n== all %d nodes see each other after %d ms: %s%n%n", count,
                    (System.nanoTime() - start) / 1_000_000, names(nodes.get(0).members()));

            Memberlist crashed = nodes.remove(nodes.size() - 1);
            System.out.println("== " + crashed.name() + " crashes (shutdown without leave)");
            crashed.shutdown();
            start = System.nanoTime();
            waitFor(() -> nodes.stream().allMatch(m -> m.numMembers() == count - 1), Duration.ofSeconds(30));
            System.out.printf("%n== every node marked %s failed after %d ms%n%n", crashed.name(),
                    (System.nanoTime() - start) / 1_000_000);

            Memberlist leaver = nodes.remove(nodes.size() - 1);
            System.out.println("== " + leaver.name() + " leaves gracefully");
            leaver.leave(Duration.ofSeconds(5));
            leaver.shutdown();
            waitFor(() -> nodes.stream().allMatch(m -> m.numMembers() == count - 2), Duration.ofSeconds(10));
            System.out.printf("%n== remaining members: %s%n", names(nodes.get(0).members()));
        } finally {
            nodes.forEach(Memberlist::shutdown);
        }
    }

    private static String names(List<Node> members) {
        return members.stream().map(Node::name).sorted().collect(Collectors.joining(", "));
    }

    private static EventDelegate printer(String self) {
        return new EventDelegate() {
            @Override
            public void notifyJoin(Node node) {
                if (!node.name().equals(self)) {
                    System.out.printf("  [%s] join   %s%n", self, node);
                }
            }

            @Override
            public void notifyLeave(Node node) {
                System.out.printf("  [%s] leave  %s%n", self, node);
            }

            @Override
            public void notifyUpdate(Node node) {
                System.out.printf("  [%s] update %s%n", self, node);
            }
        };
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out after " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
