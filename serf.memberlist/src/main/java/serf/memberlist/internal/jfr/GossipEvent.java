package serf.memberlist.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One gossip round: how many nodes it sent to and how long it took. */
@Name("serf.memberlist.Gossip")
@Label("Gossip Round")
@Category({"Serf", "Memberlist"})
@Description("One gossip round: how many nodes it sent to and how long it took.")
@StackTrace(false)
final class GossipEvent extends jdk.jfr.Event {
    @Label("Targets") int targets;
    @Label("Duration (ms)") double millis;

    static void emit(int targets, double millis) {
        GossipEvent e = new GossipEvent();
        if (e.shouldCommit()) {
            e.targets = targets;
            e.millis = millis;
            e.commit();
        }
    }
}
