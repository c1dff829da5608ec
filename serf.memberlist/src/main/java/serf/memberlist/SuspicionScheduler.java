package serf.memberlist;

/**
 * Where {@link MembershipState} arms and disarms the suspicion timeouts it decides. The runtime's
 * is {@link SuspicionTimers} (timers on the node's {@link Scheduler}); a test records the calls
 * and fires them itself against a manual clock.
 */
interface SuspicionScheduler {
    /** (Re)arms the timeout of {@code node}'s suspicion for the clock reading {@code deadlineNanos}. */
    void arm(String node, long deadlineNanos);

    /** Disarms it, if armed. */
    void cancel(String node);
}
