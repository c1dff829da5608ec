package serf.memberlist;

/** A broadcast that replaces any queued broadcast with the same name (memberlist keys its own by node name). */
public interface NamedBroadcast extends Broadcast {
    String name();
}
