package serf.agent.handler;

/**
 * What the event-handler stage asks about user events across restarts of the agent: before an
 * event's scripts run, whether they already finished for it in an earlier run of the agent (then
 * they are not run again), and after they finished, to remember that. The agent keeps this beside
 * its snapshot (core.HandledEventClock); without a snapshot there is none.
 *
 * <p>Both methods are called on the thread that runs the scripts, one event at a time.
 */
public interface UserEventLedger {
    /**
     * @param event a user event about to be handled
     * @return true when its handlers finished before, so its scripts must not run again
     */
    boolean alreadyHandled(ScriptEvent.User event);

    /**
     * The event's scripts have finished (or none matched it).
     *
     * @param event the user event just handled
     */
    void handled(ScriptEvent.User event);
}
