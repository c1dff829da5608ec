package serf.memberlist.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** This node refuted an accusation (alive, suspect or dead) with a higher incarnation. */
@Name("serf.memberlist.Refute")
@Label("Refute")
@Category({"Serf", "Memberlist"})
@Description("This node refuted an accusation (alive, suspect or dead) with a higher incarnation.")
@StackTrace(false)
final class RefuteEvent extends jdk.jfr.Event {
    @Label("Accusation") String accusation;
    @Label("Incarnation") long incarnation;

    static void emit(String accusation, long incarnation) {
        RefuteEvent e = new RefuteEvent();
        if (e.shouldCommit()) {
            e.accusation = accusation;
            e.incarnation = incarnation;
            e.commit();
        }
    }
}
