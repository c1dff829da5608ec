package serf.memberlist;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import serf.testkit.Poll;
import serf.memberlist.transport.MemoryNetwork;

/** A set of memberlist nodes on one in-memory network, for state-machine tests. */
final class Cluster implements AutoCloseable {
    final MemoryNetwork network;
    final List<Memberlist> nodes = new ArrayList<>();

    Cluster(long seed) {
        network = MemoryNetwork.create(seed);
    }

    /** Fast timings so tests run in seconds: the protocol is the same, only the clock is quicker. */
    static MemberlistConfig fastConfig(String name) {
        return MemberlistConfig.local().name(name)
                .probeInterval(Duration.ofMillis(200)).probeTimeout(Duration.ofMillis(80))
                .gossipInterval(Duration.ofMillis(40)).pushPullInterval(Duration.ofSeconds(3))
                .tcpTimeout(Duration.ofMillis(500)).gossipToTheDeadTime(Duration.ofSeconds(3))
                .suspicionMult(4).indirectChecks(3).retransmitMult(4);
    }

    Memberlist add(String name, UnaryOperator<MemberlistConfig> tweak) throws IOException {
        MemberlistConfig c = tweak.apply(fastConfig(name)).transport(network.transport(name));
        Memberlist m = Memberlist.create(c);
        nodes.add(m);
        return m;
    }

    Memberlist add(String name) throws IOException {
        return add(name, UnaryOperator.identity());
    }

    String addressOf(Memberlist m) {
        return m.advertiseAddress().getAddress().getHostAddress() + ":" + m.advertiseAddress().getPort();
    }

    /** Every node but the first joins the first. */
    void joinAll() throws IOException {
        String seed = addressOf(nodes.get(0));
        for (Memberlist m : nodes.subList(1, nodes.size())) {
            m.join(List.of(seed));
        }
    }

    static NodeState stateOf(Memberlist viewer, String node) {
        for (Node n : viewer.allNodes()) {
            if (n.name().equals(node)) {
                return n.state();
            }
        }
        return null;
    }

    /** Waits until every node in {@code viewers} sees exactly {@code expected} live members. */
    static Duration awaitMembers(List<Memberlist> viewers, int expected, Duration timeout) {
        return Poll.timeUntil(viewers.size() + " nodes to see " + expected + " members", timeout,
                () -> viewers.stream().allMatch(m -> m.numMembers() == expected));
    }

    @Override
    public void close() {
        nodes.forEach(Memberlist::shutdown);
        network.close();
    }
}
