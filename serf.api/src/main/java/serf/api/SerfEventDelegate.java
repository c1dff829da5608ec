package serf.api;

import serf.memberlist.EventDelegate;
import serf.memberlist.Node;

/** Turns memberlist's membership notifications into Serf's member state machine. */
final class SerfEventDelegate implements EventDelegate {
    private final Serf serf;

    SerfEventDelegate(Serf serf) {
        this.serf = serf;
    }

    @Override
    public void notifyJoin(Node node) {
        serf.handleNodeJoin(node);
    }

    @Override
    public void notifyLeave(Node node) {
        serf.handleNodeLeave(node);
    }

    @Override
    public void notifyUpdate(Node node) {
        serf.handleNodeUpdate(node);
    }
}
