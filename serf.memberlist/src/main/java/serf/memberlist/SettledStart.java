package serf.memberlist;

import java.util.List;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.sim.ClusterSeeding;

/** The simulator's converged start, through {@link ClusterSeeding}: nodes told of each other as after a push/pull. */
final class SettledStart implements ClusterSeeding.Door {
    @Override
    public Object selfState(Memberlist m) {
        return m.state().table().selfPushState();
    }

    @Override
    @SuppressWarnings("unchecked") // every element came from selfState
    public void learn(Memberlist m, List<Object> states) {
        m.state().mergeSettled((List<Message.PushNodeState>) (List<?>) states);
    }
}
