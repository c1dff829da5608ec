package serf.api;

import serf.memberlist.EventDelegate;
import serf.memberlist.Node;

/**
 * Turns memberlist's membership notifications into Serf's member state machine. Called on
 * memberlist's threads: Serf updates its members under its own short lock and hands the event to
 * bounded queues without waiting, so a slow event sink never holds up probes or gossip.
 */
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
