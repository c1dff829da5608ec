package serf.memberlist.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A node became suspected of having failed. */
@Name("serf.memberlist.Suspect")
@Label("Suspect")
@Category({"Serf", "Memberlist"})
@Description("A node became suspected of having failed.")
@StackTrace(false)
final class SuspectEvent extends jdk.jfr.Event {
    @Label("Node") String node;
    @Label("Accuser") String from;
    @Label("Incarnation") long incarnation;

    static void emit(String node, String from, long incarnation) {
        SuspectEvent e = new SuspectEvent();
        if (e.shouldCommit()) {
            e.node = node;
            e.from = from;
            e.incarnation = incarnation;
            e.commit();
        }
    }
}
