package serf.memberlist;

/** A broadcast that never invalidates nor is invalidated by others (Serf's events and queries). */
public interface UniqueBroadcast extends Broadcast {
}
