package serf.memberlist;

import java.util.List;

/** May veto a join-time push/pull merge (cluster split-brain protection). */
@FunctionalInterface
public interface MergeDelegate {
    /**
     * {@return null to allow the merge, or the reason to refuse it}
     *
     * @param peers the members the peer knows, as it sent them
     */
    String notifyMerge(List<Node> peers);
}
