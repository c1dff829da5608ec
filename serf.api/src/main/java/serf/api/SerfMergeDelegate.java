package serf.api;

import java.util.List;
import serf.memberlist.AliveDelegate;
import serf.memberlist.MergeDelegate;
import serf.memberlist.Node;
import serf.memberlist.NodeState;

/**
 * Hands memberlist's checks to the application's {@link Config.MergeDelegate} as Serf members
 * (Go's merge_delegate.go): a push/pull's whole remote state ({@link #notifyMerge}), and each
 * alive message on its own ({@link #notifyAlive}, one member), so a node the application refuses
 * cannot slip in by gossip either. A node memberlist reports as left is shown as left.
 */
final class SerfMergeDelegate implements MergeDelegate, AliveDelegate {
    private final Config.MergeDelegate app;

    SerfMergeDelegate(Config.MergeDelegate app) {
        this.app = app;
    }

    @Override
    public String notifyMerge(List<Node> peers) {
        return app.notifyMerge(peers.stream().map(SerfMergeDelegate::toMember).toList());
    }

    @Override
    public String notifyAlive(Node peer) {
        return app.notifyMerge(List.of(toMember(peer)));
    }

    private static Member toMember(Node n) {
        return MemberTracker.toMember(n, n.state() == NodeState.LEFT ? MemberStatus.LEFT : MemberStatus.NONE);
    }
}
