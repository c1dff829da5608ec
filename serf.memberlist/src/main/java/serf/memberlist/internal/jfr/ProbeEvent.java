package serf.memberlist.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One failure-detector probe round of a node: whom it probed, whether an ack came, how long the round took. */
@Name("serf.memberlist.Probe")
@Label("Probe")
@Category({"Serf", "Memberlist"})
@Description("One failure-detector probe round of a node: whom it probed, whether an ack came, how long the round took.")
@StackTrace(false)
final class ProbeEvent extends jdk.jfr.Event {
    @Label("Node") String node;
    @Label("Acked") boolean acked;
    @Label("Duration (ms)") double millis;

    static void emit(String node, boolean acked, double millis) {
        ProbeEvent e = new ProbeEvent();
        if (e.shouldCommit()) {
            e.node = node;
            e.acked = acked;
            e.millis = millis;
            e.commit();
        }
    }
}
