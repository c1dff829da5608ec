/**
 * Event-handler scripts, run as the Go agent runs them.
 *
 * <ul>
 *   <li>{@link serf.agent.handler.EventScript}/{@link serf.agent.handler.EventFilter}: the
 *       {@code [FILTERS=]SCRIPT} syntax and its matching.</li>
 *   <li>{@link serf.agent.handler.ScriptEvent}: an event as a script sees it (type, name, environment
 *       variables, stdin), converted from Serf's events.</li>
 *   <li>{@link serf.agent.handler.ScriptInvoker}: one {@code /bin/sh -c} run with the inherited environment
 *       plus the {@code SERF_*} variables, stdin fed by a separate thread, stdout and stderr together in a
 *       ring of the last 8 KiB, no timeout unless configured.</li>
 *   <li>{@link serf.agent.handler.EventHandlerRunner}: the agent's handler stage (a {@code Consumer<Event>}):
 *       matching scripts one after the other per event, events in order on one virtual thread, query
 *       answers from script output, reconfigurable on SIGHUP.</li>
 * </ul>
 */
package serf.agent.handler;
