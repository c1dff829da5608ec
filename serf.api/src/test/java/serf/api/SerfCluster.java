package serf.api;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import serf.memberlist.transport.MemoryNetwork;
import serf.testkit.Poll;

/** Serf nodes on one in-memory network, each recording the events it receives. */
final class SerfCluster implements AutoCloseable {
    final MemoryNetwork network;
    final List<Serf> nodes = new ArrayList<>();
    final Map<String, List<Event>> events = new java.util.concurrent.ConcurrentHashMap<>();
    /** Called on each node's delivery thread for every query it receives (node name, query). */
    volatile java.util.function.BiConsumer<String, Query> onQuery = (name, q) -> { };

    SerfCluster(long seed) {
        network = MemoryNetwork.create(seed);
    }

    /** Fast memberlist timings so failures and gossip settle in seconds. */
    static serf.memberlist.MemberlistConfig fastMemberlist(String name) {
        return serf.memberlist.MemberlistConfig.local().name(name)
                .probeInterval(Duration.ofMillis(200)).probeTimeout(Duration.ofMillis(80))
                .gossipInterval(Duration.ofMillis(40)).pushPullInterval(Duration.ofSeconds(3))
                .tcpTimeout(Duration.ofMillis(500)).gossipToTheDeadTime(Duration.ofSeconds(3));
    }

    Serf add(String name, UnaryOperator<Config> tweak) throws IOException {
        List<Event> log = new CopyOnWriteArrayList<>();
        events.put(name, log);
        Config c = Config.defaults().nodeName(name).protocolVersion(5)
                .memberlistConfig(fastMemberlist(name).transport(network.transport(name)))
                .eventSink(e -> {
                    log.add(e);
                    if (e instanceof Query q) {
                        onQuery.accept(name, q);
                    }
                })
                .leavePropagateDelay(Duration.ofMillis(100))
                .reapInterval(Duration.ofMillis(500));
        Serf s = Serf.create(tweak.apply(c));
        nodes.add(s);
        return s;
    }

    Serf add(String name) throws IOException {
        return add(name, UnaryOperator.identity());
    }

    static String addressOf(Serf s) {
        var a = s.memberlist().advertiseAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    void joinAll() throws SerfException {
        String seed = addressOf(nodes.get(0));
        for (Serf s : nodes.subList(1, nodes.size())) {
            s.join(List.of(seed), false);
        }
    }

    static MemberStatus statusOf(Serf viewer, String node) {
        return viewer.members().stream().filter(m -> m.name().equals(node)).map(Member::status).findFirst().orElse(null);
    }

    void awaitAllAlive(int n, Duration timeout) {
        Poll.until("every node to see " + n + " alive members", timeout, () -> nodes.stream().allMatch(
                s -> s.members().stream().filter(m -> m.status() == MemberStatus.ALIVE).count() == n));
    }

    List<Event.UserEvent> userEvents(String node) {
        return events.get(node).stream().filter(e -> e instanceof Event.UserEvent).map(e -> (Event.UserEvent) e).toList();
    }

    @Override
    public void close() {
        nodes.forEach(Serf::shutdown);
        network.close();
    }
}
