package serf.memberlist;

import java.util.concurrent.CountDownLatch;

/**
 * memberlist's own gossip (alive, suspect, dead) about one node: keyed by the node's name, so a
 * newer message about a node replaces the queued one. {@code done} (optional) opens when the
 * message has been sent as often as the retransmit limit allows, or was superseded.
 */
record NodeBroadcast(String name, byte[] message, CountDownLatch done) implements NamedBroadcast {

    @Override
    public boolean invalidates(Broadcast other) {
        return other instanceof NamedBroadcast nb && nb.name().equals(name);
    }

    @Override
    public void finished() {
        if (done != null) {
            done.countDown();
        }
    }
}
