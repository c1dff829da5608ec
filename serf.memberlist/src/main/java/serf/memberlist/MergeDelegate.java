package serf.memberlist;

import java.util.List;

/** May veto a join-time push/pull merge (cluster split-brain protection). */
@FunctionalInterface
public interface MergeDelegate {
    /** Returns null to allow the merge, or the reason to refuse it. */
    String notifyMerge(List<Node> peers);
}
