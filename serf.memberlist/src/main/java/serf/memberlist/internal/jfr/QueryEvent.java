package serf.memberlist.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Serf received (or started) a query for the first time. */
@Name("serf.Query")
@Label("Query")
@Category({"Serf", "Serf"})
@Description("Serf received (or started) a query for the first time.")
@StackTrace(false)
final class QueryEvent extends jdk.jfr.Event {
    @Label("Name") String name;
    @Label("Lamport Time") long ltime;
    @Label("Payload Size") int size;

    static void emit(String name, long ltime, int size) {
        QueryEvent e = new QueryEvent();
        if (e.shouldCommit()) {
            e.name = name;
            e.ltime = ltime;
            e.size = size;
            e.commit();
        }
    }
}
