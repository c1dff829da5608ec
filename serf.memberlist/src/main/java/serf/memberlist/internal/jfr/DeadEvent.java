package serf.memberlist.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A node was declared dead (failed) or left. */
@Name("serf.memberlist.Dead")
@Label("Dead")
@Category({"Serf", "Memberlist"})
@Description("A node was declared dead (failed) or left.")
@StackTrace(false)
final class DeadEvent extends jdk.jfr.Event {
    @Label("Node") String node;
    @Label("Declared by") String from;
    @Label("Left") boolean left;

    static void emit(String node, String from, boolean left) {
        DeadEvent e = new DeadEvent();
        if (e.shouldCommit()) {
            e.node = node;
            e.from = from;
            e.left = left;
            e.commit();
        }
    }
}
