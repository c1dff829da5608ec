package serf.memberlist;

/** A broadcast that replaces any queued broadcast with the same name (memberlist keys its own by node name). */
public interface NamedBroadcast extends Broadcast {
    /** {@return the name; a newly queued broadcast replaces a queued one with the same name} */
    String name();
}
