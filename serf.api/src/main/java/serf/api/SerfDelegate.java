package serf.api;

import java.util.List;
import serf.memberlist.Delegate;

/**
 * Serf's hooks into memberlist's node meta, user messages, broadcasts and push/pull state. Called
 * on memberlist's threads, so none of them waits on the application: events leave through
 * bounded queues that drop (and count) rather than block.
 */
final class SerfDelegate implements Delegate {
    private final Serf serf;

    SerfDelegate(Serf serf) {
        this.serf = serf;
    }

    @Override
    public byte[] nodeMeta(int limit) {
        return serf.nodeMeta(limit);
    }

    @Override
    public void notifyMsg(byte[] message) {
        serf.notifyMsg(message);
    }

    @Override
    public List<byte[]> getBroadcasts(int overhead, int limit) {
        return serf.getBroadcasts(overhead, limit);
    }

    @Override
    public byte[] localState(boolean join) {
        return serf.localState();
    }

    @Override
    public void mergeRemoteState(byte[] state, boolean join) {
        serf.mergeRemoteState(state, join);
    }
}
