package serf.memberlist.internal.jfr;

import java.util.Optional;

/**
 * The one door to this library's JFR events. The module only {@code requires static jdk.jfr}: when
 * jdk.jfr is not in the module graph, {@link #ON} is false and no event class (and no jdk.jfr class) is
 * ever loaded; when it is, each call costs a check of whether a recording wants the event. Callers may
 * hold their own locks: no user code runs here.
 */
public final class Flight {
    /** True when jdk.jfr is readable, so the event classes can load. */
    public static final boolean ON = available();

    private Flight() {
    }

    private static boolean available() {
        Optional<Module> jfr = ModuleLayer.boot().findModule("jdk.jfr");
        Module self = Flight.class.getModule();
        if (!self.isNamed()) {
            // On the class path everything readable is read; jdk.jfr is there unless the JDK lacks it.
            return jfr.isPresent() || hasClass();
        }
        return jfr.isPresent() && self.canRead(jfr.get());
    }

    private static boolean hasClass() {
        try {
            Class.forName("jdk.jfr.Event", false, Flight.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A probe round ended. */
    public static void probe(String node, boolean acked, double millis) {
        if (ON) {
            ProbeEvent.emit(node, acked, millis);
        }
    }

    /** A node became suspect. */
    public static void suspect(String node, String from, long incarnation) {
        if (ON) {
            SuspectEvent.emit(node, from, incarnation);
        }
    }

    /** A node was declared dead, or left. */
    public static void dead(String node, String from, boolean left) {
        if (ON) {
            DeadEvent.emit(node, from, left);
        }
    }

    /** This node refuted an accusation ({@code alive}, {@code suspect} or {@code dead}). */
    public static void refute(String accusation, long incarnation) {
        if (ON) {
            RefuteEvent.emit(accusation, incarnation);
        }
    }

    /** A gossip round ended. */
    public static void gossip(int targets, double millis) {
        if (ON) {
            GossipEvent.emit(targets, millis);
        }
    }

    /** A push/pull this node started ended. */
    public static void pushPull(String peer, boolean join, boolean ok, double millis) {
        if (ON) {
            PushPullEvent.emit(peer, join, ok, millis);
        }
    }

    /** Serf saw a member change: {@code join}, {@code leave}, {@code failed}, {@code update}, {@code reap}. */
    public static void member(String node, String change) {
        if (ON) {
            MemberEvent.emit(node, change);
        }
    }

    /** Serf took in a user event for the first time. */
    public static void userEvent(String name, long ltime, int size) {
        if (ON) {
            UserEventEvent.emit(name, ltime, size);
        }
    }

    /** Serf took in a query for the first time. */
    public static void query(String name, long ltime, int size) {
        if (ON) {
            QueryEvent.emit(name, ltime, size);
        }
    }
}
