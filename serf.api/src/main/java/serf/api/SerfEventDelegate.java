package serf.api;

import serf.memberlist.EventDelegate;
import serf.memberlist.Node;

/**
 * Turns memberlist's membership notifications into Serf's member state machine (Go's
 * event_delegate.go). Called on memberlist's threads or tasks: the tracker updates its members
 * under its own short lock and hands the event to bounded queues without waiting, so a slow event
 * sink never holds up probes or gossip.
 */
final class SerfEventDelegate implements EventDelegate {
    private final MemberTracker members;

    SerfEventDelegate(MemberTracker members) {
        this.members = members;
    }

    @Override
    public void notifyJoin(Node node) {
        members.nodeJoined(node);
    }

    @Override
    public void notifyLeave(Node node) {
        members.nodeLeft(node);
    }

    @Override
    public void notifyUpdate(Node node) {
        members.nodeUpdated(node);
    }
}
