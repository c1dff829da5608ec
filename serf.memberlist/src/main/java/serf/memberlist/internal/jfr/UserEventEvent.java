package serf.memberlist.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Serf received (or sent) a user event for the first time. */
@Name("serf.UserEvent")
@Label("User Event")
@Category({"Serf", "Serf"})
@Description("Serf received (or sent) a user event for the first time.")
@StackTrace(false)
final class UserEventEvent extends jdk.jfr.Event {
    @Label("Name") String name;
    @Label("Lamport Time") long ltime;
    @Label("Payload Size") int size;

    static void emit(String name, long ltime, int size) {
        UserEventEvent e = new UserEventEvent();
        if (e.shouldCommit()) {
            e.name = name;
            e.ltime = ltime;
            e.size = size;
            e.commit();
        }
    }
}
