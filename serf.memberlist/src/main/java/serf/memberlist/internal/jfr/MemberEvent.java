package serf.memberlist.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Serf saw a member join, leave, fail, update or reap. */
@Name("serf.Member")
@Label("Member Change")
@Category({"Serf", "Serf"})
@Description("Serf saw a member join, leave, fail, update or reap.")
@StackTrace(false)
final class MemberEvent extends jdk.jfr.Event {
    @Label("Node") String node;
    @Label("Change") String change;

    static void emit(String node, String change) {
        MemberEvent e = new MemberEvent();
        if (e.shouldCommit()) {
            e.node = node;
            e.change = change;
            e.commit();
        }
    }
}
