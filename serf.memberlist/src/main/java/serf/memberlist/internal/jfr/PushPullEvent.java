package serf.memberlist.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A full state exchange this node started with a peer. */
@Name("serf.memberlist.PushPull")
@Label("Push/Pull")
@Category({"Serf", "Memberlist"})
@Description("A full state exchange this node started with a peer.")
@StackTrace(false)
final class PushPullEvent extends jdk.jfr.Event {
    @Label("Peer") String peer;
    @Label("Join") boolean join;
    @Label("Succeeded") boolean ok;
    @Label("Duration (ms)") double millis;

    static void emit(String peer, boolean join, boolean ok, double millis) {
        PushPullEvent e = new PushPullEvent();
        if (e.shouldCommit()) {
            e.peer = peer;
            e.join = join;
            e.ok = ok;
            e.millis = millis;
            e.commit();
        }
    }
}
