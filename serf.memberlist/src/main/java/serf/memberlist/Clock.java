package serf.memberlist;

import java.time.Instant;

/**
 * The time a node's protocol decisions are made in: timeouts, suspicion deadlines, probe and
 * gossip rounds, how long a node has been dead. The default is the system's; a test or a
 * simulator supplies its own (a manual clock) to drive the protocol in virtual time. Socket
 * deadlines stay in the system's time: they are the transport's business.
 */
public interface Clock {
    /**
     * Monotonic nanoseconds, comparable only with other readings of the same clock.
     *
     * @return a monotonic reading in nanoseconds
     */
    long nanoTime();

    /**
     * Wall-clock time, for what is shown to people or other processes.
     *
     * @return the wall-clock time
     */
    Instant wallTime();

    /** {@return the system's clocks: {@link System#nanoTime()} and {@link Instant#now()}} */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** {@return true for {@link #system()}, whose readings are comparable with the transport's packet times} */
    default boolean isSystem() {
        return false;
    }
}
