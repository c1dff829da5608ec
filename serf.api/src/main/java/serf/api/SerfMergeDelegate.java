package serf.api;

import java.util.List;
import serf.memberlist.MergeDelegate;
import serf.memberlist.Node;
import serf.memberlist.NodeState;

/**
 * Hands memberlist's merge check to the application's {@link Config.MergeDelegate} as Serf members
 * (Go's merge_delegate.go): a node memberlist reports as left is shown as left.
 */
final class SerfMergeDelegate implements MergeDelegate {
    private final Config.MergeDelegate app;

    SerfMergeDelegate(Config.MergeDelegate app) {
        this.app = app;
    }

    @Override
    public String notifyMerge(List<Node> peers) {
        return app.notifyMerge(peers.stream()
                .map(n -> MemberTracker.toMember(n, n.state() == NodeState.LEFT ? MemberStatus.LEFT : MemberStatus.NONE))
                .toList());
    }
}
